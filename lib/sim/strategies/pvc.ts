import type { V1PersistentVolumeClaimSpec } from "@kubernetes/client-node";
import type { Store } from "../store/store";
import { canonical } from "./pod";
import { dns1123Subdomain, field, type FieldError, throwIfInvalid, validateObjectMeta } from "./validation";
import type { Stored } from "../store/types";

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
/** resource.Quantity's serialised forms: 1Gi, 500M, 1.5, 2e3, 100m. */
const QUANTITY = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

export function defaultClaimSpec(spec: V1PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= "Filesystem";
  spec.resources ??= {};
}

export function defaultClaim(pvc: Stored<"persistentvolumeclaims">): void {
  defaultClaimSpec((pvc.spec ??= {}));
  pvc.status = { phase: "Pending", ...(pvc.status ?? {}) };
}

/**
 * The DefaultStorageClass admission plugin: a claim that does not name a class (the field is
 * absent, not "") gets the class annotated as default; with several, the newest one wins.
 */
export function admitDefaultStorageClass(store: Store, obj: Stored<"persistentvolumeclaims">): void {
  const spec = obj.spec;
  if (!spec || spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  const defaults = store
    .list("storageclasses.storage.k8s.io")
    .items.filter((sc) => sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true")
    .map((sc) => sc)
    .sort((a, b) => String(b.metadata?.creationTimestamp ?? "").localeCompare(String(a.metadata?.creationTimestamp ?? "")) || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  if (defaults[0]?.metadata?.name) spec.storageClassName = defaults[0].metadata.name;
}

export function validateClaimSpec(spec: V1PersistentVolumeClaimSpec | undefined, path: string): FieldError[] {
  if (!spec) return [field.required(path)];
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(field.required(`${path}.accessModes`, "at least 1 access mode is required"));
  for (const mode of spec.accessModes ?? []) if (!ACCESS_MODES.includes(mode)) errs.push(field.notSupported(`${path}.accessModes`, mode, ACCESS_MODES));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined || storage === null || storage === "") errs.push(field.required(`${path}.resources[storage]`));
  else if (!QUANTITY.test(String(storage))) {
    errs.push(field.invalid(`${path}.resources.requests[storage]`, storage, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
  }
  const modes = ["Block", "Filesystem"];
  if (spec.volumeMode && !modes.includes(spec.volumeMode)) errs.push(field.notSupported(`${path}.volumeMode`, spec.volumeMode, modes));
  return errs;
}

/** ValidatePersistentVolumeClaimUpdate: only resources.requests may change (and volumeName/class once). */
function validateClaimUpdate(next: V1PersistentVolumeClaimSpec | undefined, old: V1PersistentVolumeClaimSpec | undefined): FieldError[] {
  const a = { ...(next ?? {}) };
  const b = { ...(old ?? {}) };
  a.resources = b.resources = undefined;
  if (!b.volumeName) b.volumeName = a.volumeName; // binding sets it once
  if (b.storageClassName === undefined || b.storageClassName === null) b.storageClassName = a.storageClassName; // retroactive default class
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  return [field.forbidden("spec", "spec is immutable after creation except resources.requests for bound claims")];
}

export function validateClaim(pvc: Stored<"persistentvolumeclaims">, old: Stored<"persistentvolumeclaims"> | undefined): void {
  const errs = [...validateObjectMeta(pvc, dns1123Subdomain, true), ...validateClaimSpec(pvc.spec, "spec")];
  if (old) errs.push(...validateClaimUpdate(pvc.spec, old.spec));
  throwIfInvalid(pvc, "", errs);
}
