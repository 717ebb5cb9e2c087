package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/utils/lifecycle"
)

// loadLifecycle renders the KWOK configuration, loads it the way KWOK does (--config) and returns
// the pod lifecycle.
func loadLifecycle(t *testing.T, graceScale float64) (lifecycle.Lifecycle, *internalversion.KwokConfiguration) {
	t.Helper()
	sup := &supervisor{s: settings{leaseDurationSeconds: 20, podCreateDelay: time.Second, podReadyDelay: 2 * time.Second, graceScale: graceScale}}
	path := filepath.Join(t.TempDir(), "kwok.yaml")
	if err := os.WriteFile(path, []byte(sup.renderKwokConfig()), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, err := config.Load(context.Background(), path)
	if err != nil {
		t.Fatalf("KWOK rejects the rendered config: %v", err)
	}
	var stages []*internalversion.Stage
	var kwokConf *internalversion.KwokConfiguration
	for _, obj := range objs {
		switch o := obj.(type) {
		case *internalversion.Stage:
			stages = append(stages, o)
		case *internalversion.KwokConfiguration:
			kwokConf = o
		}
	}
	if len(stages) != 5 || kwokConf == nil {
		t.Fatalf("want 5 stages and a KwokConfiguration, got %d stages, config %v", len(stages), kwokConf != nil)
	}
	// KWOK groups stages by resource; these tests look at the pod stages.
	var podStages []*internalversion.Stage
	for _, s := range stages {
		if s.Spec.ResourceRef.Kind == "Pod" {
			podStages = append(podStages, s)
		}
	}
	lc, err := lifecycle.NewLifecycle(podStages)
	if err != nil {
		t.Fatal(err)
	}
	return lc, kwokConf
}

// podEvent is what KWOK's pod controller matches stages against (the typed object).
func podEvent(pod *corev1.Pod) *lifecycle.Event {
	return &lifecycle.Event{Labels: pod.Labels, Annotations: pod.Annotations, Data: pod}
}

func matchStage(t *testing.T, lc lifecycle.Lifecycle, pod *corev1.Pod) (*lifecycle.Stage, time.Duration) {
	t.Helper()
	ev := podEvent(pod)
	stage, err := lc.Match(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if stage == nil {
		return nil, 0
	}
	delay, _, err := stage.Delay(context.Background(), ev, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return stage, delay
}

func terminatingPod(grace int64) *corev1.Pod {
	deadline := metav1.NewTime(time.Now().Add(time.Duration(grace) * time.Second))
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia-0", Namespace: "default", DeletionTimestamp: &deadline, DeletionGracePeriodSeconds: &grace},
		Spec:       corev1.PodSpec{NodeName: "k8s-node1", Containers: []corev1.Container{{Name: "kubia", Image: "luksa/kubia-pet"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.244.0.2"},
	}
}

func TestRenderedConfigIsWhatKwokLoads(t *testing.T) {
	_, conf := loadLifecycle(t, 1)
	if conf.Options.NodeLeaseDurationSeconds != 20 {
		t.Errorf("lease duration = %d, want 20", conf.Options.NodeLeaseDurationSeconds)
	}
	o := conf.Options
	if o.NodeLeaseParallelism == 0 || o.PodPlayStageParallelism == 0 || o.NodePlayStageParallelism == 0 || o.PodsOnNodeSyncParallelism == 0 {
		t.Errorf("KWOK refuses zero parallelism (no defaulting when a config is given): %+v", o)
	}
	if o.ManageNodesWithAnnotationSelector != "" || o.ManageAllNodes {
		t.Errorf("node selection belongs to the per-node --manage-single-node flag (they conflict): %+v", o)
	}
}

func TestPodLifecycleStagesInOrder(t *testing.T) {
	lc, _ := loadLifecycle(t, 1)
	pod := terminatingPod(30)
	pod.DeletionTimestamp, pod.DeletionGracePeriodSeconds = nil, nil
	pod.Status = corev1.PodStatus{Phase: corev1.PodPending}

	stage, delay := matchStage(t, lc, pod)
	if stage == nil || stage.Name() != "pod-create" || delay != time.Second {
		t.Fatalf("scheduled pod: got %v after %s, want pod-create after 1s", stageName(stage), delay)
	}
	pod.Status.PodIP = "10.244.0.2"
	stage, delay = matchStage(t, lc, pod)
	if stage == nil || stage.Name() != "pod-ready" || delay != 2*time.Second {
		t.Fatalf("pending pod with IP: got %v after %s, want pod-ready after 2s", stageName(stage), delay)
	}
	pod.Status.Phase = corev1.PodRunning
	pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	if stage, _ = matchStage(t, lc, pod); stage != nil {
		t.Fatalf("running ready pod must be left alone, got %s", stage.Name())
	}
	pod.Status.Conditions[0].Status = corev1.ConditionFalse // node lifecycle controller, node unreachable
	if stage, _ = matchStage(t, lc, pod); stage == nil || stage.Name() != "pod-ready-again" {
		t.Fatalf("running unready pod: got %v, want pod-ready-again", stageName(stage))
	}
}

func TestGracefulDeleteWaitsForTheGracePeriod(t *testing.T) {
	for _, tc := range []struct {
		scale    float64
		min, max time.Duration
	}{
		{scale: 1, min: 28 * time.Second, max: 30 * time.Second},
		{scale: 0.1, min: 1500 * time.Millisecond, max: 3500 * time.Millisecond},
		{scale: 2, min: 58 * time.Second, max: 61 * time.Second},
	} {
		lc, _ := loadLifecycle(t, tc.scale)
		stage, delay := matchStage(t, lc, terminatingPod(30))
		if stage == nil || stage.Name() != "pod-delete" {
			t.Fatalf("scale %g: terminating pod matched %v, want pod-delete", tc.scale, stageName(stage))
		}
		if delay < tc.min || delay > tc.max {
			t.Errorf("scale %g: a 30s grace period waits %s, want within [%s, %s]", tc.scale, delay, tc.min, tc.max)
		}
	}
}

func TestPodWithFinalizerWaitsForIt(t *testing.T) {
	lc, _ := loadLifecycle(t, 1)
	pod := terminatingPod(30)
	pod.Finalizers = []string{"example.com/hold"}
	if stage, _ := matchStage(t, lc, pod); stage != nil {
		t.Fatalf("pod with finalizer matched %s", stage.Name())
	}
}

func stageName(s *lifecycle.Stage) string {
	if s == nil {
		return "<none>"
	}
	return s.Name()
}
