import type { V1DaemonSet, V1Deployment, V1Job, V1LabelSelector, V1PodTemplateSpec, V1ReplicaSet } from "@kubernetes/client-node";
import { fromLabelSelector, matchesLabels } from "../store/selectors";
import { canonical, defaultPodSpec, validatePodSpec } from "./pod";
import { dns1123Subdomain, field, type FieldError, throwIfInvalid, validateLabels, validateObjectMeta } from "./validation";
import type { Stored } from "../store/types";

/**
 * Defaulting and validation of the workloads around a StatefulSet (pkg/apis/apps/v1 and batch/v1
 * defaults.go, pkg/apis/apps/validation and batch/validation), for the fields the playground runs.
 */

function defaultTemplate(template: V1PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

export function defaultDeployment(obj: Stored<"deployments.apps">): void {
  const spec = (obj.spec ??= {} as V1Deployment["spec"] & object);
  spec.replicas ??= 1;
  if (!spec.strategy?.type) spec.strategy = { type: "RollingUpdate", ...spec.strategy };
  if (spec.strategy.type === "RollingUpdate") {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
    spec.strategy.rollingUpdate.maxSurge ??= "25%";
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

export function defaultReplicaSet(obj: Stored<"replicasets.apps">): void {
  const spec = (obj.spec ??= {} as V1ReplicaSet["spec"] & object);
  spec.replicas ??= 1;
  defaultTemplate(spec.template);
}

export function defaultDaemonSet(obj: Stored<"daemonsets.apps">): void {
  const spec = (obj.spec ??= {} as V1DaemonSet["spec"] & object);
  if (!spec.updateStrategy?.type) spec.updateStrategy = { type: "RollingUpdate", ...spec.updateStrategy };
  if (spec.updateStrategy.type === "RollingUpdate") {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template);
}

/** Job defaults plus the selector and labels the job strategy generates (batch.kubernetes.io/controller-uid). */
export function defaultJob(job: Stored<"jobs.batch">): void {
  const spec = (job.spec ??= {} as V1Job["spec"] & object);
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= "NonIndexed";
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= "TerminatingOrFailed";
  spec.manualSelector ??= undefined;
  defaultTemplate(spec.template);
}

/** The job strategy's generateSelector: selector and template labels from the uid. */
function generateJobSelector(job: Stored<"jobs.batch">): void {
  const uid = job.metadata?.uid;
  if (!uid || !job.spec || job.spec.manualSelector) return;
  const name = job.metadata?.name ?? "";
  const labels = { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name };
  job.spec.template ??= {};
  job.spec.template.metadata ??= {};
  job.spec.template.metadata.labels = { ...labels, ...(job.spec.template.metadata.labels ?? {}) };
  job.spec.selector ??= { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
}

export function defaultSecret(secret: Stored<"secrets">): void {
  secret.type ||= "Opaque";
}

function nonNegative(path: string, value: number | undefined): FieldError[] {
  return value !== undefined && value !== null && value < 0 ? [field.invalid(path, value, "must be greater than or equal to 0")] : [];
}

/** ValidatePodTemplateSpecForReplicaSet and its kin: a non-empty selector that selects the template. */
function validateSelectorAndTemplate(selector: V1LabelSelector | undefined, template: V1PodTemplateSpec | undefined, kind: string, restartPolicies: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) errs.push(field.required("spec.selector"));
  else if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
    errs.push(field.invalid("spec.selector", selector, `empty selector is invalid for ${kind}`));
  }
  const labels = template?.metadata?.labels;
  if (selector && !matchesLabels(fromLabelSelector(selector), labels)) {
    errs.push(field.invalid("spec.template.metadata.labels", labels ?? {}, "`selector` does not match template `labels`"));
  }
  errs.push(...validateLabels(labels, "spec.template.metadata.labels"));
  errs.push(...validatePodSpec(template?.spec, "spec.template.spec"));
  const restart = template?.spec?.restartPolicy;
  if (restart && !restartPolicies.includes(restart)) errs.push(field.notSupported("spec.template.spec.restartPolicy", restart, restartPolicies));
  return errs;
}

type Workload = "deployments.apps" | "replicasets.apps" | "daemonsets.apps" | "jobs.batch";

function validateWith<R extends Workload>(group: string, specErrors: (obj: Stored<R>) => FieldError[]) {
  return (obj: Stored<R>, old: Stored<R> | undefined): void => {
    const errs = [...validateObjectMeta(obj, dns1123Subdomain, true), ...specErrors(obj)];
    const immutableSelector = old && JSON.stringify(canonical((obj.spec as { selector?: unknown })?.selector)) !== JSON.stringify(canonical((old.spec as { selector?: unknown })?.selector));
    if (immutableSelector) errs.push(field.invalid("spec.selector", (obj.spec as { selector?: unknown }).selector, "field is immutable"));
    throwIfInvalid(obj, group, errs);
  };
}

export const validateDeployment = validateWith<"deployments.apps">("apps", (obj) => {
  const spec = obj.spec;
  if (!spec) return [field.required("spec")];
  return [
    ...nonNegative("spec.replicas", spec.replicas),
    ...nonNegative("spec.revisionHistoryLimit", spec.revisionHistoryLimit),
    ...nonNegative("spec.minReadySeconds", spec.minReadySeconds),
    ...validateSelectorAndTemplate(spec.selector, spec.template, "Deployment", ["Always"]),
  ];
});

export const validateReplicaSet = validateWith<"replicasets.apps">("apps", (obj) => {
  const spec = obj.spec;
  if (!spec) return [field.required("spec")];
  return [...nonNegative("spec.replicas", spec.replicas), ...validateSelectorAndTemplate(spec.selector, spec.template, "ReplicaSet", ["Always"])];
});

export const validateDaemonSet = validateWith<"daemonsets.apps">("apps", (obj) => {
  const spec = obj.spec;
  if (!spec) return [field.required("spec")];
  return validateSelectorAndTemplate(spec.selector, spec.template, "DaemonSet", ["Always"]);
});

const validateJobSpec = validateWith<"jobs.batch">("batch", (obj) => {
  const spec = obj.spec;
  if (!spec) return [field.required("spec")];
  const errs = [...nonNegative("spec.parallelism", spec.parallelism), ...nonNegative("spec.completions", spec.completions), ...nonNegative("spec.backoffLimit", spec.backoffLimit)];
  return [...errs, ...validateSelectorAndTemplate(spec.selector, spec.template, "Job", ["OnFailure", "Never"])];
});

/** The job strategy's Validate generates the selector first on create (the uid is set by then). */
export function validateJob(obj: Stored<"jobs.batch">, old: Stored<"jobs.batch"> | undefined): void {
  if (!old) generateJobSelector(obj);
  validateJobSpec(obj, old);
}
