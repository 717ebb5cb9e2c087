import type { SimContext } from "../context";
import { defaultQuota, QUOTAS, usageOf } from "../strategies/quota";
import { objectKey, splitKey } from "../../k8s/keys";
import { type RunningController, runController, watchAny } from "./runtime/controller";
import { canonicalJson, ignoreStale } from "./util";

/** Namespaces the cluster itself runs in: the playground puts no quota there. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/**
 * The namespaces (name → uid) that were given their default quota, so deleting the quota by hand
 * sticks and a namespace created again gets one again. Kept in kube-system rather than on the
 * namespace, whose metadata stays as a real cluster's.
 */
export const QUOTA_LEDGER = { namespace: "kube-system", name: "playground-default-quotas" } as const;

/** Kinds whose changes move a standard count (other `count/…` names follow on resync). */
const COUNTED = ["pods", "persistentvolumeclaims", "services", "configmaps", "statefulsets.apps", QUOTAS];

const RESYNC_MS = 60_000;

function quotasIn(ctx: SimContext, namespace: string | undefined): string[] {
  if (!namespace || !ctx.store.count(QUOTAS, namespace)) return [];
  return ctx.store.list(QUOTAS, { namespace }).items.map(objectKey);
}

/** The resource quota controller's sync: status.hard mirrors spec.hard, status.used is counted. */
function syncQuota(ctx: SimContext, namespace: string, name: string): void {
  const obj = ctx.store.tryGet(QUOTAS, namespace, name);
  if (!obj) return;
  const quota = obj;
  const hard = { ...(quota.spec?.hard ?? {}) };
  const used: Record<string, string> = {};
  for (const resource of Object.keys(hard)) used[resource] = String(usageOf(ctx.store, namespace, resource));
  const status = { hard, used };
  if (canonicalJson(status) === canonicalJson(quota.status ?? {})) return;
  ignoreStale(() => ctx.store.update(QUOTAS, { ...obj, status }, { subresource: "status" }));
}

/** Creates the playground's default quota in a workload namespace, once. */
function ensureDefaultQuota(ctx: SimContext, name: string): void {
  const ns = ctx.store.tryGet("namespaces", undefined, name);
  if (!ns || SYSTEM_NAMESPACES.has(name) || ns.metadata.deletionTimestamp) return;
  const ledger = ctx.store.tryGet("configmaps", QUOTA_LEDGER.namespace, QUOTA_LEDGER.name);
  const given = (ledger?.data ?? {}) as Record<string, string>;
  if (given[name] === ns.metadata.uid) return;
  if (!ctx.store.tryGet(QUOTAS, name, defaultQuota(name).metadata!.name!)) ctx.store.create(QUOTAS, defaultQuota(name));
  const data = { ...given, [name]: ns.metadata.uid! };
  if (ledger) ignoreStale(() => ctx.store.update("configmaps", { ...ledger, data }));
  else ignoreStale(() => ctx.store.create("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { ...QUOTA_LEDGER }, data }));
}

/**
 * The resource quota controller (pkg/controller/resourcequota) plus the playground's policy of a
 * default quota per namespace: quota admission (strategies/quota.ts) refuses what exceeds a quota,
 * this keeps `status.used` current so `kubectl describe quota` shows it.
 */
export function startResourceQuotaController(ctx: SimContext): RunningController {
  return runController(ctx, {
    name: "resourcequota-controller",
    watches: [
      { resource: QUOTAS, keys: (obj) => [objectKey(obj)] },
      { resource: "namespaces", keys: (obj) => [`namespace:${obj.metadata.name}`] },
      ...COUNTED.filter((r) => r !== QUOTAS).map((resource) => watchAny(resource, (obj) => quotasIn(ctx, obj.metadata.namespace))),
    ],
    reconcile(key) {
      if (key.startsWith("namespace:")) return ensureDefaultQuota(ctx, key.slice("namespace:".length));
      const { namespace, name } = splitKey(key);
      syncQuota(ctx, namespace!, name);
    },
    resyncMs: RESYNC_MS,
  });
}
