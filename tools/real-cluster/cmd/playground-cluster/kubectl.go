package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

// runKubectl is upstream's cmd/kubectl main, built from the same Kubernetes modules as the
// control plane: the integration tests drive the embedded cluster with a current kubectl even on
// machines whose only packaged kubectl is Debian's 1.20 (which predates server-side field
// validation and aggregated discovery). Invoked as `playground-cluster kubectl …`, or through a
// symlink named kubectl.
func runKubectl(args []string) int {
	// kubectl reads os.Args itself (plugin lookup, cobra), so it must look like its own process.
	os.Args = append([]string{"kubectl"}, args...)
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
	return 0
}
