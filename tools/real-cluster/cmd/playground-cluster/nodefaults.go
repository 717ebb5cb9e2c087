package main

import (
	"context"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
)

// Node failure, the way a kubelet fails: annotating a node playground.k8s.io/down=true makes the
// supervisor kill the KWOK process that plays that node's kubelet. Nothing renews the node's
// Lease any more, so after --node-monitor-grace-period the node lifecycle controller marks it
// Ready=Unknown, taints it unreachable and marks its pods not Ready; a pod deleted meanwhile
// stays Terminating (no kubelet confirms) until it is force-deleted. Removing the annotation (or
// setting it to anything but "true") restarts the process: the node reports Ready again and its
// pods are synced (Ready again, pending deletions completed), as after a kubelet restart.
//
// The embedded cluster honours the same annotation, so one client action fails a node on both.

type nodeFaults struct {
	cs      kubernetes.Interface
	nodes   corelisters.NodeLister
	changed chan string
	cancel  context.CancelFunc
}

// startNodeFaults watches nodes; changes are handled by the supervisor's watch loop.
func (sup *supervisor) startNodeFaults(ctx context.Context) error {
	cs, err := sup.client()
	if err != nil {
		return err
	}
	// The informer outlives the startup timeout: give it its own context.
	informerCtx, cancel := context.WithCancel(context.Background())
	factory := informers.NewSharedInformerFactory(cs, time.Minute)
	nf := &nodeFaults{cs: cs, nodes: factory.Core().V1().Nodes().Lister(), changed: make(chan string, 256), cancel: cancel}
	enqueue := func(obj any) {
		if node, ok := obj.(*corev1.Node); ok {
			nf.changed <- node.Name
		}
	}
	_, err = factory.Core().V1().Nodes().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
	})
	if err != nil {
		cancel()
		return err
	}
	factory.Start(informerCtx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), factory.Core().V1().Nodes().Informer().HasSynced) {
		cancel()
		return ctx.Err()
	}
	sup.faults = nf
	return nil
}

func (nf *nodeFaults) stop() { nf.cancel() }

// reconcileNodeFault makes the node's KWOK process match its annotation.
func (sup *supervisor) reconcileNodeFault(ctx context.Context, name string) error {
	if !slices.Contains(sup.state.Nodes, name) {
		return nil // not one of ours: no KWOK process plays it
	}
	node, err := sup.faults.nodes.Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	down := node.Annotations[DownAnnotation] == "true"
	proc := sup.children[kwokProcessName(name)]
	running := proc != nil && !proc.exited()
	switch {
	case down && running:
		proc.kill()
		logf("node %s failed: its kubelet (KWOK) was killed", name)
		return sup.setDown(name, true)
	case !down && !running:
		if err := sup.handOverLease(ctx, name); err != nil {
			return err
		}
		if err := sup.startNodeKwok(name); err != nil {
			return err
		}
		logf("node %s recovered: its kubelet (KWOK) was restarted", name)
		return sup.setDown(name, false)
	}
	return nil
}

func (sup *supervisor) setDown(name string, down bool) error {
	sup.state.DownNodes = slices.DeleteFunc(sup.state.DownNodes, func(n string) bool { return n == name })
	if down {
		sup.state.DownNodes = append(sup.state.DownNodes, name)
		slices.Sort(sup.state.DownNodes)
	}
	return sup.writeState()
}

// kwokCrashRestarts bounds the restarts of crashed KWOK processes over the cluster's life: a kubelet
// that crashes at start every time is a failure to report, not to hide.
const kwokCrashRestarts = 5

// restartCrashedKwok restarts a node's KWOK process that exited without being asked to, as systemd
// restarts a crashed kubelet (Restart=always). KWOK v0.8.0 can die at start with "concurrent map
// writes": its node and pod controllers initialise their CEL stages at once, and easycel caches
// type traits in a global map without a lock (easycel v0.6.0 types.go getTrait). The fidelity suite
// fails and recovers nodes many times, so the race was hit in CI. A node marked down stays down.
func (sup *supervisor) restartCrashedKwok(ctx context.Context, c *child) bool {
	name, ok := crashedKwokToRestart(c.name, sup.state.Nodes, sup.state.DownNodes, sup.kwokCrashes)
	if !ok {
		return false
	}
	sup.kwokCrashes++
	logf("node %s: its kubelet (KWOK) crashed (%v; see %s): restarting it (%d of at most %d)", name, c.err, sup.dir("logs", c.name+".log"), sup.kwokCrashes, kwokCrashRestarts)
	if sup.faults != nil {
		if err := sup.handOverLease(ctx, name); err != nil {
			logf("node %s: deleting its lease: %v", name, err)
		}
	}
	if err := sup.startNodeKwok(name); err != nil {
		logf("node %s: restarting its kubelet (KWOK): %v", name, err)
		return false
	}
	return true
}

// handOverLease deletes a node's Lease before its KWOK process starts again: the dead process's lease
// would keep the new one out until it expires, and a kubelet that restarts keeps its identity.
func (sup *supervisor) handOverLease(ctx context.Context, name string) error {
	err := sup.faults.cs.CoordinationV1().Leases(corev1.NamespaceNodeLease).Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	return nil
}

// crashedKwokToRestart names the node whose KWOK process this is, when it should be restarted: one
// of the cluster's nodes, not failed on purpose, within the restart budget.
func crashedKwokToRestart(process string, nodes, downNodes []string, crashes int) (string, bool) {
	name, ok := strings.CutPrefix(process, "kwok-")
	if !ok || !slices.Contains(nodes, name) || slices.Contains(downNodes, name) || crashes >= kwokCrashRestarts {
		return "", false
	}
	return name, true
}
