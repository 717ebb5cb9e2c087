import type { V1PersistentVolumeClaim, V1StatefulSetSpec } from "@kubernetes/client-node";
import { fromLabelSelector, matchesLabels } from "../store/selectors";
import { canonical, defaultPodSpec, validatePodSpec } from "./pod";
import { defaultClaimSpec, validateClaimSpec } from "./pvc";
import { dns1123Subdomain, field, type FieldError, throwIfInvalid, validateLabels, validateObjectMeta } from "./validation";
import type { Stored } from "../store/types";

/** SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go) plus the embedded pod template and claims. */
export function defaultStatefulSet(sts: Stored<"statefulsets.apps">): void {
  const spec = (sts.spec ??= {} as V1StatefulSetSpec);
  spec.podManagementPolicy ??= "OrderedReady";
  if (!spec.updateStrategy?.type) spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: spec.updateStrategy?.rollingUpdate ?? {} };
  if (spec.updateStrategy.type === "RollingUpdate" && spec.updateStrategy.rollingUpdate) spec.updateStrategy.rollingUpdate.partition ??= 0;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= "Retain";
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= "Retain";
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.template ??= {};
  spec.template.metadata ??= {};
  if (spec.template.spec) defaultPodSpec(spec.template.spec);
  for (const claim of spec.volumeClaimTemplates ?? []) defaultClaimTemplate(claim);
  // A new StatefulSet's empty status still shows its non-omitempty counters.
  sts.status ??= { replicas: 0, availableReplicas: 0 };
}

function defaultClaimTemplate(claim: V1PersistentVolumeClaim): void {
  claim.apiVersion ??= "v1";
  claim.kind ??= "PersistentVolumeClaim";
  claim.metadata ??= {};
  claim.spec ??= {};
  defaultClaimSpec(claim.spec);
  claim.status ??= { phase: "Pending" };
}

function nonNegative(path: string, value: number | undefined): FieldError[] {
  return value !== undefined && value < 0 ? [field.invalid(path, value, "must be greater than or equal to 0")] : [];
}

/** ValidateStatefulSetSpec (pkg/apis/apps/validation), for the fields the playground uses. */
export function validateStatefulSetSpec(spec: V1StatefulSetSpec | undefined): FieldError[] {
  if (!spec) return [field.required("spec")];
  const errs: FieldError[] = [];
  const policies = ["OrderedReady", "Parallel"];
  if (!spec.podManagementPolicy) errs.push(field.required("spec.podManagementPolicy"));
  else if (!policies.includes(spec.podManagementPolicy)) errs.push(field.invalid("spec.podManagementPolicy", spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  const strategy = spec.updateStrategy;
  if (!strategy?.type) errs.push(field.required("spec.updateStrategy"));
  else if (strategy.type === "OnDelete" && strategy.rollingUpdate) {
    errs.push(field.invalid("spec.updateStrategy.rollingUpdate", strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (strategy.type === "RollingUpdate") errs.push(...nonNegative("spec.updateStrategy.rollingUpdate.partition", strategy.rollingUpdate?.partition));
  else if (strategy.type !== "OnDelete") errs.push(field.invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  errs.push(...nonNegative("spec.replicas", spec.replicas));
  errs.push(...nonNegative("spec.minReadySeconds", spec.minReadySeconds));
  errs.push(...nonNegative("spec.revisionHistoryLimit", spec.revisionHistoryLimit));
  errs.push(...nonNegative("spec.ordinals.start", spec.ordinals?.start));
  const retention = ["Retain", "Delete"];
  for (const key of ["whenDeleted", "whenScaled"] as const) {
    const v = spec.persistentVolumeClaimRetentionPolicy?.[key];
    if (v && !retention.includes(v)) errs.push(field.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, v, retention));
  }
  errs.push(...validateSelectorAndTemplate(spec));
  (spec.volumeClaimTemplates ?? []).forEach((claim, i) => {
    const at = `spec.volumeClaimTemplates[${i}]`;
    if (!claim.metadata?.name) errs.push(field.required(`${at}.metadata.name`));
    errs.push(...validateClaimSpec(claim.spec, `${at}.spec`));
  });
  return errs;
}

function validateSelectorAndTemplate(spec: V1StatefulSetSpec): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector;
  if (!selector) errs.push(field.required("spec.selector"));
  else if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
    errs.push(field.invalid("spec.selector", selector, "empty selector is not valid for statefulset."));
  }
  const labels = spec.template?.metadata?.labels;
  if (selector && !matchesLabels(fromLabelSelector(selector), labels)) {
    errs.push(field.invalid("spec.template.metadata.labels", labels ?? {}, "`selector` does not match template `labels`"));
  }
  errs.push(...validateLabels(labels, "spec.template.metadata.labels"));
  errs.push(...validatePodSpec(spec.template?.spec, "spec.template.spec"));
  const restart = spec.template?.spec?.restartPolicy;
  if (restart && restart !== "Always") errs.push(field.notSupported("spec.template.spec.restartPolicy", restart, ["Always"]));
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.invalid("spec.template.spec.activeDeadlineSeconds", spec.template.spec.activeDeadlineSeconds, "must not be specified"));
  }
  return errs;
}

const MUTABLE_SPEC_FIELDS = ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"] as const;

/** ValidateStatefulSetUpdate: everything but the fields above is immutable. */
export function validateStatefulSetUpdate(next: V1StatefulSetSpec | undefined, old: V1StatefulSetSpec | undefined): FieldError[] {
  const a: Record<string, unknown> = { ...(next ?? {}) };
  const b: Record<string, unknown> = { ...(old ?? {}) };
  for (const f of MUTABLE_SPEC_FIELDS) {
    delete a[f];
    delete b[f];
  }
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  return [
    field.forbidden(
      "spec",
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

export function validateStatefulSet(sts: Stored<"statefulsets.apps">, old: Stored<"statefulsets.apps"> | undefined): void {
  const errs = [...validateObjectMeta(sts, dns1123Subdomain, true), ...validateStatefulSetSpec(sts.spec)];
  if (old) errs.push(...validateStatefulSetUpdate(sts.spec, old.spec));
  throwIfInvalid(sts, "apps", errs);
}
