import type { V1Lease, V1Node, V1NodeCondition } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { recordEvent } from "../runtime/events";
import { canonicalJson, timeMs } from "../util";
import { timeField, microTimeField } from "../../../k8s/time";

/** kubelet defaults (real-cluster ms): lease renewal, lease duration, and the unchanged-status report period. */
export const HEARTBEAT = {
  renewIntervalMs: 10_000,
  leaseDurationSeconds: 40,
  statusReportMs: 5 * 60_000,
};
export const LEASE_NAMESPACE = "kube-node-lease";
const LEASES = "leases.coordination.k8s.io";

/** The conditions a healthy kubelet reports, in its order. */
const HEALTHY: Pick<V1NodeCondition, "type" | "status" | "reason" | "message">[] = [
  { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
  { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure" },
  { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
  { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
];

/** Creates or renews the node's Lease in kube-node-lease (what the node lifecycle controller watches). */
export function renewLease(ctx: SimContext, node: V1Node): void {
  const name = node.metadata!.name!;
  const renewTime = microTimeField(ctx.clock.now());
  const existing = ctx.store.peek(LEASES, LEASE_NAMESPACE, name); // read only: the update below is a new object
  if (existing) {
    ctx.store.update(LEASES, { ...existing, spec: { ...existing.spec, holderIdentity: name, leaseDurationSeconds: HEARTBEAT.leaseDurationSeconds, renewTime } });
    return;
  }
  const lease: V1Lease = {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: LEASE_NAMESPACE, ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata!.uid! }] },
    spec: { holderIdentity: name, leaseDurationSeconds: HEARTBEAT.leaseDurationSeconds, renewTime },
  };
  ctx.store.create(LEASES, lease);
}

/**
 * Posts the node's conditions when they differ from a healthy kubelet's (e.g. after the node
 * lifecycle controller set them Unknown), or refreshes the heartbeat when the last report is older
 * than the report period. Records `NodeReady` when Ready turns True.
 */
export function postNodeStatus(ctx: SimContext, node: V1Node): void {
  const now = ctx.clock.now();
  const current = node.status?.conditions ?? [];
  const find = (type: string) => current.find((c) => c.type === type);
  const differs = HEALTHY.some((h) => {
    const c = find(h.type);
    return !c || c.status !== h.status || c.reason !== h.reason || c.message !== h.message;
  });
  const lastReport = timeMs(find("Ready")?.lastHeartbeatTime);
  if (!differs && !(Number.isNaN(lastReport) || now - lastReport >= HEARTBEAT.statusReportMs)) return;
  const at = timeField(now);
  const conditions = HEALTHY.map((h) => {
    const prev = find(h.type);
    return { ...h, lastHeartbeatTime: at, lastTransitionTime: prev && prev.status === h.status && prev.lastTransitionTime ? prev.lastTransitionTime : at };
  });
  const others = current.filter((c) => !HEALTHY.some((h) => h.type === c.type));
  const status = { ...(node.status ?? {}), conditions: [...conditions, ...others] };
  if (canonicalJson(status) === canonicalJson(node.status)) return;
  const updated = ctx.store.update("nodes", { ...node, status }, { subresource: "status" });
  if (find("Ready")?.status !== "True") {
    recordEvent(ctx, updated, "Normal", "NodeReady", `Node ${node.metadata!.name} status is now: NodeReady`, { component: "kubelet", host: node.metadata!.name });
  }
}
