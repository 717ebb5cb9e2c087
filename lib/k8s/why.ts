import type { CoreV1Event, V1Node, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { latestEvent } from "./events";
import { desiredReplicas, ordinalStart } from "./ordinals";
import type { OrdinalSlot } from "./slots";
import { isPodReady, isTerminating, nodeStatusText, unschedulableReason } from "./status";

/**
 * "Why is nothing happening?": the StatefulSet controller's reason for an ordinal slot that is
 * empty, Pending, waiting, Terminating, above replicas or behind in a rolling update — one sentence,
 * from the watched state alone (so it reads the same on a real cluster), following
 * pkg/controller/statefulset/stateful_set_control.go (lib/sim/controllers/statefulset/control.ts
 * is its port): OrderedReady stops at the first pod that is not Running and Ready, a name exists
 * once (a new pod waits for the old object to be gone), scale-down takes the highest ordinal first,
 * a rolling update replaces pods from the highest ordinal down to the partition.
 *
 * The result is a message key and its values, so the page says it in the reader's language
 * (messages/*.json, namespace "Why"); names and Kubernetes' own messages are values, never translated.
 */
export const WHY_KEYS = [
  "notCreatedOrdered",
  "creating",
  "createFailed",
  "claimTerminating",
  "terminatingReplace",
  "terminatingScaleDown",
  "terminatingNodeDown",
  "finished",
  "claimNoStorageClass",
  "claimPending",
  "unschedulable",
  "schedulingRetry",
  "bindRetry",
  "nodeNotReady",
  "containerWaiting",
  "notReady",
  "scaleDownNext",
  "scaleDownWaitsHigher",
  "scaleDownWaitsReady",
  "rollingNext",
  "rollingWaits",
  "belowPartition",
  "onDelete",
  "retainedClaim",
  "scaledClaimDeleted",
] as const;

export type WhyKey = (typeof WHY_KEYS)[number];

export interface Why {
  key: WhyKey;
  values: Record<string, string | number>;
}

export interface WhyInput {
  statefulSet: V1StatefulSet;
  slots: OrdinalSlot[];
  nodes: V1Node[];
  events: CoreV1Event[];
}

/** kube-scheduler's VolumeBinding verdict while a pod's immediate-binding claims are not bound yet. */
const UNBOUND_CLAIMS = /pod has unbound immediate PersistentVolumeClaims/;

/** kube-scheduler's message when the binding cycle failed (schedule_one.go handleBindingCycleError: the pod goes back to the queue). */
const BIND_FAILED = /^running Bind plugin /;

/** stateful_pod_control.go createPersistentVolumeClaims' error for a claim with a deletionTimestamp. */
const CLAIM_BEING_DELETED = /pvc \S+ is being deleted/;

/** The label the controller puts on each pod: the ControllerRevision it was made from. */
export const REVISION_LABEL = "controller-revision-hash";

const isHealthy = (pod: V1Pod | undefined): pod is V1Pod => !!pod && !isTerminating(pod) && pod.status?.phase === "Running" && isPodReady(pod);
const isFinished = (pod: V1Pod) => pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded";
const orderedReady = (sts: V1StatefulSet) => (sts.spec?.podManagementPolicy ?? "OrderedReady") === "OrderedReady";
/** yes/no for ICU select arguments ("…, so OrderedReady holds back kubia-2"). */
const yesNo = (b: boolean) => (b ? "yes" : "no");

interface SlotSummary {
  /** The lowest desired slot whose pod is missing or not Running and Ready. */
  firstUnhealthy?: OrdinalSlot;
  /** The highest desired ordinal without a pod. */
  highestMissing: number;
}

/** Per input, once: every slot asks the same two questions of all the others (O(n²) at 1,000 pods). */
const summaries = new WeakMap<WhyInput, SlotSummary>();

function summary(input: WhyInput): SlotSummary {
  let found = summaries.get(input);
  if (!found) {
    found = { highestMissing: -Infinity };
    for (const s of input.slots) {
      if (!s.desired) continue;
      if (!isHealthy(s.pod) && (!found.firstUnhealthy || s.ordinal < found.firstUnhealthy.ordinal)) found.firstUnhealthy = s;
      if (!s.pod) found.highestMissing = Math.max(found.highestMissing, s.ordinal);
    }
    summaries.set(input, found);
  }
  return found;
}

/** The first desired ordinal below `ordinal` whose pod is missing or not Running and Ready: where OrderedReady stops. */
function orderedBlocker(input: WhyInput, ordinal: number): OrdinalSlot | undefined {
  // The lowest unhealthy ordinal is the blocker of every ordinal above it.
  const first = summary(input).firstUnhealthy;
  return first && first.ordinal < ordinal ? first : undefined;
}

/** Whether a higher desired ordinal has no pod yet (this pod holds it back under OrderedReady). */
function holdsBack(input: WhyInput, slot: OrdinalSlot): boolean {
  return orderedReady(input.statefulSet) && summary(input).highestMissing > slot.ordinal;
}

function nodeReady(input: WhyInput, name: string | undefined): boolean | undefined {
  const node = name ? input.nodes.find((n) => n.metadata?.name === name) : undefined;
  return node ? nodeStatusText(node).startsWith("Ready") : undefined;
}

/** A Pending claim's cause, the most specific first: a StorageClass that does not exist. */
function claimWhy(input: WhyInput, slot: OrdinalSlot): Why | undefined {
  for (const claim of slot.claims) {
    // spec.volumeName set: the binding is done (the scheduler goes by it); status.phase follows in a second write.
    if (claim.volume?.state !== "Pending" || claim.pvc?.spec?.volumeName) continue;
    const reason = claim.volume.reason;
    const missingClass = reason ? /storageclass\.storage\.k8s\.io "([^"]+)" not found/.exec(reason)?.[1] : undefined;
    if (missingClass) return { key: "claimNoStorageClass", values: { pvc: claim.name, storageClass: missingClass } };
    if (reason) return { key: "claimPending", values: { pvc: claim.name, reason } };
  }
  return undefined;
}

function terminatingWhy(input: WhyInput, slot: OrdinalSlot, pod: V1Pod): Why {
  const node = pod.spec?.nodeName;
  if (node && nodeReady(input, node) === false) return { key: "terminatingNodeDown", values: { pod: slot.podName, node } };
  return slot.desired ? { key: "terminatingReplace", values: { pod: slot.podName } } : { key: "terminatingScaleDown", values: { pod: slot.podName } };
}

/** The set's newest create event, once per input: every empty slot asks, and a 1,000-pod set has thousands. */
const createEvents = new WeakMap<WhyInput, CoreV1Event | undefined>();

function latestCreateEvent(input: WhyInput): CoreV1Event | undefined {
  if (createEvents.has(input)) return createEvents.get(input);
  const sts = input.statefulSet.metadata;
  const event = latestEvent(input.events, { kind: "StatefulSet", name: sts?.name ?? "", namespace: sts?.namespace, uid: sts?.uid }, ["FailedCreate", "SuccessfulCreate"]);
  createEvents.set(input, event);
  return event;
}

/** The newest FailedCreate of the set about this pod (the API refused the pod: quota, admission, an invalid template…). */
function failedCreate(input: WhyInput, podName: string): string | undefined {
  const event = latestCreateEvent(input);
  const message = event?.reason === "FailedCreate" ? (event.message ?? "") : "";
  // A claim that was being deleted is gone now (else the caller says claimTerminating): the controller's retry creates it and the pod.
  if (CLAIM_BEING_DELETED.test(message)) return undefined;
  return message.includes(`Pod ${podName} `) ? message : undefined;
}

function emptyWhy(input: WhyInput, slot: OrdinalSlot): Why {
  if (!slot.desired) {
    const policy = input.statefulSet.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? "Retain";
    const values = { ordinal: slot.ordinal, replicas: desiredReplicas(input.statefulSet), pvc: slot.claims[0]?.name ?? "" };
    // whenScaled: Delete: the controller makes the pod own the claim, so the garbage collector deletes it with the pod.
    return policy === "Delete" ? { key: "scaledClaimDeleted", values } : { key: "retainedClaim", values: { ...values, policy } };
  }
  // The controller does not create a pod while one of its claims is being deleted (createPersistentVolumeClaims
  // fails with "pvc … is being deleted", podClaimIsStale): that, not its FailedCreate, is the reason.
  const stale = slot.claims.find((c) => c.volume?.state === "Terminating");
  if (stale) return { key: "claimTerminating", values: { pod: slot.podName, pvc: stale.name } };
  const failure = failedCreate(input, slot.podName);
  if (failure) return { key: "createFailed", values: { pod: slot.podName, message: failure } };
  const blocker = orderedReady(input.statefulSet) ? orderedBlocker(input, slot.ordinal) : undefined;
  if (blocker) return { key: "notCreatedOrdered", values: { pod: slot.podName, blocker: blocker.podName } };
  return { key: "creating", values: { pod: slot.podName } };
}

function condemnedWhy(input: WhyInput, slot: OrdinalSlot): Why {
  if (!orderedReady(input.statefulSet)) return { key: "scaleDownNext", values: { pod: slot.podName } };
  const higher = [...input.slots].reverse().find((s) => !s.desired && s.ordinal > slot.ordinal && s.pod);
  if (higher) return { key: "scaleDownWaitsHigher", values: { pod: slot.podName, higher: higher.podName } };
  const blocker = input.slots.find((s) => s.desired && !isHealthy(s.pod));
  if (blocker) return { key: "scaleDownWaitsReady", values: { pod: slot.podName, blocker: blocker.podName } };
  return { key: "scaleDownNext", values: { pod: slot.podName } };
}

/** A healthy pod of an older revision: what the rolling update (or OnDelete) does with it. */
function revisionWhy(input: WhyInput, slot: OrdinalSlot, pod: V1Pod): Why | undefined {
  const sts = input.statefulSet;
  const update = sts.status?.updateRevision;
  const revision = pod.metadata?.labels?.[REVISION_LABEL];
  if (!update || !revision || revision === update) return undefined;
  const strategy = sts.spec?.updateStrategy;
  if (strategy?.type === "OnDelete") return { key: "onDelete", values: { pod: slot.podName } };
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  if (slot.ordinal < ordinalStart(sts) + partition) return { key: "belowPartition", values: { pod: slot.podName, partition } };
  // Reverse ordinal order: every higher ordinal must be at the update revision and Running and Ready first.
  const higher = [...input.slots]
    .reverse()
    .find((s) => s.desired && s.ordinal > slot.ordinal && (!isHealthy(s.pod) || s.pod.metadata?.labels?.[REVISION_LABEL] !== update));
  if (higher) return { key: "rollingWaits", values: { pod: slot.podName, higher: higher.podName } };
  return { key: "rollingNext", values: { pod: slot.podName, partition } };
}

function podWhy(input: WhyInput, slot: OrdinalSlot, pod: V1Pod): Why | undefined {
  if (isTerminating(pod)) return terminatingWhy(input, slot, pod);
  if (isFinished(pod)) return { key: "finished", values: { pod: slot.podName, phase: pod.status?.phase ?? "" } };
  if (!slot.desired) return condemnedWhy(input, slot);
  if (!pod.spec?.nodeName) {
    const claim = claimWhy(input, slot);
    if (claim) return claim;
    const message = unschedulableReason(pod, input.events);
    // kube-scheduler's verdict stays on the pod until its next attempt: once the claims it waited for are bound, that attempt comes.
    if (message && UNBOUND_CLAIMS.test(message) && slot.claims.length > 0 && slot.claims.every((c) => c.pvc?.spec?.volumeName)) return { key: "schedulingRetry", values: { pod: slot.podName } };
    // A failed binding (the node was chosen; the write failed, e.g. the pod was deleted meanwhile) is retried on the scheduler's back-off, waiting for nothing.
    if (message && BIND_FAILED.test(message)) return { key: "bindRetry", values: { pod: slot.podName, message } };
    if (message) return { key: "unschedulable", values: { pod: slot.podName, message } };
  }
  const blocks = yesNo(holdsBack(input, slot));
  // A node that is not Ready reports nothing of its pods: nothing changes until it comes back (or the pod is deleted).
  const node = pod.spec?.nodeName;
  if (node && nodeReady(input, node) === false && !isHealthy(pod)) return { key: "nodeNotReady", values: { pod: slot.podName, node, blocks } };
  const waiting = (pod.status?.containerStatuses ?? []).find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  if (waiting) return { key: "containerWaiting", values: { pod: slot.podName, reason: waiting, blocks } };
  if (!isHealthy(pod)) return { key: "notReady", values: { pod: slot.podName, blocks } };
  return revisionWhy(input, slot, pod);
}

/** The reason for one slot, or undefined when it is as the controller wants it (a Running, Ready, current pod). */
export function whyForSlot(input: WhyInput, slot: OrdinalSlot): Why | undefined {
  return slot.pod ? podWhy(input, slot, slot.pod) : emptyWhy(input, slot);
}

/**
 * The reasons of a state's slots, each computed when first asked for: the page asks only for the
 * lanes on screen (about 25 of 1,000 when the lanes are virtualised), once per state change.
 */
export function whyLookup(input: WhyInput): (ordinal: number) => Why | undefined {
  const byOrdinal = new Map(input.slots.map((s) => [s.ordinal, s]));
  const known = new Map<number, Why | undefined>();
  return (ordinal) => {
    if (!known.has(ordinal)) {
      const slot = byOrdinal.get(ordinal);
      known.set(ordinal, slot && whyForSlot(input, slot));
    }
    return known.get(ordinal);
  };
}
