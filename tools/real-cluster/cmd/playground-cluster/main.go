// Command playground-cluster is a multi-call binary: one executable (one link step, one cache entry)
// that runs every process of the local control plane used by the real-cluster tests. kubectl is a
// binary of its own (upstream's cmd/kubectl, scripts/real-cluster.ts tools): the tests need it
// first, and it builds in a third of the time. The supervisor
// (`run`) re-executes itself with a component name, so each component keeps its own process, flags
// and global registries exactly as the upstream binaries do.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// components maps a sub-command to its entry point; each returns the process exit code.
var components = map[string]func(args []string) int{
	"etcd":                    runEtcd,
	"kube-apiserver":          runKubeAPIServer,
	"kube-controller-manager": runKubeControllerManager,
	"kube-scheduler":          runKubeScheduler,
	"kwok":                    runKwok,
	"volume-provisioner":      runVolumeProvisioner,
	"run":                     runSupervisor,
	"version":                 runVersion,
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	run, ok := components[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown component %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	os.Exit(run(os.Args[2:]))
}

func usage() {
	names := make([]string, 0, len(components))
	for name := range components {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "usage: %s <%s> [flags]\n", os.Args[0], strings.Join(names, "|"))
}
