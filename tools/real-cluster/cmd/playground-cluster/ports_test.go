package main

import (
	"net"
	"strconv"
	"testing"
)

func TestPickPortsAreDistinctFreeAndBelowTheEphemeralRange(t *testing.T) {
	low := ephemeralLow()
	for range 20 {
		p, err := pickPorts()
		if err != nil {
			t.Fatal(err)
		}
		all := []int{p.Etcd, p.EtcdPeer, p.APIServer, p.ControllerManager, p.Scheduler}
		seen := map[int]bool{}
		for _, port := range all {
			if port >= low || port < 1024 {
				t.Fatalf("port %d is not below the ephemeral range (from %d)", port, low)
			}
			if seen[port] {
				t.Fatalf("port %d chosen twice in %v", port, all)
			}
			seen[port] = true
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
			if err != nil {
				t.Fatalf("port %d cannot be bound after pickPorts: %v", port, err)
			}
			l.Close()
		}
	}
}
