import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { startKubelets } from "./kubelet";
import { startNodeLifecycle } from "./nodelifecycle";
import { tolerationTimeMs } from "./taint-eviction";
import { addNode, addPod, condition, eventsFor, getPod, setNodeDown } from "./testing/fixtures";

type Ctx = ReturnType<typeof createTestContext>;

function setup(speed = 1) {
  const ctx = createTestContext({ speed });
  for (const n of ["k8s-node1", "k8s-node2", "k8s-node3"]) addNode(ctx, n);
  const kubelets = startKubelets(ctx);
  const lifecycle = startNodeLifecycle(ctx);
  addPod(ctx, "kubia-1", { nodeName: "k8s-node2" });
  addPod(ctx, "kubia-0", { nodeName: "k8s-node1" });
  ctx.clock.advance(10_000); // pods running; leases renewed at t=10 s
  return { ctx, lifecycle, stop: () => (kubelets.stop(), lifecycle.stop()) };
}

const node = (ctx: Ctx, name: string) => ctx.store.get("nodes", undefined, name);
const ready = (ctx: Ctx, name: string) => node(ctx, name).status?.conditions?.find((c) => c.type === "Ready");
const taints = (ctx: Ctx, name: string) => (node(ctx, name).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

describe("node lifecycle and taint eviction", () => {
  it("looks at the nodes every monitor period, not at every Lease renewal", () => {
    const { ctx, lifecycle, stop } = setup();
    const added: string[] = [];
    const add = lifecycle.queue.add.bind(lifecycle.queue);
    lifecycle.queue.add = (key: string) => {
      added.push(key);
      add(key);
    };
    const renewals = () => ctx.store.view("leases.coordination.k8s.io").map((l) => l.metadata.resourceVersion).join();
    const before = renewals();
    ctx.clock.advance(20_000); // four monitor periods, in which each kubelet renews its Lease twice
    expect(renewals()).not.toBe(before);
    expect(added.filter((k) => k === "k8s-node1")).toHaveLength(4);
    expect(added.filter((k) => k.startsWith("k8s-node")).length).toBe(12);
    stop();
  });

  it("registers nodes", () => {
    const { ctx, stop } = setup();
    expect(eventsFor(ctx, "k8s-node1")).toContain("RegisteredNode: Node k8s-node1 event: Registered Node k8s-node1 in Controller");
    stop();
  });

  it("marks a silent node Unknown after the grace period, taints it, and evicts its pods after the toleration", () => {
    const { ctx, stop } = setup();
    setNodeDown(ctx, "k8s-node2", true); // last heartbeat: t=10 s
    ctx.clock.advance(50_000); // t=60 s: 50 s of silence is not more than the grace period
    expect(ready(ctx, "k8s-node2")?.status).toBe("True");
    ctx.clock.advance(5_000); // next monitor pass, t=65 s
    expect(ready(ctx, "k8s-node2")).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." });
    expect(node(ctx, "k8s-node2").status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(["Ready=Unknown", "MemoryPressure=Unknown", "DiskPressure=Unknown", "PIDPressure=Unknown"]);
    expect(taints(ctx, "k8s-node2")).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect(node(ctx, "k8s-node2").spec?.taints?.every((t) => typeof t.timeAdded === "string")).toBe(true);
    expect(eventsFor(ctx, "k8s-node2")).toContain("NodeNotReady: Node k8s-node2 status is now: NodeNotReady");
    expect(condition(getPod(ctx, "kubia-1"), "Ready")).toBe("False");
    expect(eventsFor(ctx, "kubia-1")).toContain("NodeNotReady: Node is not ready");
    expect(ready(ctx, "k8s-node1")?.status).toBe("True");
    expect(condition(getPod(ctx, "kubia-0"), "Ready")).toBe("True");

    ctx.clock.advance(300_000 - 1);
    expect(getPod(ctx, "kubia-1")?.metadata?.deletionTimestamp).toBeUndefined();
    ctx.clock.advance(1); // 300 s after the taint
    const evicted = getPod(ctx, "kubia-1")!;
    expect(evicted.metadata?.deletionTimestamp).toBeDefined();
    expect(evicted.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(evicted.status?.conditions?.find((c) => c.type === "DisruptionTarget")).toMatchObject({ status: "True", reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" });
    expect(eventsFor(ctx, "kubia-1")).toContain("TaintManagerEviction: Marking for deletion Pod default/kubia-1");
    ctx.clock.advance(60 * 60_000); // the kubelet is dead: Terminating until someone force-deletes it
    expect(getPod(ctx, "kubia-1")?.metadata?.deletionTimestamp).toBeDefined();

    setNodeDown(ctx, "k8s-node2", false);
    ctx.clock.advance(0);
    expect(ready(ctx, "k8s-node2")?.status).toBe("True");
    expect(taints(ctx, "k8s-node2")).toEqual([]);
    ctx.clock.advance(30_000); // the recovered kubelet finishes the termination
    expect(getPod(ctx, "kubia-1")).toBeUndefined();
    stop();
  });

  it("does not count the time the simulator stood still: a stall is not a silent kubelet", () => {
    const { ctx, stop } = setup();
    setNodeDown(ctx, "k8s-node2", true);
    // Pretend 20 s of the coming minute were one long reconcile that held every timer back.
    const stalledFrom = ctx.clock.now();
    const real = ctx.speed.stalledSince.bind(ctx.speed);
    ctx.speed.stalledSince = (since) => real(since) + Math.max(0, Math.min(20_000, ctx.clock.now() - Math.max(since, stalledFrom)));
    ctx.clock.advance(55_000); // 55 s since the last heartbeat, 20 s of them stalled: 35 s of silence
    expect(ready(ctx, "k8s-node2")?.status).toBe("True");
    ctx.clock.advance(20_000); // 75 s, 55 s of silence: past the 50 s grace period
    expect(ready(ctx, "k8s-node2")?.status).toBe("Unknown");
    stop();
  });

  it("gives every node a fresh grace period when the controller (re)starts", () => {
    const ctx = createTestContext();
    addNode(ctx, "k8s-node1"); // its last heartbeat is long gone, and no kubelet runs
    ctx.clock.advance(10 * 60_000);
    const lifecycle = startNodeLifecycle(ctx);
    ctx.clock.advance(50_000);
    expect(ready(ctx, "k8s-node1")?.status).toBe("True");
    ctx.clock.advance(5_000);
    expect(ready(ctx, "k8s-node1")?.status).toBe("Unknown");
    lifecycle.stop();
  });

  it("scales the grace period and the toleration with the speed factor", () => {
    const { ctx, stop } = setup(10);
    setNodeDown(ctx, "k8s-node2", true);
    ctx.clock.advance(5_500 + 30_000); // detection within 5 s + 0.5 s, then 300 s / 10
    expect(getPod(ctx, "kubia-1")?.metadata?.deletionTimestamp).toBeDefined();
    stop();
  });

  it("cancels the eviction when the node comes back in time, and the kubelet makes the pod Ready again", () => {
    const { ctx, stop } = setup();
    setNodeDown(ctx, "k8s-node2", true);
    ctx.clock.advance(120_000);
    expect(taints(ctx, "k8s-node2")).toContain("node.kubernetes.io/unreachable:NoExecute");
    setNodeDown(ctx, "k8s-node2", false);
    ctx.clock.advance(0);
    expect(eventsFor(ctx, "kubia-1")).toContain("TaintManagerEviction: Cancelling deletion of Pod default/kubia-1");
    expect(condition(getPod(ctx, "kubia-1"), "Ready")).toBe("True");
    ctx.clock.advance(600_000);
    expect(getPod(ctx, "kubia-1")?.metadata?.deletionTimestamp).toBeUndefined();
    stop();
  });

  it("keeps a deleted pod's eviction while it is Terminating, and cancels it with an event when it is force-deleted", () => {
    // Found by the differential fidelity suite (e2e/fidelity, node-failure): the real taint
    // eviction controller ignores a graceful delete and says "Cancelling deletion" once the pod is gone.
    const { ctx, stop } = setup();
    setNodeDown(ctx, "k8s-node2", true);
    ctx.clock.advance(60_000); // Unknown and tainted: eviction of kubia-1 scheduled
    ctx.store.delete("pods", "default", "kubia-1", {}); // graceful: stays Terminating on the dead node
    ctx.clock.advance(1_000);
    expect(getPod(ctx, "kubia-1")?.metadata?.deletionTimestamp).toBeDefined();
    expect(eventsFor(ctx, "kubia-1").filter((e) => e.startsWith("TaintManagerEviction"))).toEqual([]);
    ctx.store.delete("pods", "default", "kubia-1", { gracePeriodSeconds: 0 });
    ctx.clock.advance(0);
    expect(eventsFor(ctx, "kubia-1")).toContain("TaintManagerEviction: Cancelling deletion of Pod default/kubia-1");
    // Recorded against an ObjectReference without uid, as the real controller does.
    const cancelled = ctx.store.list("events", { namespace: "default" }).items.find((e) => e.reason === "TaintManagerEviction");
    expect(cancelled!.involvedObject.uid).toBeUndefined();
    stop();
  });

  it("stops evicting when every node is down (master disruption mode)", () => {
    const { ctx, stop } = setup();
    for (const n of ["k8s-node1", "k8s-node2", "k8s-node3"]) setNodeDown(ctx, n, true);
    ctx.clock.advance(10 * 60_000);
    for (const n of ["k8s-node1", "k8s-node2", "k8s-node3"]) {
      expect(ready(ctx, n)?.status).toBe("Unknown");
      expect(taints(ctx, n)).toEqual(["node.kubernetes.io/unreachable:NoSchedule"]);
    }
    expect(getPod(ctx, "kubia-1")?.metadata?.deletionTimestamp).toBeUndefined();
    stop();
  });

  it("computes the toleration time like getMinTolerationTime", () => {
    const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" };
    expect(tolerationTimeMs([unreachable], [])).toBe(0);
    expect(tolerationTimeMs([unreachable], [{ key: unreachable.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }])).toBe(300_000);
    expect(tolerationTimeMs([unreachable], [{ operator: "Exists" }])).toBe(-1);
    expect(tolerationTimeMs([unreachable], [{ operator: "Exists", tolerationSeconds: 60 }, { key: unreachable.key, operator: "Exists", tolerationSeconds: 10 }])).toBe(10_000);
  });
});
