import type { Stored } from "../store/types";
import type { V1Node, V1NodeCondition, V1Pod, V1Taint } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { type RunningController, runController } from "./runtime/controller";
import { objectKey, splitKey } from "../../k8s/keys";
import { recordEvent } from "./runtime/events";
import { startTaintEviction } from "./taint-eviction";
import { canonicalJson, isPodTerminal, nowTime, timeMs } from "./util";
import { timeField } from "../../k8s/time";

/** kube-controller-manager defaults (real-cluster ms): --node-monitor-period, --node-monitor-grace-period (50 s since 1.32), --node-startup-grace-period. */
export const NODE_MONITOR = { periodMs: 5_000, gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

const SOURCE = { component: "node-controller" };
const CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
const UNREACHABLE = "node.kubernetes.io/unreachable";
const NOT_READY = "node.kubernetes.io/not-ready";
const UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
const CONTROLLER_TAINTS = [UNREACHABLE, NOT_READY, UNSCHEDULABLE];

const readyOf = (node: V1Node) => node.status?.conditions?.find((c) => c.type === "Ready");

/** The taints the controller wants on a node for its Ready status (TaintNodesByCondition + NoExecute tainting). */
function desiredTaints(node: V1Node, fullDisruption: boolean): V1Taint[] {
  const status = readyOf(node)?.status;
  const key = status === "Unknown" ? UNREACHABLE : status === "False" ? NOT_READY : undefined;
  const taints: V1Taint[] = [];
  if (key) taints.push({ key, effect: "NoSchedule" });
  // With every node down ("master disruption mode") the controller stops evicting altogether.
  if (key && !fullDisruption) taints.push({ key, effect: "NoExecute" });
  if (node.spec?.unschedulable) taints.push({ key: UNSCHEDULABLE, effect: "NoSchedule" });
  return taints;
}

/**
 * The node lifecycle controller: watches heartbeats (the node Lease and the Ready condition's
 * lastHeartbeatTime); a node silent for longer than the grace period gets all its conditions
 * `Unknown` ("Kubelet stopped posting node status."), the `unreachable` NoSchedule and NoExecute
 * taints, and its pods Ready=False. The taint eviction controller then deletes the pods once
 * their toleration (300 s by default) runs out. Taints go when the kubelet reports Ready again.
 */
export function startNodeLifecycle(ctx: SimContext): RunningController {
  const store = ctx.store;
  /** When this controller first saw each node: a (re)started controller gives every node a fresh grace period. */
  const registered = new Map<string, number>();
  let fullDisruption = false;

  const lastSeen = (node: V1Node): number => {
    const lease = store.peek("leases.coordination.k8s.io", "kube-node-lease", node.metadata!.name!);
    const candidates = [timeMs(lease?.spec?.renewTime), timeMs(readyOf(node)?.lastHeartbeatTime), timeMs(node.metadata?.creationTimestamp), registered.get(node.metadata!.name!) ?? NaN];
    return Math.max(...candidates.filter((t) => !Number.isNaN(t)));
  };

  const markPodNotReady = (pod: Stored<"pods">) => {
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
    if (!ready || ready.status === "False" || isPodTerminal(pod)) return;
    const conditions = pod.status!.conditions!.map((c) => (c.type === "Ready" ? { ...c, status: "False", lastTransitionTime: nowTime(ctx) } : c));
    const updated = store.update("pods", { ...pod, status: { ...pod.status, conditions } }, { subresource: "status" });
    recordEvent(ctx, updated, "Warning", "NodeNotReady", "Node is not ready", SOURCE);
  };

  /** tryUpdateNodeHealth: the kubelet has been silent too long, so its node's state is unknown. */
  const markUnknown = (node: V1Node): V1Node => {
    const at = nowTime(ctx);
    const existing = node.status?.conditions ?? [];
    const conditions: V1NodeCondition[] = existing.filter((c) => !CONDITIONS.includes(c.type));
    for (const type of CONDITIONS) {
      const c = existing.find((x) => x.type === type);
      conditions.push(
        c
          ? { ...c, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: at }
          : { type, status: "Unknown", reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status.", lastHeartbeatTime: node.metadata!.creationTimestamp, lastTransitionTime: at },
      );
    }
    conditions.sort((a, b) => CONDITIONS.indexOf(a.type) - CONDITIONS.indexOf(b.type));
    return store.update("nodes", { ...node, status: { ...node.status, conditions } }, { subresource: "status" });
  };

  const reconcileTaints = (node: V1Node) => {
    const desired = desiredTaints(node, fullDisruption);
    const current = node.spec?.taints ?? [];
    const same = (a: V1Taint, b: V1Taint) => a.key === b.key && a.effect === b.effect;
    const keep = current.filter((t) => !CONTROLLER_TAINTS.includes(t.key) || desired.some((d) => same(d, t)));
    const add = desired.filter((d) => !current.some((t) => same(d, t))).map((t) => ({ ...t, timeAdded: timeField(ctx.clock.now()) }));
    const taints = [...keep, ...add];
    if (canonicalJson(taints) === canonicalJson(current)) return;
    store.update("nodes", { ...node, spec: { ...node.spec, taints: taints.length ? taints : undefined } });
  };

  const monitorNode = (name: string) => {
    // Read without a copy (every write below builds a new object): this runs for every node every period.
    let node = store.peek("nodes", undefined, name) as V1Node | undefined;
    if (!node) return void registered.delete(name);
    if (!registered.has(name)) {
      registered.set(name, ctx.clock.now());
      recordEvent(ctx, node, "Normal", "RegisteredNode", `Node ${name} event: Registered Node ${name} in Controller`, SOURCE);
    }
    const ready = readyOf(node);
    const grace = ready ? NODE_MONITOR.gracePeriodMs : NODE_MONITOR.startupGracePeriodMs;
    // Silent for longer than the grace period, not counting the time the simulator itself stood
    // still (every kubelet's heartbeat waited behind it as well).
    const seen = lastSeen(node);
    const silence = ctx.clock.now() - seen - ctx.speed.stalledSince(seen);
    if (ready?.status !== "Unknown" && silence > grace) {
      const wasReady = ready?.status === "True";
      node = markUnknown(node);
      if (wasReady) {
        recordEvent(ctx, node, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`, SOURCE);
        for (const pod of store.list("pods", { fieldSelector: `spec.nodeName=${name}` }).items) markPodNotReady(pod);
      }
    }
    const nodes = store.view("nodes").map((n) => n as V1Node);
    const disrupted = nodes.length > 0 && nodes.every((n) => readyOf(n)?.status !== "True");
    if (disrupted !== fullDisruption) {
      fullDisruption = disrupted;
      for (const n of nodes) if (n.metadata!.name !== name) controller.queue.add(n.metadata!.name!);
    }
    reconcileTaints(node);
  };

  /** A pod on a node that is not Ready is not ready either (processPod). */
  const syncPod = (key: string) => {
    const { namespace, name } = splitKey(key);
    // Runs for every pod change: read without copying, copy only to write.
    const nodeName = (store.peek("pods", namespace, name) as V1Pod | undefined)?.spec?.nodeName;
    const node = nodeName ? (store.peek("nodes", undefined, nodeName) as V1Node | undefined) : undefined;
    const obj = node && readyOf(node) && readyOf(node)!.status !== "True" ? store.tryGet("pods", namespace, name) : undefined;
    if (obj) markPodNotReady(obj);
  };

  const controller = runController(ctx, {
    name: "node-lifecycle-controller",
    // monitorNodeHealth runs every nodeMonitorPeriod and reads the Leases then, as the real one reads
    // its lease lister: a renewal is no reason to look (at speed 100, ten nodes renew 100 times a
    // second), only a node's own change is (its Ready condition, taints).
    resyncMs: NODE_MONITOR.periodMs,
    watches: [
      { resource: "nodes", keys: (obj) => [obj.metadata.name!] },
      { resource: "pods", keys: (obj, type) => (type !== "DELETED" && obj.spec?.nodeName ? [`pod:${objectKey(obj)}`] : []) },
    ],
    reconcile: (key) => (key.startsWith("pod:") ? syncPod(key.slice(4)) : monitorNode(key)),
  });
  const eviction = startTaintEviction(ctx);
  return {
    ...controller,
    stop() {
      eviction.stop();
      controller.stop();
    },
  };
}
