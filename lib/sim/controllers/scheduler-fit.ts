import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { matchesRequiredNodeAffinity } from "./nodeaffinity";
import type { Store } from "../store/store";
import { asNode, isPodTerminal, podClaimNames, tolerated, untoleratedTaint } from "./util";

/**
 * The scheduling cycle of kube-scheduler reduced to what the playground needs, with its exact
 * wording: PreFilter (VolumeBinding), Filter (NodeUnschedulable, NodeAffinity/nodeSelector,
 * TaintToleration), Score (spread: fewest pods), and the FitError message
 * (pkg/scheduler/framework/types.go) including the DefaultPreemption PostFilter sentence.
 */

export type FitResult = { node: string } | { message: string };

/** framework.FitError.Error(): "0/3 nodes are available: <prefilter or reasons>. preemption: …." */
function fitError(numNodes: number, preFilterMsg: string | undefined, reasons: Map<string, number>): string {
  let msg = `0/${numNodes} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else {
    const histogram = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort();
    if (histogram.length) msg += ` ${histogram.join(", ")}.`;
  }
  // Every failure we model is UnschedulableAndUnresolvable, where preemption cannot help.
  msg += ` preemption: 0/${numNodes} nodes are available: ${numNodes} Preemption is not helpful for scheduling.`;
  return msg;
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

/** The Filter plugins' reason for rejecting `node`, or undefined when the pod fits. */
export function filterNode(pod: V1Pod, node: V1Node): string | undefined {
  if (node.spec?.unschedulable && !tolerated(pod.spec?.tolerations, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) {
    return "node(s) were unschedulable";
  }
  const selector = pod.spec?.nodeSelector ?? {};
  const selectorMismatch = Object.entries(selector).some(([k, v]) => node.metadata?.labels?.[k] !== v);
  if (selectorMismatch || !matchesRequiredNodeAffinity(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
  const taint = untoleratedTaint(node.spec?.taints, pod.spec?.tolerations);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
  return undefined;
}

/** Pods that count on a node for spreading: assigned there and not finished. */
export function podsPerNode(store: Store): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of store.list("pods").items) {
    const p = o as unknown as V1Pod;
    if (!p.spec?.nodeName || isPodTerminal(p)) continue;
    counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  }
  return counts;
}

/** One scheduling cycle for `pod`: the chosen node, or the FailedScheduling message. */
export function findNodeForPod(store: Store, pod: V1Pod): FitResult {
  const nodes = store.list("nodes").items.map(asNode);
  if (nodes.length === 0) return { message: "no nodes available to schedule pods" };
  const preFilter = volumeBindingPreFilter(store, pod);
  if (preFilter) return { message: fitError(nodes.length, preFilter, new Map()) };
  const reasons = new Map<string, number>();
  const feasible: V1Node[] = [];
  for (const node of nodes) {
    const reason = filterNode(pod, node);
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    else feasible.push(node);
  }
  if (feasible.length === 0) return { message: fitError(nodes.length, undefined, reasons) };
  const counts = podsPerNode(store);
  feasible.sort((a, b) => (counts.get(a.metadata!.name!) ?? 0) - (counts.get(b.metadata!.name!) ?? 0) || a.metadata!.name!.localeCompare(b.metadata!.name!));
  return { node: feasible[0].metadata!.name! };
}
