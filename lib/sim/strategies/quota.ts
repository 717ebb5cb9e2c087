import type { V1Pod, V1ResourceQuota } from "@kubernetes/client-node";
import { parseQuantity } from "../controllers/util";
import { StatusError } from "../store/errors";
import type { Store, StoredObject } from "../store/store";
import { dns1123Subdomain, field, type FieldError, throwIfInvalid, validateObjectMeta } from "./validation";
import { isOf, type Stored } from "../store/types";

/**
 * ResourceQuota: object counts per namespace, enforced by the quota admission plugin on create
 * (k8s.io/apiserver/pkg/admission/plugin/resourcequota) and reported in status by the resource
 * quota controller (lib/sim/controllers/resourcequota.ts). Counted: `pods` (pods not yet
 * Succeeded or Failed, as the pod evaluator counts them), `persistentvolumeclaims`, `services`,
 * `configmaps`, `resourcequotas`, and `count/<resource>[.<group>]` for every served kind.
 */

export const QUOTAS = "resourcequotas";

/** The standard names of object counts (core/v1 ResourceName constants) → the store key they count. */
const STANDARD_COUNTS: Record<string, string> = {
  pods: "pods",
  persistentvolumeclaims: "persistentvolumeclaims",
  services: "services",
  configmaps: "configmaps",
  resourcequotas: "resourcequotas",
};

/** The store key a quota resource name counts ("count/statefulsets.apps" → "statefulsets.apps"). */
export function countedResource(name: string): string | undefined {
  if (name.startsWith("count/")) return name.slice("count/".length);
  return STANDARD_COUNTS[name];
}

function isTerminal(pod: Readonly<V1Pod>): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** How much of `name` the namespace uses now. */
export function usageOf(store: Store, namespace: string, name: string): number {
  const resource = countedResource(name);
  if (!resource) return 0;
  // The `pods` quota counts pods that are not terminal; `count/pods` counts them all.
  return name === "pods" ? store.count("pods", namespace, (pod) => !isTerminal(pod)) : store.count(resource, namespace);
}

/** prettyPrint of the admission plugin: sorted `name=value`, comma-separated. */
function prettyPrint(list: Record<string, string | number>): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${list[k]}`)
    .join(",");
}

/** The names of a quota's hard limits that a new object of `resource` adds one to. */
function namesCounting(quota: V1ResourceQuota, resource: string): string[] {
  return Object.keys(quota.spec?.hard ?? {}).filter((name) => countedResource(name) === resource);
}

/**
 * Quota admission for a create: the first quota of the namespace (by name) that the new object
 * would exceed refuses it with the plugin's 403, worded as the real one.
 */
export function admitQuota(store: Store, resource: string, obj: StoredObject): void {
  const namespace = obj.metadata.namespace;
  if (!namespace) return;
  if (isOf(resource, "pods", obj) && isTerminal(obj)) return;
  if (!store.count(QUOTAS, namespace)) return;
  for (const item of store.list(QUOTAS, { namespace }).items) {
    const quota = item;
    const requested: Record<string, number> = {};
    const used: Record<string, number> = {};
    const limited: Record<string, string> = {};
    for (const name of namesCounting(quota, resource)) {
      const hard = quota.spec!.hard![name];
      const now = usageOf(store, namespace, name);
      if (now + 1 > parseQuantity(hard)) {
        requested[name] = 1;
        used[name] = now;
        limited[name] = String(hard);
      }
    }
    if (Object.keys(requested).length) {
      const message = `exceeded quota: ${quota.metadata!.name}, requested: ${prettyPrint(requested)}, used: ${prettyPrint(used)}, limited: ${prettyPrint(limited)}`;
      const [plural, group = ""] = resource.split(/\.(.*)/s);
      throw new StatusError(403, "Forbidden", `${resource} "${obj.metadata.name ?? ""}" is forbidden: ${message}`, { name: obj.metadata.name ?? "", group, kind: plural });
    }
  }
}

/** ValidateResourceQuota (core/validation), for object counts: known names, non-negative values. */
export function validateResourceQuota(quota: Stored<"resourcequotas">): void {
  const errs: FieldError[] = validateObjectMeta(quota, dns1123Subdomain, true);
  for (const [name, value] of Object.entries(quota.spec?.hard ?? {})) {
    const at = `spec.hard[${name}]`;
    if (parseQuantity(value) < 0) errs.push(field.invalid(at, String(value), "must be greater than or equal to 0"));
  }
  throwIfInvalid(quota, "", errs);
}

/** The quota the playground puts in every namespace it serves workloads in (see README). */
export const DEFAULT_QUOTA_NAME = "playground-quota";

/** Pods a namespace may hold by default: 10 nodes × 110 pods (the kubelet's --max-pods). */
export const DEFAULT_POD_QUOTA = 1100;

export function defaultQuota(namespace: string, env: NodeJS.ProcessEnv = process.env): V1ResourceQuota {
  const configured = Number(env.PLAYGROUND_POD_QUOTA);
  const pods = Number.isInteger(configured) && configured >= 0 && env.PLAYGROUND_POD_QUOTA !== "" ? configured : DEFAULT_POD_QUOTA;
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: DEFAULT_QUOTA_NAME, namespace },
    spec: { hard: { pods: String(pods), persistentvolumeclaims: String(pods), services: "200", configmaps: "1000", "count/statefulsets.apps": "100" } },
  };
}
