import type { KubernetesObject } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { canonicalJson, ignoreStale } from "../util";

/**
 * The two ends every workload controller's sync shares (Deployment, ReplicaSet, DaemonSet, Job):
 * which owner a changed object concerns, and writing the status it computed.
 */

/**
 * The key (`namespace/name`) of the `kind` controller that owns `obj` through its controller
 * reference, as the controllers' event handlers resolve it (resolveControllerRef): none if
 * another kind or nobody controls it.
 */
export function ownerKeys(obj: Readonly<KubernetesObject>, kind: string): string[] {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? [`${obj.metadata?.namespace}/${ref.name}`] : [];
}

/**
 * Writes `status` through the status subresource when it differs from `current`'s, compared on
 * `comparable(status)` (the Deployment controller ignores condition timestamps); a conflict is
 * dropped, as the next sync computes it again. Upstream controllers skip an unchanged status too.
 */
export function writeStatusIfChanged<S extends object>(
  ctx: SimContext,
  resource: string,
  current: KubernetesObject & { status?: S },
  status: S,
  comparable: (status: S) => unknown = (s) => s,
): void {
  if (canonicalJson(comparable(status)) === canonicalJson(comparable(current.status ?? ({} as S)))) return;
  const next = { ...current, status };
  ignoreStale(() => ctx.store.update(resource, next, { subresource: "status" }));
}
