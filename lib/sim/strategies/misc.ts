import type { StoredObject } from "../store/store";
import { canonical } from "./pod";
import { dns1123Label, dns1123Subdomain, field, type FieldError, type NameRule, throwIfInvalid, validateObjectMeta } from "./validation";
import type { Stored } from "../store/types";

/** Name and namespace checks only, for the kinds whose spec the playground never sets by hand. */
export function metaOnly(group: string, rule: NameRule, namespaced: boolean) {
  return (obj: StoredObject): void => throwIfInvalid(obj, group, validateObjectMeta(obj, rule, namespaced));
}

export function defaultNamespace(ns: Stored<"namespaces">): void {
  ns.spec = { finalizers: ["kubernetes"], ...(ns.spec ?? {}) };
  ns.status = { phase: "Active", ...(ns.status ?? {}) };
  // NamespaceDefaultLabelName: every namespace carries its own name as a label (since 1.21).
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), "kubernetes.io/metadata.name": ns.metadata.name ?? "" };
}

export const validateNamespace = metaOnly("", dns1123Label, false);

export function defaultPersistentVolume(pv: Stored<"persistentvolumes">): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= "Retain";
  spec.volumeMode ??= "Filesystem";
  pv.status = { phase: "Pending", ...(pv.status ?? {}) };
}

export function validatePersistentVolume(pv: Stored<"persistentvolumes">): void {
  const errs: FieldError[] = validateObjectMeta(pv, dns1123Subdomain, false);
  if (!pv.spec?.accessModes?.length) errs.push(field.required("spec.accessModes"));
  if (!pv.spec?.capacity?.storage) errs.push(field.required("spec.capacity"));
  throwIfInvalid(pv, "", errs);
}

export function defaultStorageClass(sc: Stored<"storageclasses.storage.k8s.io">): void {
  sc.reclaimPolicy ??= "Delete";
  sc.volumeBindingMode ??= "Immediate";
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and binding mode are immutable. */
export function validateStorageClass(sc: Stored<"storageclasses.storage.k8s.io">, prev: Stored<"storageclasses.storage.k8s.io"> | undefined): void {
  const errs: FieldError[] = validateObjectMeta(sc, dns1123Subdomain, false);
  if (!sc.provisioner) errs.push(field.required("provisioner"));
  if (prev) {
    if (JSON.stringify(canonical(sc.parameters ?? {})) !== JSON.stringify(canonical(prev.parameters ?? {}))) errs.push(field.forbidden("parameters", "updates to parameters are forbidden."));
    if (sc.provisioner !== prev.provisioner) errs.push(field.forbidden("provisioner", "updates to provisioner are forbidden."));
    if (sc.reclaimPolicy !== prev.reclaimPolicy) errs.push(field.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    if (sc.volumeBindingMode !== prev.volumeBindingMode) errs.push(field.forbidden("volumeBindingMode", "field is immutable"));
  }
  throwIfInvalid(sc, "storage.k8s.io", errs);
}
