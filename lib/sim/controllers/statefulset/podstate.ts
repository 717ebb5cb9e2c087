import { toMillis } from "../../../k8s/time";
import type { V1Pod } from "@kubernetes/client-node";
import { isPodReady, isTerminating } from "../../../k8s/status";

/** Pod predicates of the StatefulSet controller (stateful_set_utils.go, podutil.IsPodAvailable). */

/** A pod the API server has accepted has a phase; a pod built locally to be created has none. */
export function isCreated(pod: V1Pod): boolean {
  return !!pod.status?.phase;
}

export function isPending(pod: V1Pod): boolean {
  return pod.status?.phase === "Pending";
}

export function isFailed(pod: V1Pod): boolean {
  return pod.status?.phase === "Failed";
}

export function isSucceeded(pod: V1Pod): boolean {
  return pod.status?.phase === "Succeeded";
}

function readyCondition(pod: V1Pod) {
  return pod.status?.conditions?.find((c) => c.type === "Ready");
}

export function isRunningAndReady(pod: V1Pod): boolean {
  return pod.status?.phase === "Running" && isPodReady(pod);
}

/** When the pod became Ready (ms), or undefined if it is not Ready or the time is unknown. */
export function readySince(pod: V1Pod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== "True" || !c.lastTransitionTime) return undefined;
  return toMillis(c.lastTransitionTime);
}

/**
 * Ready for longer than minReady (ms of cluster time). As in
 * podutil.IsPodAvailable, the pod must have been Ready strictly longer than minReady.
 */
export function isRunningAndAvailable(pod: V1Pod, minReadyMs: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadyMs <= 0) return true;
  const since = readySince(pod);
  return since !== undefined && since + minReadyMs < now;
}

/** Not available, or on its way out: what blocks OrderedReady progress. */
export function isUnavailable(pod: V1Pod, minReadyMs: number, now: number): boolean {
  return !isRunningAndAvailable(pod, minReadyMs, now) || isTerminating(pod);
}
