package main

import (
	"context"
	"fmt"
	"reflect"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

const (
	// ProvisionerName is the StorageClass provisioner served by the volume-provisioner process.
	ProvisionerName = "playground.k8s.io/hostpath"
	// DownAnnotation marks a node as failed; the embedded cluster honours the same annotation.
	DownAnnotation = "playground.k8s.io/down"
)

func (sup *supervisor) client() (kubernetes.Interface, error) {
	cfg, err := restConfigFromKubeconfig(sup.dir("kubeconfig"))
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(cfg)
}

// bootstrap creates what a fresh kind/minikube cluster has before anyone deploys: a default
// StorageClass with a dynamic provisioner and the (fake) worker nodes.
func (sup *supervisor) bootstrap(ctx context.Context) error {
	cs, err := sup.client()
	if err != nil {
		return err
	}
	if err := createIgnoringExists(func() error {
		_, err := cs.StorageV1().StorageClasses().Create(ctx, standardStorageClass(), metav1.CreateOptions{})
		return err
	}); err != nil {
		return fmt.Errorf("storage class: %w", err)
	}
	for i, name := range sup.state.Nodes {
		node := fakeNode(name, i+1)
		_, err := cs.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			err = ensureNodeAddresses(ctx, cs, node)
		}
		if err != nil {
			return fmt.Errorf("node %s: %w", name, err)
		}
	}
	return nil
}

// ensureNodeAddresses moves a node kept in a state directory from an older release (documentation-range
// 192.0.2.x addresses) onto its loopback address, so no run of this binary has a kubelet address off the machine.
func ensureNodeAddresses(ctx context.Context, cs kubernetes.Interface, want *corev1.Node) error {
	node, err := cs.CoreV1().Nodes().Get(ctx, want.Name, metav1.GetOptions{})
	if err != nil || reflect.DeepEqual(node.Status.Addresses, want.Status.Addresses) {
		return err
	}
	node.Status.Addresses = want.Status.Addresses
	_, err = cs.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
	return err
}

// standardStorageClass mirrors minikube's default class: Immediate binding, reclaim Delete, and a
// provisioner that names volumes pvc-<claim uid>.
func standardStorageClass() *storagev1.StorageClass {
	immediate := storagev1.VolumeBindingImmediate
	reclaim := corev1.PersistentVolumeReclaimDelete
	return &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{
			Name:        "standard",
			Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"},
		},
		Provisioner:       ProvisionerName,
		ReclaimPolicy:     &reclaim,
		VolumeBindingMode: &immediate,
	}
}

func fakeNode(name string, index int) *corev1.Node {
	resources := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("4"),
		corev1.ResourceMemory: resource.MustParse("16Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				"kubernetes.io/hostname": name,
				"kubernetes.io/os":       "linux",
				"kubernetes.io/arch":     "amd64",
				"type":                   "kwok",
			},
			// KWOK plays the kubelet of every node carrying this annotation.
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake"},
		},
		Spec: corev1.NodeSpec{PodCIDR: podCIDR(index), PodCIDRs: []string{podCIDR(index)}},
		Status: corev1.NodeStatus{
			Capacity:    resources,
			Allocatable: resources,
			Addresses: []corev1.NodeAddress{
				// Loopback: the API server dials a kubelet at its InternalIP (--kubelet-preferred-address-types)
				// for exec, logs and port-forward. KWOK serves none, so the dial is refused on this machine
				// instead of resolving k8s-nodeN through the host's resolver and leaving it.
				{Type: corev1.NodeInternalIP, Address: nodeInternalIP(index)},
				{Type: corev1.NodeHostName, Address: name},
			},
		},
	}
}

// nodeInternalIP is node index's address: 127.0.2.(10+index), on loopback where nothing listens on 10250.
func nodeInternalIP(index int) string { return fmt.Sprintf("127.0.2.%d", 10+index) }

// podCIDR is node index's pod range; its KWOK hands out pod IPs from it.
func podCIDR(index int) string { return fmt.Sprintf("10.244.%d.0/24", index) }

func createIgnoringExists(create func() error) error {
	if err := create(); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}

// waitClusterReady waits for what a workload needs: Ready nodes and the default ServiceAccount
// (the ServiceAccount admission plugin rejects pods until the controller manager created it).
func (sup *supervisor) waitClusterReady(ctx context.Context) error {
	cs, err := sup.client()
	if err != nil {
		return err
	}
	var last string
	for {
		last = sup.clusterNotReadyReason(ctx, cs)
		if last == "" {
			return nil
		}
		for name, c := range sup.children {
			if c.exited() {
				return fmt.Errorf("%s exited (%v); see %s", name, c.err, sup.dir("logs", name+".log"))
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s (%w)", last, ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func (sup *supervisor) clusterNotReadyReason(ctx context.Context, cs kubernetes.Interface) string {
	for _, name := range sup.state.Nodes {
		node, err := cs.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return fmt.Sprintf("node %s: %v", name, err)
		}
		if !nodeReady(node) {
			return fmt.Sprintf("node %s not Ready", name)
		}
	}
	if _, err := cs.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{}); err != nil {
		return fmt.Sprintf("serviceaccount default/default: %v", err)
	}
	return ""
}

func nodeReady(node *corev1.Node) bool {
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
