package main

import (
	"context"
	"os"

	"github.com/spf13/pflag"

	"sigs.k8s.io/kwok/pkg/config"
	kwokcmd "sigs.k8s.io/kwok/pkg/kwok/cmd"
	"sigs.k8s.io/kwok/pkg/log"
	"sigs.k8s.io/kwok/pkg/utils/signals"
)

// runKwok mirrors sigs.k8s.io/kwok/cmd/kwok/main.go: global flags (--config, -v) are parsed first,
// then the root command runs with the remaining flags.
func runKwok(args []string) int {
	flagset := pflag.NewFlagSet("global", pflag.ContinueOnError)
	flagset.ParseErrorsAllowlist.UnknownFlags = true
	flagset.Usage = func() {}

	// config.InitFlags and log.InitFlags read os.Args; present them as if kwok were the binary.
	os.Args = append([]string{"kwok"}, args...)
	// The Kubernetes packages linked into this binary register a string --version in the global
	// pflag set at init; cobra merges that set into KWOK's command, whose --version is a bool.
	pflag.CommandLine = pflag.NewFlagSet("kwok", pflag.ExitOnError)
	ctx := signals.SetupSignalContext()
	ctx, logger := log.InitFlags(ctx, flagset)
	ctx, err := config.InitFlags(ctx, flagset)
	if err != nil {
		logger.Error("Init config flags", "err", err)
		return 1
	}
	return executeKwok(ctx, flagset, args, logger)
}

func executeKwok(ctx context.Context, flagset *pflag.FlagSet, args []string, logger *log.Logger) int {
	command := kwokcmd.NewCommand(ctx)
	command.PersistentFlags().AddFlagSet(flagset)
	command.SetArgs(args)
	if err := command.ExecuteContext(ctx); err != nil {
		logger.Error("Execute exit", "err", err)
		return 1
	}
	return 0
}
