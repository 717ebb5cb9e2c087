import type { V1LabelSelector } from "@kubernetes/client-node";
import { errors } from "../../store/errors";
import { isOf, type Stored } from "../../store/types";
import type { ResourceAccess } from "../access";
import type { ApiDeps } from "../deps";
import { checkPatchedTypes } from "../decode";
import { validateFields } from "../fields";
import { type ApiRequest, decodeObject, mediaType } from "../http";
import type { Output } from "../negotiation";
import { applyPatch } from "../patch";
import { respond } from "../respond";
import type { ResourceRoute } from "../routes";
import { deepCopy } from "../../store/copy";

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key. */
export function selectorString(sel: V1LabelSelector | undefined): string {
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    if (e.operator === "In") reqs.push([e.key, `${e.key} in (${values})`]);
    else if (e.operator === "NotIn") reqs.push([e.key, `${e.key} notin (${values})`]);
    else if (e.operator === "Exists") reqs.push([e.key, e.key]);
    else if (e.operator === "DoesNotExist") reqs.push([e.key, `!${e.key}`]);
  }
  return reqs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => s)
    .join(",");
}

/** The kinds with a `scale` subresource (resources.ts). */
const SCALABLE = ["statefulsets.apps", "deployments.apps", "replicasets.apps"] as const;
type Scalable = Stored<(typeof SCALABLE)[number]>;

/** The autoscaling/v1 Scale view of a StatefulSet, Deployment or ReplicaSet. */
export function toScale(sts: Scalable): Record<string, unknown> {
  const m = sts.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: sts.spec?.replicas ?? 0 },
    status: { replicas: sts.status?.replicas ?? 0, selector: selectorString(sts.spec?.selector) },
  };
}

interface ScaleBody {
  metadata?: { resourceVersion?: string; name?: string };
  spec?: { replicas?: number };
}

function applyScale(deps: ApiDeps, access: ResourceAccess, current: Scalable, scale: ScaleBody, name: string): Scalable {
  const replicas = scale.spec?.replicas ?? 0;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid("Scale", "autoscaling", name, [{ field: "spec.replicas", reason: "FieldValueInvalid", message: `Invalid value: ${replicas}: must be greater than or equal to 0` }]);
  }
  const next = deepCopy(current);
  next.spec = { ...next.spec!, replicas };
  next.metadata.resourceVersion = scale.metadata?.resourceVersion || current.metadata.resourceVersion;
  return deps.ctx.store.update(access.key, next) as Scalable;
}

export async function handleScale(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): Promise<void> {
  const name = route.name!;
  const current = deps.ctx.store.get(access.key, route.namespace, name);
  // Routes serve `scale` only for the kinds that have it; anything else has no such subresource.
  if (!isOf(access.key, SCALABLE, current)) throw errors.notFound(access.rt.resource, access.rt.group, name);
  switch (req.method) {
    case "GET":
      respond(req.res, 200, toScale(current), output);
      return;
    case "PUT": {
      const body = decodeObject(await req.body(), mediaType(req.headers), { apiVersion: "autoscaling/v1", model: "V1Scale", kind: "Scale", version: "v1" }) as ScaleBody;
      validateFields(req.query, req.res, "V1Scale", "Scale", "v1", body);
      if (body.metadata?.name && body.metadata.name !== name) throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      respond(req.res, 200, toScale(applyScale(deps, access, current, body, name)), output);
      return;
    }
    case "PATCH": {
      const scale = toScale(current);
      const patched = applyPatch(scale, mediaType(req.headers), await req.body()) as ScaleBody;
      checkPatchedTypes(patched, "V1Scale");
      validateFields(req.query, req.res, "V1Scale", "Scale", "v1", patched, scale);
      respond(req.res, 200, toScale(applyScale(deps, access, current, patched, name)), output);
      return;
    }
    default:
      throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  }
}
