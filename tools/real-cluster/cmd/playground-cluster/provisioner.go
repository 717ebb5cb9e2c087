package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	storagelisters "k8s.io/client-go/listers/storage/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
)

// Annotations of the external-provisioning protocol: the PV controller (kube-controller-manager)
// marks a claim of a non-in-tree class with the provisioner that should serve it, waits for a PV
// pre-bound to the claim, then binds both. The provisioner deletes Released volumes it made when
// their reclaim policy is Delete. Same contract as sigs.k8s.io/sig-storage-lib-external-provisioner.
const (
	annStorageProvisioner     = "volume.kubernetes.io/storage-provisioner"
	annBetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner"
	annSelectedNode           = "volume.kubernetes.io/selected-node"
	annProvisionedBy          = "pv.kubernetes.io/provisioned-by"
)

// runVolumeProvisioner serves the `standard` StorageClass: what a real cluster gets from its
// environment (minikube's hostpath provisioner, kind's local-path) rather than from Kubernetes.
func runVolumeProvisioner(args []string) int {
	fs := flag.NewFlagSet("volume-provisioner", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig of the cluster")
	hostPathRoot := fs.String("hostpath-root", "/tmp/playground-volumes", "directory named in provisioned hostPath volumes")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cs, err := clientsetFromKubeconfig(*kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "volume-provisioner:", err)
		return 1
	}
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()

	broadcaster := record.NewBroadcaster(record.WithContext(ctx))
	broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: cs.CoreV1().Events("")})
	defer broadcaster.Shutdown()
	recorder := broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: ProvisionerName})

	factory := informers.NewSharedInformerFactory(cs, 30*time.Second)
	provisioner := newProvisioner(cs, factory, recorder, *hostPathRoot)
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	klog.InfoS("volume-provisioner started", "provisioner", ProvisionerName)

	go provisioner.claims.run(ctx)
	go provisioner.volumes.run(ctx)
	<-ctx.Done()
	return 0
}

func clientsetFromKubeconfig(path string) (kubernetes.Interface, error) {
	cfg, err := restConfigFromKubeconfig(path)
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(cfg)
}

type provisioner struct {
	cs       kubernetes.Interface
	claims   *loop
	volumes  *loop
	pvcs     corelisters.PersistentVolumeClaimLister
	pvs      corelisters.PersistentVolumeLister
	classes  storagelisters.StorageClassLister
	recorder record.EventRecorder
	root     string
}

func newProvisioner(cs kubernetes.Interface, f informers.SharedInformerFactory, recorder record.EventRecorder, root string) *provisioner {
	p := &provisioner{
		cs:       cs,
		pvcs:     f.Core().V1().PersistentVolumeClaims().Lister(),
		pvs:      f.Core().V1().PersistentVolumes().Lister(),
		classes:  f.Storage().V1().StorageClasses().Lister(),
		recorder: recorder,
		root:     root,
	}
	p.claims = newLoop("provision", p.provision)
	p.volumes = newLoop("delete-released", p.deleteReleased)
	_, _ = f.Core().V1().PersistentVolumeClaims().Informer().AddEventHandler(p.claims.handler())
	_, _ = f.Core().V1().PersistentVolumes().Informer().AddEventHandler(p.volumes.handler())
	// Touch the class informer so the factory starts it.
	_ = f.Storage().V1().StorageClasses().Informer()
	return p
}

func (p *provisioner) provision(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	claim, err := p.pvcs.PersistentVolumeClaims(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	class, ok := p.classFor(claim)
	if !ok {
		return nil
	}
	volumeName := "pvc-" + string(claim.UID)
	if _, err := p.pvs.Get(volumeName); err == nil {
		return nil // already provisioned; the PV controller does the binding
	}
	ref := claimReference(claim)
	p.recorder.Eventf(claim, corev1.EventTypeNormal, "Provisioning", "External provisioner is provisioning volume for claim %q", ns+"/"+name)
	_, err = p.cs.CoreV1().PersistentVolumes().Create(ctx, p.volumeFor(claim, class, volumeName, ref), metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err != nil {
		p.recorder.Eventf(claim, corev1.EventTypeWarning, "ProvisioningFailed", "failed to provision volume with StorageClass %q: %v", class.Name, err)
		return err
	}
	klog.InfoS("provisioned volume", "claim", key, "volume", volumeName)
	p.recorder.Eventf(claim, corev1.EventTypeNormal, "ProvisioningSucceeded", "Successfully provisioned volume %s", volumeName)
	return nil
}

// classFor returns the claim's StorageClass when this provisioner should create its volume now.
func (p *provisioner) classFor(claim *corev1.PersistentVolumeClaim) (*storagev1.StorageClass, bool) {
	if claim.DeletionTimestamp != nil || claim.Spec.VolumeName != "" || claim.Status.Phase != corev1.ClaimPending {
		return nil, false
	}
	requested := claim.Annotations[annStorageProvisioner]
	if requested == "" {
		requested = claim.Annotations[annBetaStorageProvisioner]
	}
	if requested != ProvisionerName || claim.Spec.StorageClassName == nil {
		return nil, false
	}
	class, err := p.classes.Get(*claim.Spec.StorageClassName)
	if err != nil || class.Provisioner != ProvisionerName {
		return nil, false
	}
	waitForConsumer := class.VolumeBindingMode != nil && *class.VolumeBindingMode == storagev1.VolumeBindingWaitForFirstConsumer
	if waitForConsumer && claim.Annotations[annSelectedNode] == "" {
		return nil, false
	}
	return class, true
}

func claimReference(claim *corev1.PersistentVolumeClaim) *corev1.ObjectReference {
	return &corev1.ObjectReference{
		APIVersion: "v1", Kind: "PersistentVolumeClaim",
		Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID, ResourceVersion: claim.ResourceVersion,
	}
}

func (p *provisioner) volumeFor(claim *corev1.PersistentVolumeClaim, class *storagev1.StorageClass, name string, ref *corev1.ObjectReference) *corev1.PersistentVolume {
	reclaim := corev1.PersistentVolumeReclaimDelete
	if class.ReclaimPolicy != nil {
		reclaim = *class.ReclaimPolicy
	}
	hostPathType := corev1.HostPathDirectoryOrCreate
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Annotations: map[string]string{annProvisionedBy: ProvisionerName},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: claim.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   claim.Spec.AccessModes,
			ClaimRef:                      ref,
			PersistentVolumeReclaimPolicy: reclaim,
			StorageClassName:              class.Name,
			MountOptions:                  class.MountOptions,
			VolumeMode:                    claim.Spec.VolumeMode,
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: filepath.Join(p.root, name), Type: &hostPathType},
			},
		},
	}
}

func (p *provisioner) deleteReleased(ctx context.Context, name string) error {
	pv, err := p.pvs.Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if pv.Annotations[annProvisionedBy] != ProvisionerName || pv.DeletionTimestamp != nil ||
		pv.Status.Phase != corev1.VolumeReleased || pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete {
		return nil
	}
	uid := pv.UID
	err = p.cs.CoreV1().PersistentVolumes().Delete(ctx, name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	if err == nil {
		klog.InfoS("deleted released volume", "volume", name)
	}
	return err
}
