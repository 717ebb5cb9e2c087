package main

import (
	"context"

	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

// loop is a minimal controller: a de-duplicating, rate-limited queue of keys and a reconcile
// function that reads current state from informer caches (level-triggered, so retries are safe).
type loop struct {
	name      string
	queue     workqueue.TypedRateLimitingInterface[string]
	reconcile func(ctx context.Context, key string) error
}

func newLoop(name string, reconcile func(ctx context.Context, key string) error) *loop {
	return &loop{
		name:      name,
		queue:     workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
		reconcile: reconcile,
	}
}

// handler enqueues the namespace/name key of every added, updated or deleted object.
func (l *loop) handler() cache.ResourceEventHandler {
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			l.queue.Add(key)
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
		DeleteFunc: enqueue,
	}
}

func (l *loop) run(ctx context.Context) {
	go func() {
		<-ctx.Done()
		l.queue.ShutDown()
	}()
	for {
		key, shutdown := l.queue.Get()
		if shutdown {
			return
		}
		if err := l.reconcile(ctx, key); err != nil {
			klog.ErrorS(err, "reconcile failed, will retry", "controller", l.name, "key", key)
			l.queue.AddRateLimited(key)
		} else {
			l.queue.Forget(key)
		}
		l.queue.Done(key)
	}
}
