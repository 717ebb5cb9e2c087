import type { V1OwnerReference, V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { controllerRefTo, inOrdinalRange } from "./identity";

/**
 * persistentVolumeClaimRetentionPolicy as ownerReferences on the claims (stateful_set_utils.go):
 *   Retain/Retain  → no reference from the set or the pod (the default: PVCs outlive everything)
 *   whenDeleted Delete → the set owns the claim, so the garbage collector deletes it with the set
 *   whenScaled Delete  → a condemned pod owns its claim, so the claim goes after the pod
 */

type Owner = { metadata?: { name?: string; uid?: string } };
const SET_KIND = { apiVersion: "apps/v1", kind: "StatefulSet" };
const POD_KIND = { apiVersion: "v1", kind: "Pod" };

function policy(set: V1StatefulSet) {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? "Retain", whenScaled: p?.whenScaled ?? "Retain" };
}

export function scaledClaimsAreDeleted(set: V1StatefulSet): boolean {
  return policy(set).whenScaled === "Delete";
}

function matchesRef(ref: V1OwnerReference, obj: Owner, kind: typeof SET_KIND): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === obj.metadata?.name;
}

function hasOwnerRef(claim: V1PersistentVolumeClaim, owner: Owner): boolean {
  return (claim.metadata?.ownerReferences ?? []).some((r) => r.uid === owner.metadata?.uid);
}

/** A reference naming the object but not its uid: left over from an earlier object of that name. */
export function hasStaleOwnerRef(claim: V1PersistentVolumeClaim, obj: Owner, kind: typeof SET_KIND): boolean {
  const ref = (claim.metadata?.ownerReferences ?? []).find((r) => matchesRef(r, obj, kind));
  return !!ref && ref.uid !== obj.metadata?.uid;
}

export function hasStalePodRef(claim: V1PersistentVolumeClaim, pod: V1Pod): boolean {
  return hasStaleOwnerRef(claim, pod, POD_KIND);
}

/** Another controller manages the claim (only matters when some policy is Delete). */
export function hasUnexpectedController(claim: V1PersistentVolumeClaim, set: V1StatefulSet, pod: V1Pod): boolean {
  const p = policy(set);
  if (p.whenScaled === "Retain" && p.whenDeleted === "Retain") return false;
  for (const ref of claim.metadata?.ownerReferences ?? []) {
    if (matchesRef(ref, set, SET_KIND)) {
      if (ref.uid !== set.metadata?.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, POD_KIND)) {
      if (ref.uid !== pod.metadata?.uid) return true;
      continue;
    }
    if (ref.controller) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: V1PersistentVolumeClaim, set: V1StatefulSet, pod: V1Pod): boolean {
  return (claim.metadata?.ownerReferences ?? []).some(
    (r) => (r.uid === set.metadata?.uid || r.uid === pod.metadata?.uid) && !r.controller,
  );
}

/** isClaimOwnerUpToDate: do the claim's references already express the policy? */
export function isClaimOwnerUpToDate(claim: V1PersistentVolumeClaim, set: V1StatefulSet, pod: V1Pod): boolean {
  if (hasStaleOwnerRef(claim, set, SET_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { whenDeleted, whenScaled } = policy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  const wantSet = whenDeleted === "Delete" && !(whenScaled === "Delete" && scaledDown);
  const wantPod = whenScaled === "Delete" && scaledDown;
  return hasOwnerRef(claim, set) === wantSet && hasOwnerRef(claim, pod) === wantPod;
}

/** updateClaimOwnerRefForSetAndPod: rewrites the set's and pod's references on the claim per the policy. */
export function updateClaimOwnerRefs(claim: V1PersistentVolumeClaim, set: V1StatefulSet, pod: V1Pod): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = (claim.metadata?.ownerReferences ?? []).filter((r) => !matchesRef(r, set, SET_KIND) && !matchesRef(r, pod, POD_KIND));
  if (!unexpected) {
    const { whenDeleted, whenScaled } = policy(set);
    const scaledDown = !inOrdinalRange(pod, set);
    const add = (owner: Owner, kind: typeof SET_KIND) => {
      if (!refs.some((r) => r.uid === owner.metadata?.uid)) refs = [...refs, controllerRefTo(owner, kind.apiVersion, kind.kind)];
    };
    if (whenScaled === "Delete" && scaledDown) add(pod, POD_KIND);
    if (whenDeleted === "Delete" && !(whenScaled === "Delete" && scaledDown)) add(set, SET_KIND);
  }
  claim.metadata!.ownerReferences = refs.length ? refs : undefined;
  if (!refs.length) delete claim.metadata!.ownerReferences;
}
