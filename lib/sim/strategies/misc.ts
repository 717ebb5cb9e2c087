import type { V1Namespace, V1PersistentVolume, V1StorageClass } from "@kubernetes/client-node";
import type { StoredObject } from "../store/store";
import { canonical } from "./pod";
import { dns1123Label, dns1123Subdomain, field, type FieldError, type NameRule, throwIfInvalid, validateObjectMeta } from "./validation";

/** Name and namespace checks only, for the kinds whose spec the playground never sets by hand. */
export function metaOnly(group: string, rule: NameRule, namespaced: boolean) {
  return (obj: StoredObject): void => throwIfInvalid(obj, group, validateObjectMeta(obj, rule, namespaced));
}

export function defaultNamespace(obj: StoredObject): void {
  const ns = obj as unknown as V1Namespace;
  ns.spec = { finalizers: ["kubernetes"], ...(ns.spec ?? {}) };
  ns.status = { phase: "Active", ...(ns.status ?? {}) };
  // NamespaceDefaultLabelName: every namespace carries its own name as a label (since 1.21).
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), "kubernetes.io/metadata.name": obj.metadata.name ?? "" };
}

export const validateNamespace = metaOnly("", dns1123Label, false);

export function defaultPersistentVolume(obj: StoredObject): void {
  const pv = obj as unknown as V1PersistentVolume;
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= "Retain";
  spec.volumeMode ??= "Filesystem";
  pv.status = { phase: "Pending", ...(pv.status ?? {}) };
}

export function validatePersistentVolume(obj: StoredObject): void {
  const pv = obj as unknown as V1PersistentVolume;
  const errs: FieldError[] = validateObjectMeta(obj, dns1123Subdomain, false);
  if (!pv.spec?.accessModes?.length) errs.push(field.required("spec.accessModes"));
  if (!pv.spec?.capacity?.storage) errs.push(field.required("spec.capacity"));
  throwIfInvalid(obj, "", errs);
}

export function defaultStorageClass(obj: StoredObject): void {
  const sc = obj as unknown as V1StorageClass;
  sc.reclaimPolicy ??= "Delete";
  sc.volumeBindingMode ??= "Immediate";
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and binding mode are immutable. */
export function validateStorageClass(obj: StoredObject, old: StoredObject | undefined): void {
  const sc = obj as unknown as V1StorageClass;
  const errs: FieldError[] = validateObjectMeta(obj, dns1123Subdomain, false);
  if (!sc.provisioner) errs.push(field.required("provisioner"));
  if (old) {
    const prev = old as unknown as V1StorageClass;
    if (JSON.stringify(canonical(sc.parameters ?? {})) !== JSON.stringify(canonical(prev.parameters ?? {}))) errs.push(field.forbidden("parameters", "updates to parameters are forbidden."));
    if (sc.provisioner !== prev.provisioner) errs.push(field.forbidden("provisioner", "updates to provisioner are forbidden."));
    if (sc.reclaimPolicy !== prev.reclaimPolicy) errs.push(field.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    if (sc.volumeBindingMode !== prev.volumeBindingMode) errs.push(field.forbidden("volumeBindingMode", "field is immutable"));
  }
  throwIfInvalid(obj, "storage.k8s.io", errs);
}
