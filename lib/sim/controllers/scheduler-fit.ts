import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { matchesRequiredNodeAffinity } from "./nodeaffinity";
import type { Store } from "../store/store";
import { insufficientResources, nodeAllocatable, type NodeUsage, type NodeUsageCache, podRequest, type Resources } from "./scheduler-resources";
import { podClaimNames, tolerated, untoleratedTaint } from "./util";

/**
 * The scheduling cycle of kube-scheduler reduced to what the playground needs, with its exact
 * wording: PreFilter (VolumeBinding), Filter (NodeUnschedulable, TaintToleration,
 * NodeAffinity/nodeSelector, NodeResourcesFit), Score (spread: fewest pods), and the FitError message
 * (pkg/scheduler/framework/types.go) including the DefaultPreemption PostFilter sentence.
 */

export type FitResult = { node: string } | { message: string };

/** A node the Filter plugins rejected: their reasons, and whether preemption could make room there. */
export interface NodeStatus {
  reasons: string[];
  unresolvable: boolean;
}

/**
 * framework.FitError.Error(): "0/3 nodes are available: <prefilter or reasons>. preemption: …".
 * DefaultPreemption's dry run looks only at nodes whose failure is resolvable (NodeResourcesFit
 * without an oversized request); the others are "Preemption is not helpful for scheduling". The
 * playground's pods all have the same priority, so a resolvable node has "No preemption victims".
 */
function fitError(numNodes: number, preFilterMsg: string | undefined, statuses: NodeStatus[]): string {
  const histogram = (counts: Map<string, number>) => [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(", ");
  let msg = `0/${numNodes} nodes are available:`;
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  if (preFilterMsg) {
    msg += ` ${preFilterMsg}.`;
    preemption.set("Preemption is not helpful for scheduling", numNodes);
  } else {
    for (const s of statuses) {
      for (const r of s.reasons) count(reasons, r);
      count(preemption, s.unresolvable ? "Preemption is not helpful for scheduling" : "No preemption victims found for incoming pod");
    }
    if (reasons.size) msg += ` ${histogram(reasons)}.`;
  }
  return `${msg} preemption: 0/${numNodes} nodes are available: ${histogram(preemption)}.`;
}

/**
 * VolumeBinding PreFilter: every claim must exist, not be deleting, and (Immediate binding) be bound.
 * Returns the status message, or undefined when the pod's volumes are fine.
 */
export function volumeBindingPreFilter(store: Store, pod: V1Pod): string | undefined {
  const namespace = pod.metadata?.namespace;
  let unbound = false;
  for (const name of podClaimNames(pod)) {
    const pvc = store.tryGet("persistentvolumeclaims", namespace, name);
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.status?.phase === "Lost") return `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ""}"`;
    if (pvc.metadata?.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (!pvc.spec?.volumeName || pvc.status?.phase !== "Bound") unbound = true;
  }
  return unbound ? "pod has unbound immediate PersistentVolumeClaims" : undefined;
}

/**
 * The Filter plugins in kube-scheduler's order (NodeUnschedulable, TaintToleration, NodeAffinity,
 * NodeResourcesFit); the first that rejects the node decides, as in RunFilterPlugins.
 */
export function filterNode(pod: V1Pod, node: V1Node, request: Resources, used: NodeUsage): NodeStatus | undefined {
  const unresolvable = (reason: string) => ({ reasons: [reason], unresolvable: true });
  if (node.spec?.unschedulable && !tolerated(pod.spec?.tolerations, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) {
    return unresolvable("node(s) were unschedulable");
  }
  const taint = untoleratedTaint(node.spec?.taints, pod.spec?.tolerations);
  if (taint) return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`);
  const selector = pod.spec?.nodeSelector ?? {};
  const selectorMismatch = Object.entries(selector).some(([k, v]) => node.metadata?.labels?.[k] !== v);
  if (selectorMismatch || !matchesRequiredNodeAffinity(pod, node)) return unresolvable("node(s) didn't match Pod's node affinity/selector");
  const fit = insufficientResources(request, used, nodeAllocatable(node));
  return fit.reasons.length ? fit : undefined;
}

/**
 * One scheduling cycle for `pod` over `nodes` with the scheduler cache's usage: the chosen node
 * (feasible, fewest pods first), or the FailedScheduling message.
 */
export function findNodeForPod(store: Store, pod: V1Pod, nodes: V1Node[], usage: NodeUsageCache): FitResult {
  if (nodes.length === 0) return { message: "no nodes available to schedule pods" };
  const preFilter = volumeBindingPreFilter(store, pod);
  if (preFilter) return { message: fitError(nodes.length, preFilter, []) };
  const request = podRequest(pod);
  const statuses: NodeStatus[] = [];
  let best: { name: string; pods: number } | undefined;
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const used = usage.usage(name);
    const status = filterNode(pod, node, request, used);
    if (status) statuses.push(status);
    else if (!best || used.pods < best.pods || (used.pods === best.pods && name.localeCompare(best.name) < 0)) best = { name, pods: used.pods };
  }
  return best ? { node: best.name } : { message: fitError(nodes.length, undefined, statuses) };
}
