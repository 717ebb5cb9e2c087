import type { V1Pod, V1StatefulSet, V1StatefulSetStatus } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { StatusError } from "../../store/errors";
import { allowsBurst } from "./defaults";
import { endOrdinal, getOrdinal, getPodRevision, identityMatches, inOrdinalRange, newVersionedStatefulSetPod, startOrdinal, storageMatches } from "./identity";
import {
  AggregatedErrors,
  claimsMatchRetentionPolicy,
  createPersistentVolumeClaims,
  createStatefulPod,
  deleteStatefulPod,
  podClaimIsStale,
  recordPodEvent,
  updatePodClaimForRetentionPolicy,
  updateStatefulPod,
} from "./podcontrol";
import { isCreated, isFailed, isPending, isRunningAndAvailable, isRunningAndReady, isSucceeded, isUnavailable, readySince } from "./podstate";
import { isTerminating } from "../../../k8s/status";
import { applyRevision, getStatefulSetRevisions, listRevisions, truncateHistory, type Revisions } from "./revisions";
import { computeReplicaStatus, type StatusInputs, updateStatefulSetStatus } from "./status";

/**
 * defaultStatefulSetControl.UpdateStatefulSet (stateful_set_control.go): one pass that creates,
 * repairs and deletes pods towards spec, then records status. With OrderedReady ("monotonic") the
 * pass stops at the first pod that is not yet Running, Ready and available, creates or deletes
 * at most one pod, and waits for any Terminating pod to be gone. Parallel acts on all pods at once.
 * A pod name can exist only once, so a new pod for an ordinal waits until the old object is gone.
 */

interface Pass {
  ctx: SimContext;
  set: V1StatefulSet;
  updateSet: V1StatefulSet;
  monotonic: boolean;
  inputs: StatusInputs;
}

/** Returns true when the pass must stop here (OrderedReady), throws on API errors. */
function processReplica(p: Pass, replicas: V1Pod[], i: number): boolean {
  const { ctx, set, monotonic, inputs } = p;
  const pod = replicas[i];
  if (isFailed(pod) || isSucceeded(pod)) {
    // Finished pods are deleted; the replacement is created by a later sync, once the old object is
    // gone. (Kubernetes 1.31 dropped the RecreatingFailedPod/RecreatingTerminatedPod events here.)
    if (!isTerminating(pod)) deleteStatefulPod(ctx, set, pod);
    return true;
  }
  if (!isCreated(pod)) {
    if (podClaimIsStale(ctx, set, pod)) return true;
    createStatefulPod(ctx, set, pod);
    if (monotonic) return true;
  }
  if (isPending(pod)) {
    // A claim deleted while its pod waits is created again.
    createPersistentVolumeClaims(ctx, set, pod);
    try {
      updatePodClaimForRetentionPolicy(ctx, set, pod);
    } catch (err) {
      recordPodEvent(ctx, "update", set, pod, err);
      throw err;
    }
  }
  if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, inputs.minReadyMs, inputs.now))) return true;
  let retentionMatch = true;
  try {
    retentionMatch = claimsMatchRetentionPolicy(ctx, p.updateSet, pod);
  } catch {
    retentionMatch = true;
  }
  if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
  updateStatefulPod(ctx, p.updateSet, pod);
  return false;
}

function processCondemned(p: Pass, condemned: V1Pod[], i: number, firstUnavailable: V1Pod | undefined): boolean {
  const { ctx, set, monotonic, inputs } = p;
  const pod = condemned[i];
  if (isTerminating(pod)) return monotonic; // OrderedReady waits for it to be gone
  if (monotonic && pod !== firstUnavailable) {
    if (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, inputs.minReadyMs, inputs.now)) return true;
  }
  deleteStatefulPod(ctx, set, pod);
  return true;
}

/** OrderedReady: one at a time, stop when asked. Parallel: slow-start batches (1, 2, 4, …), stop on errors. */
function runForAll(count: number, fn: (i: number) => boolean, monotonic: boolean): boolean {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (fn(i)) return true;
    return false;
  }
  let next = 0;
  for (let batch = Math.min(1, count); batch > 0; batch = Math.min(2 * batch, count - next)) {
    const errors: Error[] = [];
    for (const end = next + batch; next < end; next++) {
      try {
        fn(next);
      } catch (err) {
        errors.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
    if (errors.length) throw new AggregatedErrors(errors);
  }
  return false;
}

/** How many missing pods one pass builds (see updateStatefulSet). */
const MISSING_POD_WINDOW = 128;

interface UpdateResult {
  status: V1StatefulSetStatus;
  error?: unknown;
}

function updateStatefulSet(ctx: SimContext, set: V1StatefulSet, revs: Revisions, pods: V1Pod[]): UpdateResult {
  const currentSet = applyRevision(set, revs.current);
  const updateSet = applyRevision(set, revs.update);
  const currentName = revs.current.metadata!.name!;
  const updateName = revs.update.metadata!.name!;
  const inputs: StatusInputs = {
    // Scaled like every other simulated duration, so minReadySeconds keeps its place among them.
    minReadyMs: (set.spec?.minReadySeconds ?? 0) * 1000,
    now: ctx.clock.now(),
    currentRevision: currentName,
    updateRevision: updateName,
  };
  const status: V1StatefulSetStatus = {
    observedGeneration: set.metadata?.generation,
    replicas: 0,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount: revs.collisionCount,
  };
  computeReplicaStatus(status, inputs, pods);

  const start = startOrdinal(set);
  const replicas: V1Pod[] = [];
  const condemned: V1Pod[] = [];
  for (const pod of pods) {
    if (inOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  // The real controller allocates a pod per wanted ordinal; with spec.replicas up to 2^31-1 that
  // would exhaust the heap, so missing pods are built only a window past the live ones (a pass
  // never creates more than that anyway: it stops at the first error or, OrderedReady, the first pod).
  const end = Math.min(endOrdinal(set), Math.max(start + replicas.length - 1, start + pods.length + MISSING_POD_WINDOW - 1));
  const truncated = end < endOrdinal(set);
  for (let ord = start; ord <= end; ord++) {
    replicas[ord - start] ??= newVersionedStatefulSetPod(currentSet, updateSet, currentName, updateName, ord);
  }
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));
  const firstUnavailable =
    replicas.find((pod) => isUnavailable(pod, inputs.minReadyMs, inputs.now)) ??
    [...condemned].reverse().find((pod) => isUnavailable(pod, inputs.minReadyMs, inputs.now));

  if (set.metadata?.deletionTimestamp) return { status };
  const p: Pass = { ctx, set, updateSet, monotonic: !allowsBurst(set), inputs };
  const finish = (error?: unknown): UpdateResult => {
    computeReplicaStatus(status, inputs, replicas, condemned);
    return { status, error };
  };
  try {
    if (runForAll(replicas.length, (i) => processReplica(p, replicas, i), p.monotonic)) return finish();
    const fixPodClaim = (i: number) => {
      if (!claimsMatchRetentionPolicy(ctx, updateSet, condemned[i])) updatePodClaimForRetentionPolicy(ctx, updateSet, condemned[i]);
      return false;
    };
    if (runForAll(condemned.length, fixPodClaim, p.monotonic)) return finish();
    if (runForAll(condemned.length, (i) => processCondemned(p, condemned, i, firstUnavailable), p.monotonic)) return finish();
  } catch (err) {
    return finish(err);
  }
  finish();
  // Beyond the window are pods not created yet: the real rolling update stops at the first of them.
  if (set.spec?.updateStrategy?.type === "OnDelete" || truncated) return { status };
  return rollingUpdate(p, replicas, status, updateName);
}

/** Deletes the highest-ordinal pod not at the update revision (down to the partition), one at a time. */
function rollingUpdate(p: Pass, replicas: V1Pod[], status: V1StatefulSetStatus, updateName: string): UpdateResult {
  const updateMin = p.set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= updateMin; target--) {
    const pod = replicas[target];
    if (getPodRevision(pod) !== updateName && !isTerminating(pod)) {
      try {
        deleteStatefulPod(p.ctx, p.set, pod);
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === "NotFound")) return { status, error: err };
      }
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      return { status };
    }
    if (isUnavailable(pod, p.inputs.minReadyMs, p.inputs.now)) return { status };
  }
  return { status };
}

/**
 * Syncs one StatefulSet against its pods and writes its status. Returns when to look again for
 * minReadySeconds (ms), since no event announces that a Ready pod became available.
 */
export function syncStatefulSet(ctx: SimContext, set: V1StatefulSet, pods: V1Pod[]): { recheckAfter?: number } {
  const revisions = listRevisions(ctx, set);
  let revs: Revisions | undefined;
  try {
    revs = getStatefulSetRevisions(ctx, set, revisions);
    const { status, error } = updateStatefulSet(ctx, set, revs, pods);
    updateStatefulSetStatus(ctx, set, status);
    if (error) throw error;
    return { recheckAfter: availabilityRecheck(ctx, set, pods, status) };
  } finally {
    truncateHistory(ctx, set, pods, revisions, revs);
  }
}

function availabilityRecheck(ctx: SimContext, set: V1StatefulSet, pods: V1Pod[], status: V1StatefulSetStatus): number | undefined {
  const minReadyMs = (set.spec?.minReadySeconds ?? 0) * 1000;
  if (minReadyMs <= 0 || status.availableReplicas === set.spec?.replicas) return undefined;
  const now = ctx.clock.now();
  const waits = pods
    .map(readySince)
    .filter((t): t is number => t !== undefined && t + minReadyMs >= now)
    .map((t) => t + minReadyMs - now + 1);
  return waits.length ? Math.min(...waits) : minReadyMs;
}
