package main

import "testing"

func TestCrashedKwokToRestart(t *testing.T) {
	nodes := []string{"k8s-node1", "k8s-node2"}
	cases := []struct {
		process string
		down    []string
		crashes int
		want    string
		ok      bool
	}{
		{"kwok-k8s-node2", nil, 0, "k8s-node2", true},
		{"kwok-k8s-node2", []string{"k8s-node2"}, 0, "", false}, // failed on purpose: stays down
		{"kwok-k8s-node9", nil, 0, "", false},                   // not one of ours
		{"kube-apiserver", nil, 0, "", false},                   // not a kubelet: the cluster fails
		{"kwok-k8s-node1", nil, kwokCrashRestarts, "", false},   // out of budget: report it
	}
	for _, c := range cases {
		got, ok := crashedKwokToRestart(c.process, nodes, c.down, c.crashes)
		if got != c.want || ok != c.ok {
			t.Errorf("crashedKwokToRestart(%q, down %v, crashes %d) = %q, %v; want %q, %v", c.process, c.down, c.crashes, got, ok, c.want, c.ok)
		}
	}
}
