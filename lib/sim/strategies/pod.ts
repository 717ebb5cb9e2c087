import type { V1Container, V1PodSpec } from "@kubernetes/client-node";
import { defaultProbes, validateProbes } from "./probes";
import { dns1123Label, dns1123Subdomain, field, type FieldError, throwIfInvalid, validateObjectMeta } from "./validation";
import type { Stored } from "../store/types";
import { deepCopy } from "../store/copy";

const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** DefaultTolerationSeconds admission plugin: tolerate not-ready/unreachable nodes for 300 s. */
const DEFAULT_TOLERATION_SECONDS = 300;

/** registry/core/pod/strategy.go CheckGracefulDelete: unscheduled or finished pods go at once. */
export function podGracePeriod(pod: Stored<"pods">, requested: number | undefined): number {
  if (requested !== undefined && requested <= 0) return 0;
  if (!pod.spec?.nodeName) return 0;
  if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded") return 0;
  return requested ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
}

/** `:latest` or no tag at all means Always (a digest pins the image, so IfNotPresent). */
function defaultPullPolicy(image: string | undefined): string {
  if (!image || image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultContainer(c: V1Container): void {
  defaultProbes(c);
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= "TCP";
}

/** SetDefaults_PodSpec and friends (pkg/apis/core/v1/defaults.go), for pods and pod templates. */
export function defaultPodSpec(spec: V1PodSpec): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_SECONDS;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.securityContext ??= {};
  spec.containers ??= [];
  for (const c of spec.containers) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
}

export function defaultPod(pod: Stored<"pods">): void {
  const spec = (pod.spec ??= { containers: [] });
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  spec.priority ??= 0;
  const tolerations = (spec.tolerations ??= []);
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tolerations.some((t) => t.key === key && t.effect === "NoExecute")) {
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  pod.status = { phase: "Pending", qosClass: "BestEffort", ...(pod.status ?? {}) };
}

function validateContainers(containers: V1Container[] | undefined, path: string, required: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!containers?.length) {
    if (required) errs.push(field.required(path));
    return errs;
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!c.name) errs.push(field.required(`${at}.name`));
    else {
      for (const msg of dns1123Label(c.name)) errs.push(field.invalid(`${at}.name`, c.name, msg));
      if (seen.has(c.name)) errs.push(field.duplicate(`${at}.name`, c.name));
      seen.add(c.name);
    }
    if (!c.image || !c.image.trim()) errs.push(field.required(`${at}.image`));
    if (path.endsWith(".containers")) errs.push(...validateProbes(c, at));
    (c.ports ?? []).forEach((p, j) => {
      if (!(p.containerPort >= 1 && p.containerPort <= 65535)) {
        errs.push(field.invalid(`${at}.ports[${j}].containerPort`, p.containerPort, "must be between 1 and 65535, inclusive"));
      }
    });
  });
  return errs;
}

/** The parts of ValidatePodSpec the playground's manifests exercise. */
export function validatePodSpec(spec: V1PodSpec | undefined, path: string): FieldError[] {
  if (!spec) return [field.required(path)];
  const errs = [...validateContainers(spec.containers, `${path}.containers`, true), ...validateContainers(spec.initContainers, `${path}.initContainers`, false)];
  const policies = ["Always", "OnFailure", "Never"];
  if (spec.restartPolicy && !policies.includes(spec.restartPolicy)) errs.push(field.notSupported(`${path}.restartPolicy`, spec.restartPolicy, policies));
  if (spec.hostname) for (const msg of dns1123Label(spec.hostname)) errs.push(field.invalid(`${path}.hostname`, spec.hostname, msg));
  if (spec.subdomain) for (const msg of dns1123Label(spec.subdomain)) errs.push(field.invalid(`${path}.subdomain`, spec.subdomain, msg));
  if ((spec.terminationGracePeriodSeconds ?? 0) < 0) {
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, "must be greater than or equal to 0"));
  }
  return errs;
}

export function validatePod(obj: Stored<"pods">, old: Stored<"pods"> | undefined): void {
  if (old) return; // Updates are checked by validatePodUpdate at the API layer (controllers bind and patch directly).
  const pod = obj;
  throwIfInvalid(obj, "", [...validateObjectMeta(obj, dns1123Subdomain, true), ...validatePodSpec(pod.spec, "spec")]);
}

const UPDATABLE_POD_FIELDS =
  "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/** ValidatePodUpdate: a client may only change images, activeDeadlineSeconds and add tolerations. */
export function validatePodUpdate(obj: Stored<"pods">, old: Stored<"pods">): void {
  const next = deepCopy(obj.spec ?? ({} as V1PodSpec));
  const prev = old.spec ?? ({} as V1PodSpec);
  const errs = validatePodSpec(next, "spec");
  // Mask the mutable fields with the old values, then anything left that differs is forbidden.
  next.containers?.forEach((c, i) => {
    if (prev.containers?.[i]) c.image = prev.containers[i].image;
  });
  next.initContainers?.forEach((c, i) => {
    if (prev.initContainers?.[i]) c.image = prev.initContainers[i].image;
  });
  next.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  const oldTolerations = JSON.stringify(prev.tolerations ?? []);
  const keepsOld = (next.tolerations ?? []).length >= (prev.tolerations ?? []).length && JSON.stringify((next.tolerations ?? []).slice(0, (prev.tolerations ?? []).length)) === oldTolerations;
  if (keepsOld) next.tolerations = prev.tolerations;
  if (JSON.stringify(canonical(next)) !== JSON.stringify(canonical(prev))) errs.push(field.forbidden("spec", `pod updates may not change fields other than ${UPDATABLE_POD_FIELDS}`));
  throwIfInvalid(obj, "", errs);
}

/**
 * JSON as apiequality.Semantic.DeepEqual compares it: sorted keys (key order never counts), and
 * members that are undefined, null or an empty list dropped — the forked reflect.DeepEqual treats a
 * nil and an empty slice as equal, so a client that omits `volumes: []` changes nothing.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}
