package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// pickPorts chooses the control plane's loopback ports below the kernel's ephemeral range. A
// port from listen(":0") is an ephemeral one: between closing the probe and the component's own
// bind, any outgoing connection (the API server dialling etcd, a kubelet dialling the API server)
// may take it as its local port and the component fails with EADDRINUSE. Below the range only an
// explicit bind can collide. All listeners are held until every port is chosen, so they differ.
func pickPorts() (ports, error) {
	var got []int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	low := ephemeralLow()
	floor := min(20000, low-1000)
	for attempts := 0; len(got) < 5; attempts++ {
		if attempts > 500 {
			return ports{}, fmt.Errorf("no free loopback port in %d-%d", floor, low-1)
		}
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(floor+rand.IntN(low-floor)))
		if err != nil {
			continue
		}
		listeners = append(listeners, l)
		got = append(got, l.Addr().(*net.TCPAddr).Port)
	}
	return ports{Etcd: got[0], EtcdPeer: got[1], APIServer: got[2], ControllerManager: got[3], Scheduler: got[4]}, nil
}

// ephemeralLow is the first port of the kernel's ephemeral range (the IANA one off Linux).
func ephemeralLow() int {
	raw, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if fields := strings.Fields(string(raw)); len(fields) == 2 {
			if low, err := strconv.Atoi(fields[0]); err == nil && low > 1024+1000 {
				return low
			}
		}
	}
	return 49152
}
