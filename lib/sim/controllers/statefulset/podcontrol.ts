import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { StatusError } from "../../store/errors";
import { recordEvent } from "../runtime/events";
import { claimName, claimsFor, getOrdinal, identityMatches, storageMatches, updateIdentity, updateStorage } from "./identity";
import { hasStalePodRef, hasUnexpectedController, isClaimOwnerUpToDate, scaledClaimsAreDeleted, updateClaimOwnerRefs } from "./retention";
import { deepCopy } from "../../store/copy";

/**
 * StatefulPodControl (stateful_pod_control.go): creates a pod's claims before the pod, creates,
 * updates and deletes pods, and words its events exactly as the real controller does (since 1.3x
 * the verb is title-cased in the message too: "Create Pod kubia-2 in StatefulSet kubia successful").
 */

const SOURCE = { component: "statefulset-controller" };
const PVCS = "persistentvolumeclaims";

/** Several errors reported as one, formatted like utilerrors.NewAggregate (not the global AggregateError, whose message differs). */
export class AggregatedErrors extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.length === 1 ? errors[0].message : `[${errors.map((e) => e.message).join(", ")}]`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isReason(err: unknown, reason: string): boolean {
  return err instanceof StatusError && err.reason === reason;
}

const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);

export function recordPodEvent(ctx: SimContext, verb: string, set: V1StatefulSet, pod: V1Pod, err?: unknown): void {
  const pod_ = pod.metadata!.name;
  const set_ = set.metadata!.name;
  if (err === undefined) recordEvent(ctx, set, "Normal", `Successful${title(verb)}`, `${title(verb)} Pod ${pod_} in StatefulSet ${set_} successful`, SOURCE);
  else recordEvent(ctx, set, "Warning", `Failed${title(verb)}`, `${title(verb)} Pod ${pod_} in StatefulSet ${set_} failed error: ${message(err)}`, SOURCE);
}

function recordClaimEvent(ctx: SimContext, verb: string, set: V1StatefulSet, pod: V1Pod, claim: V1PersistentVolumeClaim, err?: unknown): void {
  const names = [claim.metadata!.name, pod.metadata!.name, set.metadata!.name];
  if (err === undefined) recordEvent(ctx, set, "Normal", `Successful${title(verb)}`, `${title(verb)} Claim ${names[0]} Pod ${names[1]} in StatefulSet ${names[2]} success`, SOURCE);
  else recordEvent(ctx, set, "Warning", `Failed${title(verb)}`, `${title(verb)} Claim ${names[0]} for Pod ${names[1]} in StatefulSet ${names[2]} failed error: ${message(err)}`, SOURCE);
}

function getClaim(ctx: SimContext, namespace: string | undefined, name: string): V1PersistentVolumeClaim | undefined {
  return ctx.store.tryGet(PVCS, namespace, name);
}

/**
 * Creates the pod's missing claims. An existing claim is never modified or recreated: that is how a
 * pod of the same ordinal gets the same volume back. A claim being deleted blocks the pod.
 */
export function createPersistentVolumeClaims(ctx: SimContext, set: V1StatefulSet, pod: V1Pod): void {
  const errs: Error[] = [];
  for (const claim of claimsFor(set, getOrdinal(pod)).values()) {
    const existing = getClaim(ctx, claim.metadata!.namespace, claim.metadata!.name!);
    if (!existing) {
      try {
        // The API server defaults a new claim's phase to Pending.
        ctx.store.create(PVCS, { ...claim, status: { phase: "Pending" } });
        recordClaimEvent(ctx, "create", set, pod, claim);
      } catch (err) {
        errs.push(new Error(`failed to create PVC ${claim.metadata!.name}: ${message(err)}`));
        if (!isReason(err, "AlreadyExists")) recordClaimEvent(ctx, "create", set, pod, claim, err);
      }
    } else if (existing.metadata?.deletionTimestamp) {
      errs.push(new Error(`pvc ${claim.metadata!.name} is being deleted`));
    }
  }
  if (errs.length) throw new AggregatedErrors(errs);
}

/** ClaimsMatchRetentionPolicy: false when some existing claim's references don't express the policy. */
export function claimsMatchRetentionPolicy(ctx: SimContext, set: V1StatefulSet, pod: V1Pod): boolean {
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const claim = getClaim(ctx, set.metadata!.namespace, claimName(set, t.metadata?.name ?? "", getOrdinal(pod)));
    if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
  }
  return true;
}

/** UpdatePodClaimForRetentionPolicy: rewrites the set's/pod's references on the pod's claims. */
export function updatePodClaimForRetentionPolicy(ctx: SimContext, set: V1StatefulSet, pod: V1Pod): void {
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const name = claimName(set, t.metadata?.name ?? "", getOrdinal(pod));
    const claim = getClaim(ctx, set.metadata!.namespace, name);
    if (!claim) continue; // picked up in a later sync
    if (hasUnexpectedController(claim, set, pod)) {
      recordEvent(ctx, set, "Warning", "ConflictingController", `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`, SOURCE);
    }
    if (isClaimOwnerUpToDate(claim, set, pod)) continue;
    updateClaimOwnerRefs(claim, set, pod);
    try {
      ctx.store.update(PVCS, claim);
    } catch (err) {
      throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${message(err)}`);
    }
  }
}

/** PodClaimIsStale: with whenScaled Delete, a claim still owned by an earlier pod of that name blocks creation. */
export function podClaimIsStale(ctx: SimContext, set: V1StatefulSet, pod: V1Pod): boolean {
  if (!scaledClaimsAreDeleted(set)) return false; // retained claims are meant to be reused
  for (const claim of claimsFor(set, getOrdinal(pod)).values()) {
    const existing = getClaim(ctx, claim.metadata!.namespace, claim.metadata!.name!);
    if (existing && hasStalePodRef(existing, pod)) return true;
  }
  return false;
}

/** Claims first, then the pod. AlreadyExists (a pod of that name still exists) is returned silently. */
export function createStatefulPod(ctx: SimContext, set: V1StatefulSet, pod: V1Pod): V1Pod {
  try {
    createPersistentVolumeClaims(ctx, set, pod);
  } catch (err) {
    recordPodEvent(ctx, "create", set, pod, err);
    throw err;
  }
  let created: V1Pod;
  try {
    created = ctx.store.create("pods", pod);
  } catch (err) {
    if (!isReason(err, "AlreadyExists")) recordPodEvent(ctx, "create", set, pod, err);
    throw err;
  }
  try {
    updatePodClaimForRetentionPolicy(ctx, set, created);
  } catch (err) {
    recordPodEvent(ctx, "update", set, pod, err);
    throw err;
  }
  recordPodEvent(ctx, "create", set, pod);
  return created;
}

/** Restores a live pod's identity, storage and claim ownership if something drifted. */
export function updateStatefulPod(ctx: SimContext, set: V1StatefulSet, input: V1Pod): void {
  const pod = deepCopy(input);
  let consistent = true;
  try {
    if (!identityMatches(set, pod)) {
      updateIdentity(set, pod);
      consistent = false;
    }
    if (!storageMatches(set, pod)) {
      updateStorage(set, pod);
      consistent = false;
      createPersistentVolumeClaims(ctx, set, pod);
    }
    if (!claimsMatchRetentionPolicy(ctx, set, pod)) {
      updatePodClaimForRetentionPolicy(ctx, set, pod);
      consistent = false;
    }
  } catch (err) {
    recordPodEvent(ctx, "update", set, pod, err);
    throw err;
  }
  if (consistent) return;
  try {
    ctx.store.update("pods", pod);
    recordPodEvent(ctx, "update", set, pod);
  } catch (err) {
    recordPodEvent(ctx, "update", set, pod, err);
    throw err;
  }
}

export function deleteStatefulPod(ctx: SimContext, set: V1StatefulSet, pod: V1Pod): void {
  try {
    ctx.store.delete("pods", pod.metadata!.namespace, pod.metadata!.name!);
  } catch (err) {
    recordPodEvent(ctx, "delete", set, pod, err);
    throw err;
  }
  recordPodEvent(ctx, "delete", set, pod);
}
