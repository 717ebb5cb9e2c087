import type { V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { fromLabelSelector, matchesLabels } from "../store/selectors";
import type { StoredObject } from "../store/store";
import { canonicalJson, isPodTerminal, parseQuantity, podClaimNames } from "./util";
import { timeField } from "../../k8s/time";
import type { Stored } from "../store/types";

/** Annotations and finalizers of pkg/controller/volume (storage helpers), spelled as the API shows them. */
export const ANN = {
  bindCompleted: "pv.kubernetes.io/bind-completed",
  boundByController: "pv.kubernetes.io/bound-by-controller",
  storageProvisioner: "volume.kubernetes.io/storage-provisioner",
  betaStorageProvisioner: "volume.beta.kubernetes.io/storage-provisioner",
  provisionedBy: "pv.kubernetes.io/provisioned-by",
  betaStorageClass: "volume.beta.kubernetes.io/storage-class",
  defaultClass: "storageclass.kubernetes.io/is-default-class",
} as const;
export const PVC_PROTECTION = "kubernetes.io/pvc-protection";
export const PV_PROTECTION = "kubernetes.io/pv-protection";


/** storagehelpers.GetPersistentVolumeClaimClass: the beta annotation wins, then the field; "" when unset. */
export type Claim = Stored<"persistentvolumeclaims">;
export type Volume = Stored<"persistentvolumes">;

export function claimClass(claim: V1PersistentVolumeClaim): string {
  return claim.metadata?.annotations?.[ANN.betaStorageClass] ?? claim.spec?.storageClassName ?? "";
}

export function volumeClass(pv: V1PersistentVolume): string {
  return pv.metadata?.annotations?.[ANN.betaStorageClass] ?? pv.spec?.storageClassName ?? "";
}

export function requestedBytes(claim: V1PersistentVolumeClaim): number {
  return parseQuantity(claim.spec?.resources?.requests?.storage as string | undefined);
}

/** checkVolumeSatisfyClaim: an error text, or undefined when `pv` can serve `claim`. */
export function volumeMismatch(pv: V1PersistentVolume, claim: V1PersistentVolumeClaim): string | undefined {
  if (parseQuantity(pv.spec?.capacity?.storage as string | undefined) < requestedBytes(claim)) return "requested PV is too small";
  if (volumeClass(pv) !== claimClass(claim)) return "storageClassName does not match";
  if ((pv.spec?.volumeMode ?? "Filesystem") !== (claim.spec?.volumeMode ?? "Filesystem")) return "incompatible volumeMode";
  if (!(claim.spec?.accessModes ?? []).every((m) => pv.spec?.accessModes?.includes(m))) return "incompatible accessMode";
  return undefined;
}

/** findBestMatchForClaim: a volume pre-bound to the claim first, otherwise the smallest that fits. */
export function findBestMatch<V extends V1PersistentVolume>(volumes: readonly V[], claim: V1PersistentVolumeClaim): V | undefined {
  const selector = fromLabelSelector(claim.spec?.selector as Parameters<typeof fromLabelSelector>[0]);
  const candidates = volumes.filter((pv) => {
    if (pv.metadata?.deletionTimestamp) return false;
    const ref = pv.spec?.claimRef;
    if (ref && !(ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && (!ref.uid || ref.uid === claim.metadata?.uid))) return false;
    if (!ref && !matchesLabels(selector, pv.metadata?.labels)) return false;
    return !volumeMismatch(pv, claim);
  });
  const size = (pv: V1PersistentVolume) => parseQuantity(pv.spec?.capacity?.storage as string | undefined);
  candidates.sort((a, b) => Number(!a.spec?.claimRef) - Number(!b.spec?.claimRef) || size(a) - size(b) || a.metadata!.name!.localeCompare(b.metadata!.name!));
  return candidates[0];
}

/** pvc-protection: a scheduled pod that has not finished still uses the claim. */
export function claimInUse(ctx: SimContext, claim: V1PersistentVolumeClaim): boolean {
  return ctx.store
    .view("pods", { namespace: claim.metadata?.namespace })
    .some((p) => !!p.spec?.nodeName && !isPodTerminal(p) && podClaimNames(p).includes(claim.metadata!.name!));
}

function withAnnotations<T extends { metadata?: { annotations?: Record<string, string> } }>(obj: T, add: Record<string, string>): T {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), ...add } } };
}

/**
 * PersistentVolumeController.bind: the volume's claimRef, its Bound phase, the claim's volumeName
 * and annotations, then the claim's Bound status — each written only when it differs.
 */
export function bind(ctx: SimContext, pv: V1PersistentVolume, claim: V1PersistentVolumeClaim): void {
  const store = ctx.store;
  const ref = pv.spec?.claimRef;
  if (!ref || ref.uid !== claim.metadata?.uid || ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace) {
    const claimRef = { kind: "PersistentVolumeClaim", namespace: claim.metadata!.namespace, name: claim.metadata!.name, uid: claim.metadata!.uid, apiVersion: "v1", resourceVersion: claim.metadata!.resourceVersion };
    pv = withAnnotations({ ...pv, spec: { ...pv.spec, claimRef } }, { [ANN.boundByController]: "yes" });
    pv = store.update("persistentvolumes", pv);
  }
  if (pv.status?.phase !== "Bound") pv = store.update("persistentvolumes", { ...pv, status: { ...(pv.status ?? {}), phase: "Bound" } }, { subresource: "status" });

  if (claim.spec?.volumeName !== pv.metadata!.name || claim.metadata?.annotations?.[ANN.bindCompleted] !== "yes") {
    const add: Record<string, string> = { [ANN.bindCompleted]: "yes" };
    if (claim.spec?.volumeName !== pv.metadata!.name) add[ANN.boundByController] = "yes";
    claim = withAnnotations({ ...claim, spec: { ...claim.spec, volumeName: pv.metadata!.name } }, add);
    claim = store.update("persistentvolumeclaims", claim);
  }
  // Only these three fields change, so only they are compared (the resync visits every bound claim).
  const bound = { phase: "Bound", accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity };
  const current = { phase: claim.status?.phase, accessModes: claim.status?.accessModes, capacity: claim.status?.capacity };
  if (canonicalJson(bound) !== canonicalJson(current)) store.update("persistentvolumeclaims", { ...claim, status: { ...(claim.status ?? {}), ...bound } }, { subresource: "status" });
}

/** Sets the claim's phase (keeping the rest of its status) when it differs. */
export function setClaimPhase(ctx: SimContext, claim: Claim, phase: string): Claim {
  if (claim.status?.phase === phase) return claim;
  return ctx.store.update("persistentvolumeclaims", { ...claim, status: { ...(claim.status ?? {}), phase } }, { subresource: "status" });
}

export function setVolumePhase(ctx: SimContext, pv: Volume, phase: string, message?: string): Volume {
  if (pv.status?.phase === phase && pv.status?.message === message) return pv;
  const status = { ...(pv.status ?? {}), phase, message, lastPhaseTransitionTime: pv.status?.phase === phase ? pv.status?.lastPhaseTransitionTime : timeField(ctx.clock.now()) };
  return ctx.store.update("persistentvolumes", { ...pv, status }, { subresource: "status" });
}

/** Adds or removes a finalizer; returns the stored object after the change (or as it was). */
export function setFinalizer(ctx: SimContext, resource: "persistentvolumeclaims", obj: Claim, finalizer: string, present: boolean): Claim;
export function setFinalizer(ctx: SimContext, resource: "persistentvolumes", obj: Volume, finalizer: string, present: boolean): Volume;
export function setFinalizer(ctx: SimContext, resource: string, obj: StoredObject, finalizer: string, present: boolean): StoredObject {
  const list = obj.metadata.finalizers ?? [];
  if (list.includes(finalizer) === present) return obj;
  const finalizers = present ? [...list, finalizer] : list.filter((f) => f !== finalizer);
  return ctx.store.update(resource, { ...obj, metadata: { ...obj.metadata, finalizers: finalizers.length ? finalizers : undefined } });
}
