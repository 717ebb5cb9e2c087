import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import type { SimContext } from "../../../context";
import { createTestContext, type TestClock } from "../../../testing/context";
import { afterEach, beforeEach } from "vitest";
import type { RunningController } from "../../runtime/controller";
import { startStatefulSetController } from "../controller";
import { timeField } from "../../../../k8s/time";

/**
 * Test helpers for the StatefulSet controller: a minimal stand-in for the scheduler and kubelet
 * (the real ones are separate controllers), and a journal of what happened to pods, in order.
 */

export type TestContext = SimContext & { clock: TestClock };


export function getPod(ctx: SimContext, name: string, namespace = "default"): V1Pod | undefined {
  return ctx.store.tryGet("pods", namespace, name);
}

export function podNames(ctx: SimContext, namespace = "default"): string[] {
  return ctx.store.list("pods", { namespace }).items.map((p) => p.metadata.name!);
}

/** Binds the pod to a node (so deleting it becomes graceful) and reports it Running and Ready. */
export function markReady(ctx: SimContext, name: string, namespace = "default"): void {
  const pod = ctx.store.get("pods", namespace, name);
  const now = timeField(ctx.clock.now());
  if (!pod.spec?.nodeName) {
    ctx.store.update("pods", { ...pod, spec: { ...pod.spec!, nodeName: "node-a" } });
  }
  const latest = ctx.store.get("pods", namespace, name);
  ctx.store.update(
    "pods",
    {
      ...latest,
      status: {
        phase: "Running",
        podIP: "10.1.1.10",
        conditions: [
          { type: "PodScheduled", status: "True", lastTransitionTime: now },
          { type: "Ready", status: "True", lastTransitionTime: now },
        ],
      },
    },
    { subresource: "status" },
  );
}

export function markFailed(ctx: SimContext, name: string, namespace = "default"): void {
  const pod = ctx.store.get("pods", namespace, name);
  ctx.store.update("pods", { ...pod, status: { phase: "Failed", conditions: [] } }, { subresource: "status" });
}

/** What the kubelet does at the end of graceful termination: the final delete with grace 0. */
export function finishTerminating(ctx: SimContext, namespace = "default"): string[] {
  const done: string[] = [];
  for (const pod of ctx.store.list("pods", { namespace }).items) {
    if (!pod.metadata.deletionTimestamp) continue;
    ctx.store.delete("pods", namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
    done.push(pod.metadata.name!);
  }
  return done;
}

/** Lets queued reconciles run (no simulated time passes). */
export function drain(ctx: TestContext): void {
  ctx.clock.advance(0);
}

/** Runs everything to a fixed point: every new pod becomes Ready, every Terminating pod finishes. */
export function settle(ctx: TestContext, rounds = 50): void {
  for (let i = 0; i < rounds; i++) {
    drain(ctx);
    let changed = finishTerminating(ctx).length > 0;
    for (const pod of ctx.store.list("pods").items) {
      if (!pod.metadata.deletionTimestamp && (pod.status as V1Pod["status"])?.phase !== "Running") {
        markReady(ctx, pod.metadata.name!, pod.metadata.namespace);
        changed = true;
      }
    }
    drain(ctx);
    if (!changed) return;
  }
}

/**
 * Journals pod lifecycle steps in commit order: `+kubia-0` created, `~kubia-0` marked Terminating,
 * `-kubia-0` removed from the API.
 */
export function journal(ctx: SimContext): { steps: string[]; take(): string[] } {
  const steps: string[] = [];
  const terminating = new Set<string>();
  ctx.store.watch("pods", {}, (type, obj) => {
    const name = obj.metadata.name!;
    if (type === "ADDED") steps.push(`+${name}`);
    else if (type === "DELETED") {
      steps.push(`-${name}`);
      terminating.delete(obj.metadata.uid!);
    } else if (obj.metadata.deletionTimestamp && !terminating.has(obj.metadata.uid!)) {
      terminating.add(obj.metadata.uid!);
      steps.push(`~${name}`);
    }
  });
  return {
    steps,
    take() {
      return steps.splice(0, steps.length);
    },
  };
}

/** A StatefulSet like the book's kubia example, with overrides. */
export function kubiaSet(overrides: Partial<V1StatefulSet["spec"]> = {}, name = "kubia"): V1StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace: "default" },
    spec: {
      serviceName: name,
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: "luksa/kubia-pet", ports: [{ containerPort: 8080 }], volumeMounts: [{ name: "data", mountPath: "/var/data" }] }],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } },
      ],
      ...overrides,
    },
  };
}

export function createSet(ctx: SimContext, set: V1StatefulSet): V1StatefulSet {
  return ctx.store.create("statefulsets.apps", set);
}

export function getSet(ctx: SimContext, name = "kubia"): V1StatefulSet {
  return ctx.store.get("statefulsets.apps", "default", name);
}

/** Changes spec fields the way `kubectl scale`/`apply` would (an update of the main resource). */
export function patchSpec(ctx: SimContext, patch: Partial<V1StatefulSet["spec"]>, name = "kubia"): void {
  const set = ctx.store.get("statefulsets.apps", "default", name);
  ctx.store.update("statefulsets.apps", { ...set, spec: { ...set.spec!, ...patch } });
}

export function eventMessages(ctx: SimContext, reason?: string): string[] {
  return ctx.store
    .list("events", { namespace: "default" })
    .items.filter((e) => !reason || e.reason === reason)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => e.message as string);
}

/**
 * Each test of the file gets a fresh context with the StatefulSet controller alone running on a
 * manual clock (stopped after the test); `use` receives the context (`let ctx; withSetController((c) => (ctx = c))`).
 */
export function withSetController(use: (ctx: TestContext) => void): void {
  let controller: RunningController | undefined;
  beforeEach(() => {
    const ctx = createTestContext();
    controller = startStatefulSetController(ctx);
    use(ctx);
  });
  afterEach(() => controller?.stop());
}
