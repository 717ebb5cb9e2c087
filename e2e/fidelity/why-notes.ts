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
    "not produced on purpose, on either cluster. It needs a pod that stays while kube-scheduler's binding of it fails (the Bind plugin's " +
    "POST pods/NAME/binding refused, the pod back in the queue with PodScheduled False, reason SchedulerError). The API server refuses a " +
    "binding only for a pod already bound or being deleted (a pod that is deleted gets no reason: it is Terminating or gone), or when an " +
    "admission plugin denies the pods/binding subresource. That last is the only deterministic step on the real control plane (a " +
    "ValidatingAdmissionPolicy denying CREATE of pods/binding, then removing it as an awaited step), and the embedded cluster serves no " +
    "admissionregistration.k8s.io (no policies, no CEL) and its scheduler binds in the same store write as its choice, through no admission: " +
    "both would have to be built first. On the real side the reason shows only through KWOK's stale delete (known divergence " +
    "kwok-stale-delete: the pod created in place of the one being bound gets the bind failure when kube-scheduler's informer has not seen it " +
    "yet; one it has seen gets no status update, schedule_one.go handleSchedulingFailure), a race of a few milliseconds no step can provoke, " +
    "so it comes and goes from run to run.",
  nodeNotReady:
    "node-down-recover: kubia-1's node fails and nobody acts until it is back (the recovery is an awaited step): kubia-1 is not Ready again " +
    "before its node is, and then the same pod is Ready again (KWOK: the pod-ready-again stage; the simulator's kubelet re-syncs its pods), held " +
    "on both clusters. In node-failure, node-down-scale-down and node-down-delete it ends open, as it should: the user acts (deletes the pod, " +
    "scales) before the node is back, which ends the prediction's window; the reasons given after that action are the ones the awaited " +
    "recovery judges (terminatingNodeDown, scaleDownWaitsReady).",
};
