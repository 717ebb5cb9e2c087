import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { startScheduler } from "./scheduler";
import { addNode, addPod, addPvc, condition, eventsFor, getPod, podManifest } from "./testing/fixtures";

const PREEMPTION = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

function setup() {
  const ctx = createTestContext();
  for (const n of ["k8s-node1", "k8s-node2", "k8s-node3"]) addNode(ctx, n);
  return ctx;
}

function bindClaim(ctx: ReturnType<typeof createTestContext>, name: string) {
  const pvc = ctx.store.get("persistentvolumeclaims", "default", name);
  const bound = ctx.store.update("persistentvolumeclaims", { ...pvc, spec: { ...pvc.spec!, volumeName: `pvc-${pvc.metadata.uid}` } });
  ctx.store.update("persistentvolumeclaims", { ...bound, status: { phase: "Bound" } }, { subresource: "status" });
}

function taintAll(ctx: ReturnType<typeof createTestContext>, names: string[]) {
  for (const n of names) {
    const node = ctx.store.get("nodes", undefined, n);
    node.spec = { ...node.spec, taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }, { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] };
    ctx.store.update("nodes", node);
  }
}

describe("scheduler", () => {
  it("spreads pods over the nodes, fewest pods first, and records Scheduled", () => {
    const ctx = setup();
    const s = startScheduler(ctx);
    for (const name of ["kubia-0", "kubia-1", "kubia-2", "kubia-3"]) {
      addPod(ctx, name);
      ctx.clock.advance(1);
    }
    expect(["kubia-0", "kubia-1", "kubia-2", "kubia-3"].map((n) => getPod(ctx, n)?.spec?.nodeName)).toEqual(["k8s-node1", "k8s-node2", "k8s-node3", "k8s-node1"]);
    expect(condition(getPod(ctx, "kubia-0"), "PodScheduled")).toBe("True");
    expect(eventsFor(ctx, "kubia-1")).toEqual(["Scheduled: Successfully assigned default/kubia-1 to k8s-node2"]);
    s.stop();
  });

  it("leaves pods of another scheduler alone", () => {
    const ctx = setup();
    const s = startScheduler(ctx);
    const pod = addPod(ctx, "custom");
    ctx.store.update("pods", { ...pod, spec: { ...pod.spec!, schedulerName: "my-scheduler" } });
    ctx.clock.advance(10_000);
    expect(getPod(ctx, "custom")?.spec?.nodeName).toBeUndefined();
    s.stop();
  });

  it("waits for unbound immediate claims with the scheduler's wording, then binds after the back-off", () => {
    const ctx = setup();
    const s = startScheduler(ctx);
    addPvc(ctx, "data-kubia-0");
    addPod(ctx, "kubia-0", { claims: ["data-kubia-0"] });
    ctx.clock.advance(0);
    const pod = getPod(ctx, "kubia-0");
    const scheduled = pod?.status?.conditions?.find((c) => c.type === "PodScheduled");
    const message = `0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${PREEMPTION}`;
    expect(scheduled).toMatchObject({ status: "False", reason: "Unschedulable", message });
    expect(eventsFor(ctx, "kubia-0")).toEqual([`FailedScheduling: ${message}`]);
    ctx.clock.advance(300);
    bindClaim(ctx, "data-kubia-0");
    ctx.clock.advance(600); // 900 ms after the failure: still backing off (1 s)
    expect(getPod(ctx, "kubia-0")?.spec?.nodeName).toBeUndefined();
    ctx.clock.advance(100);
    expect(getPod(ctx, "kubia-0")?.spec?.nodeName).toBe("k8s-node1");
    expect(eventsFor(ctx, "kubia-0")).toEqual([`FailedScheduling: ${message}`, "Scheduled: Successfully assigned default/kubia-0 to k8s-node1"]);
    s.stop();
  });

  it("names a missing claim", () => {
    const ctx = setup();
    const s = startScheduler(ctx);
    addPod(ctx, "kubia-0", { claims: ["data-kubia-0"] });
    ctx.clock.advance(0);
    expect(eventsFor(ctx, "kubia-0")).toEqual([`FailedScheduling: 0/3 nodes are available: persistentvolumeclaim "data-kubia-0" not found. ${PREEMPTION}`]);
    s.stop();
  });

  it("reports untolerated taints when no node is ready, and schedules once a node recovers", () => {
    const ctx = setup();
    taintAll(ctx, ["k8s-node1", "k8s-node2", "k8s-node3"]);
    const s = startScheduler(ctx);
    addPod(ctx, "kubia-1");
    ctx.clock.advance(0);
    expect(getPod(ctx, "kubia-1")?.status?.conditions?.[0]?.message).toBe(
      `0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ${PREEMPTION}`,
    );
    // A heartbeat-like status change of a node does not trigger a new attempt.
    const n2 = ctx.store.get("nodes", undefined, "k8s-node2");
    ctx.store.update("nodes", { ...n2, status: { ...(n2.status as object), phase: "Running" } }, { subresource: "status" });
    ctx.clock.advance(5_000);
    expect(eventsFor(ctx, "kubia-1")).toHaveLength(1);
    ctx.store.update("nodes", { ...n2, metadata: { ...n2.metadata, resourceVersion: undefined }, spec: { ...(n2.spec as object), taints: [] } });
    ctx.clock.advance(0);
    expect(getPod(ctx, "kubia-1")?.spec?.nodeName).toBe("k8s-node2");
    s.stop();
  });

  it("counts mixed reasons per node and retries every 5 minutes without changes", () => {
    const ctx = setup();
    taintAll(ctx, ["k8s-node1", "k8s-node2"]);
    const n3 = ctx.store.get("nodes", undefined, "k8s-node3");
    ctx.store.update("nodes", { ...n3, spec: { ...(n3.spec as object), unschedulable: true } });
    const s = startScheduler(ctx);
    addPod(ctx, "kubia-0");
    ctx.clock.advance(0);
    const message = `0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ${PREEMPTION}`;
    expect(eventsFor(ctx, "kubia-0")).toEqual([`FailedScheduling: ${message}`]);
    ctx.clock.advance(5 * 60_000);
    expect(eventsFor(ctx, "kubia-0")).toEqual([`FailedScheduling: ${message} (x2)`]);
    s.stop();
  });

  it("honours allocatable pods: the 4th pod on 3 one-pod nodes stays Pending with Too many pods, and is placed when a pod leaves", () => {
    const ctx = createTestContext();
    for (const n of ["k8s-node1", "k8s-node2", "k8s-node3"]) addNode(ctx, n, { maxPods: 1 });
    const s = startScheduler(ctx);
    for (const name of ["web-0", "web-1", "web-2", "web-3"]) addPod(ctx, name);
    ctx.clock.advance(0);
    expect(getPod(ctx, "web-3")?.spec?.nodeName).toBeUndefined();
    const message = "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    expect(eventsFor(ctx, "web-3")).toEqual([`FailedScheduling: ${message}`]);
    ctx.store.delete("pods", "default", "web-1", { gracePeriodSeconds: 0 });
    ctx.clock.advance(1_000);
    expect(getPod(ctx, "web-3")?.spec?.nodeName).toBe("k8s-node2");
    s.stop();
  });

  it("sums CPU and memory requests per node; a request larger than any node is not helped by preemption", () => {
    const ctx = setup();
    const s = startScheduler(ctx);
    const withRequests = (cpu: string, memory: string) => ({ containers: [{ name: "app", image: "luksa/kubia", resources: { requests: { cpu, memory } } }] });
    for (const name of ["big-0", "big-1", "big-2"]) addPod(ctx, name, withRequests("1500m", "1Gi"));
    addPod(ctx, "big-3", withRequests("1", "1Gi"));
    addPod(ctx, "huge", withRequests("3", "1Gi"));
    ctx.clock.advance(0);
    expect(["big-0", "big-1", "big-2"].map((n) => getPod(ctx, n)?.spec?.nodeName).sort()).toEqual(["k8s-node1", "k8s-node2", "k8s-node3"]);
    expect(eventsFor(ctx, "big-3")).toEqual([
      "FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    ]);
    expect(eventsFor(ctx, "huge")).toEqual([
      "FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    ]);
    s.stop();
  });

  it("honours node selectors and tolerations", () => {
    const ctx = createTestContext();
    addNode(ctx, "k8s-node1", { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] });
    addNode(ctx, "k8s-node2");
    const s = startScheduler(ctx);
    const selected = podManifest("picky", { containers: undefined });
    selected.spec!.nodeSelector = { "kubernetes.io/hostname": "k8s-node1" };
    ctx.store.create("pods", selected);
    const tolerant = podManifest("tolerant");
    tolerant.spec!.nodeSelector = { "kubernetes.io/hostname": "k8s-node1" };
    tolerant.spec!.tolerations = [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }];
    ctx.store.create("pods", tolerant);
    ctx.clock.advance(0);
    expect(eventsFor(ctx, "picky")).toEqual([
      "FailedScheduling: 0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: db}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    ]);
    expect(getPod(ctx, "tolerant")?.spec?.nodeName).toBe("k8s-node1");
    s.stop();
  });
});
