import type { WhyKey } from "../../lib/k8s/why";

/**
 * RESULTS.md's notes on the reasons that take a detour to produce on the real control plane
 * (KWOK runs no containers and no probes), and on the predictions that end "open" by design.
 */
export const WHY_NOTES: Partial<Record<WhyKey, string>> = {
  createFailed: "quota: a ResourceQuota of 2 pods makes the API refuse kubia-2 (FailedCreate: exceeded quota) on both clusters.",
  claimTerminating:
    "on-delete: the claim is deleted while kubia-1 uses it (pvc-protection keeps it Terminating), then kubia-1 is deleted. A finalizer of the suite's own " +
    "keeps the claim Terminating after the pod is gone: with pvc-protection alone the claim goes within milliseconds of the pod, a race between the " +
    "StatefulSet controller and the pvc-protection controller that would make the reason appear on one run and not on the next. Removing that finalizer " +
    "is an awaited step: the reason's prediction (no new kubia-1 before the claim is gone) is judged over it.",
  finished:
    "KWOK runs no containers, so no container exits and no kubelet turns a pod Failed: on-delete writes phase Failed through the pod's status subresource " +
    "(what a kubelet writes when it evicts or rejects a pod), on both clusters; their controllers then delete and recreate the pod. Not simulator only.",
  scaleDownWaitsReady:
    "KWOK runs no readiness probes: node-down-scale-down makes kubia-0 not Ready by failing its node, scales 3→2, and recovers the node (awaited): " +
    "nothing goes Terminating before kubia-0 is Ready again, on both clusters. Not simulator only.",
  terminatingNodeDown:
    "node-down-delete: the pod deleted on the down node goes only after the node is back (the recovery is an awaited step), held on both clusters. " +
    "node-failure: open, as it should be: the user force-deletes the pod before the node is back, and a prediction is judged only up to the user's next action.",
  bindRetry:
    "only when a pod vanishes between its scheduling and its binding and the pod created in its place carries kube-scheduler's bind failure: in " +
    "this suite only KWOK's stale delete (known divergence kwok-stale-delete) does that, so the reason comes and goes from run to run.",
  nodeNotReady:
    "open: in every scenario that fails a node, the user acts next (deletes the pod, scales) before the node is back, which ends the prediction's window; " +
    "the reasons given after that action are the ones the awaited recovery judges (terminatingNodeDown, scaleDownWaitsReady). A scenario that recovers the " +
    "node right after failing it would judge it, at ~15 s more on the real control plane (--node-monitor-grace-period 10 s); left out to keep the suite's time.",
};
