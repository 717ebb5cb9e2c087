package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// settings are the knobs of one cluster incarnation; scripts/real-cluster.ts passes them from env.
type settings struct {
	stateDir             string
	nodes                int
	leaseDurationSeconds int
	nodeGracePeriod      time.Duration
	podCreateDelay       time.Duration
	podReadyDelay        time.Duration
	graceScale           float64
	startupTimeout       time.Duration
}

// ports are picked free at start (no fixed ports: parallel runs and stale sockets never collide).
type ports struct {
	Etcd              int `json:"etcd"`
	EtcdPeer          int `json:"etcdPeer"`
	APIServer         int `json:"apiServer"`
	ControllerManager int `json:"controllerManager"`
	Scheduler         int `json:"scheduler"`
}

// clusterState is <state>/state.json: how scripts find, wait for, and stop the cluster.
type clusterState struct {
	Status     string         `json:"status"` // starting | ready | failed | stopped
	Error      string         `json:"error,omitempty"`
	PID        int            `json:"pid"`
	Binary     string         `json:"binary"`
	Children   map[string]int `json:"children"`
	Ports      ports          `json:"ports"`
	Server     string         `json:"server"`
	Kubeconfig string         `json:"kubeconfig"`
	Context    string         `json:"context"`
	Nodes      []string       `json:"nodes"`
	DownNodes  []string       `json:"downNodes"`
	StartedAt  time.Time      `json:"startedAt"`
	ReadyAt    *time.Time     `json:"readyAt,omitempty"`
	Settings   map[string]any `json:"settings"`
}

func parseSettings(args []string) (settings, error) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	s := settings{}
	fs.StringVar(&s.stateDir, "state-dir", "", "directory for data, credentials, logs and state.json")
	fs.IntVar(&s.nodes, "nodes", 3, "number of fake nodes k8s-node1..N")
	fs.IntVar(&s.leaseDurationSeconds, "lease-duration-seconds", 20, "node lease duration (renewed every quarter of it)")
	fs.DurationVar(&s.nodeGracePeriod, "node-monitor-grace-period", 20*time.Second, "time without a lease renewal before a node turns Ready=Unknown")
	fs.DurationVar(&s.podCreateDelay, "pod-create-delay", time.Second, "scheduled -> Pending/ContainerCreating with an IP")
	fs.DurationVar(&s.podReadyDelay, "pod-ready-delay", time.Second, "ContainerCreating -> Running and Ready")
	fs.Float64Var(&s.graceScale, "grace-scale", 1, "factor applied to deletionGracePeriodSeconds before a Terminating pod goes away (>0)")
	fs.DurationVar(&s.startupTimeout, "startup-timeout", 4*time.Minute, "give up when not ready by then")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if s.stateDir == "" {
		return s, errors.New("--state-dir is required")
	}
	if s.graceScale <= 0 {
		return s, errors.New("--grace-scale must be > 0 (a zero grace period would hide Terminating)")
	}
	if s.nodes < 1 {
		return s, errors.New("--nodes must be >= 1")
	}
	abs, err := filepath.Abs(s.stateDir)
	s.stateDir = abs
	return s, err
}

// runSupervisor starts every component, bootstraps the cluster objects, reports readiness in
// state.json, then watches the components: any one exiting takes the whole cluster down (a
// half-working control plane would make tests fail in confusing ways).
func runSupervisor(args []string) int {
	// Children are started from this goroutine; keep it on one OS thread for Pdeathsig.
	runtime.LockOSThread()
	s, err := parseSettings(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		return 2
	}
	sup := &supervisor{s: s, children: map[string]*child{}, exited: make(chan *child, 64)}
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	err = sup.start(ctx)
	if err == nil {
		err = sup.watch(ctx)
	}
	sup.stopAll()
	if err != nil && !errors.Is(err, context.Canceled) {
		sup.state.Status = "failed"
		sup.state.Error = err.Error()
		_ = sup.writeState()
		fmt.Fprintln(os.Stderr, "run: FAILED:", err)
		return 1
	}
	sup.state.Status = "stopped"
	_ = sup.writeState()
	logf("stopped")
	return 0
}

type supervisor struct {
	s        settings
	pki      pki
	ports    ports
	state    clusterState
	children map[string]*child
	order    []string
	exited   chan *child
	faults   *nodeFaults
	// kwokCrashes counts KWOK processes restarted after a crash (restartCrashedKwok).
	kwokCrashes int
}

func (sup *supervisor) dir(parts ...string) string {
	return filepath.Join(append([]string{sup.s.stateDir}, parts...)...)
}

func (sup *supervisor) start(ctx context.Context) error {
	if err := sup.prepareDirs(); err != nil {
		return err
	}
	ports, err := pickPorts()
	if err != nil {
		return err
	}
	sup.ports = ports
	self, _ := os.Executable()
	sup.state = clusterState{
		Status: "starting", PID: os.Getpid(), Binary: self, Children: map[string]int{}, Ports: ports,
		Server:     fmt.Sprintf("https://127.0.0.1:%d", ports.APIServer),
		Kubeconfig: sup.dir("kubeconfig"), Context: ContextName, Nodes: nodeNames(sup.s.nodes),
		StartedAt: time.Now(), Settings: sup.settingsSummary(),
	}
	if err := sup.writeState(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sup.s.startupTimeout)
	defer cancel()
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"credentials", func(context.Context) error { return sup.writeCredentials() }},
		{"etcd", sup.startEtcd},
		{"kube-apiserver", sup.startAPIServer},
		{"bootstrap objects", sup.bootstrap},
		{"kwok", sup.startKwok},
		{"kube-controller-manager", sup.startControllerManager},
		{"kube-scheduler", sup.startScheduler},
		{"volume-provisioner", sup.startVolumeProvisioner},
		{"cluster ready", sup.waitClusterReady},
		{"node fault watch", sup.startNodeFaults},
	}
	for _, step := range steps {
		began := time.Now()
		logf("%s ...", step.name)
		if err := step.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
		logf("%s done in %s", step.name, time.Since(began).Round(time.Millisecond))
	}
	now := time.Now()
	sup.state.Status = "ready"
	sup.state.ReadyAt = &now
	logf("READY in %s: %s (kubeconfig %s, context %s)", now.Sub(sup.state.StartedAt).Round(time.Millisecond), sup.state.Server, sup.state.Kubeconfig, ContextName)
	return sup.writeState()
}

// prepareDirs gives every start a fresh cluster: new data, new credentials. Logs are truncated
// per component so a failure's tail belongs to this run.
func (sup *supervisor) prepareDirs() error {
	for _, d := range []string{"etcd", "pki", "components", "logs"} {
		if d != "logs" {
			if err := os.RemoveAll(sup.dir(d)); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(sup.dir(d), 0o700); err != nil {
			return err
		}
	}
	oldLogs, _ := filepath.Glob(sup.dir("logs", "*.log"))
	for _, f := range oldLogs {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	sup.pki = pki{dir: sup.dir("pki")}
	return nil
}

func (sup *supervisor) writeCredentials() error {
	if err := sup.pki.generate(); err != nil {
		return err
	}
	if err := writeKubeconfig(sup.dir("kubeconfig"), sup.state.Server, sup.pki, "admin"); err != nil {
		return err
	}
	for _, id := range []string{"kwok", "volume-provisioner", "kube-controller-manager", "kube-scheduler"} {
		if err := writeKubeconfig(sup.componentKubeconfig(id), sup.state.Server, sup.pki, id); err != nil {
			return err
		}
	}
	return nil
}

func (sup *supervisor) componentKubeconfig(id string) string {
	return sup.dir("components", id+".kubeconfig")
}

// launch starts the component as a process of the same name.
func (sup *supervisor) launch(component string, args ...string) error {
	return sup.launchAs(component, component, args...)
}

func (sup *supervisor) launchAs(name, component string, args ...string) error {
	c, err := startChild(sup.dir("logs"), name, component, args...)
	if err != nil {
		return err
	}
	if _, seen := sup.children[name]; !seen {
		sup.order = append(sup.order, name)
	}
	sup.children[name] = c
	sup.state.Children[name] = c.pid()
	go func() {
		<-c.done
		sup.exited <- c
	}()
	return sup.writeState()
}

// watch returns when a component crashes (an error) or the supervisor is told to stop (ctx).
// Meanwhile it fails and recovers nodes as their playground.k8s.io/down annotation asks. All of
// this runs on the supervisor's locked goroutine, which alone starts processes (Pdeathsig).
func (sup *supervisor) watch(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case c := <-sup.exited:
			if c.stopping {
				continue
			}
			if sup.restartCrashedKwok(ctx, c) {
				continue
			}
			return fmt.Errorf("%s exited unexpectedly (%v); see %s", c.name, c.err, sup.dir("logs", c.name+".log"))
		case node := <-sup.faults.changed:
			if err := sup.reconcileNodeFault(ctx, node); err != nil {
				logf("node %s: %v (will retry on the next change or resync)", node, err)
			}
		}
	}
}

// stopAll stops components in reverse start order: clients before the API server before etcd.
func (sup *supervisor) stopAll() {
	if sup.faults != nil {
		sup.faults.stop()
	}
	for i := len(sup.order) - 1; i >= 0; i-- {
		c := sup.children[sup.order[i]]
		c.stop(10 * time.Second)
	}
}

func (sup *supervisor) writeState() error {
	data, err := json.MarshalIndent(sup.state, "", "  ")
	if err != nil {
		return err
	}
	tmp := sup.dir("state.json.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, sup.dir("state.json"))
}

func (sup *supervisor) settingsSummary() map[string]any {
	return map[string]any{
		"nodes":                  sup.s.nodes,
		"leaseDurationSeconds":   sup.s.leaseDurationSeconds,
		"nodeMonitorGracePeriod": sup.s.nodeGracePeriod.String(),
		"podCreateDelay":         sup.s.podCreateDelay.String(),
		"podReadyDelay":          sup.s.podReadyDelay.String(),
		"graceScale":             sup.s.graceScale,
	}
}

func nodeNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "k8s-node" + strconv.Itoa(i+1)
	}
	return names
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s supervisor: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}
