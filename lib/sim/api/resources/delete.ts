import { errors, StatusError } from "../../store/errors";
import { RESOURCES, resourceKey } from "../../store/resources";
import type { DeleteOptions, StoredObject } from "../../store/store";
import type { ResourceAccess } from "../access";
import type { ApiDeps } from "../deps";
import { type ApiRequest, decodeJson, decodeObject, intParam, mediaType } from "../http";
import type { Output } from "../negotiation";
import { PROTOBUF } from "../protobuf/codec";
import { respond } from "../respond";
import type { ResourceRoute } from "../routes";
import { selectObjects } from "./read";

/** Registries with ReturnDeletedObject: a completed delete answers with the object, others with a Status. */
const RETURNS_DELETED_OBJECT = new Set(["pods", "services", "serviceaccounts", "persistentvolumes", "persistentvolumeclaims", "namespaces", "storageclasses.storage.k8s.io"]);
const PROTECTED_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);
const POLICIES = ["Foreground", "Background", "Orphan"];

interface RawDeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

/** DeleteOptions from the query, overridden by a body when there is one (kubectl sends a body). */
async function deleteOptions(req: ApiRequest): Promise<{ options: DeleteOptions; dryRun: boolean }> {
  const raw: RawDeleteOptions = {};
  const grace = intParam(req.query, "gracePeriodSeconds");
  if (grace !== undefined) raw.gracePeriodSeconds = grace;
  if (req.query.get("propagationPolicy")) raw.propagationPolicy = req.query.get("propagationPolicy")!;
  if (req.query.get("orphanDependents")) raw.orphanDependents = req.query.get("orphanDependents") === "true";
  if (req.query.getAll("dryRun").length) raw.dryRun = req.query.getAll("dryRun");
  const body = await req.body();
  if (mediaType(req.headers) === PROTOBUF && body.length) Object.assign(raw, decodeObject(body, PROTOBUF, { apiVersion: "v1", kind: "DeleteOptions" }) as RawDeleteOptions);
  else if (body.length && body.toString("utf8").trim()) Object.assign(raw, decodeJson(body) as RawDeleteOptions);
  if (raw.propagationPolicy && !POLICIES.includes(raw.propagationPolicy)) {
    throw errors.invalid("DeleteOptions", "", "", [{ field: "propagationPolicy", reason: "FieldValueNotSupported", message: `Unsupported value: "${raw.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"` }]);
  }
  if (raw.propagationPolicy && raw.orphanDependents !== undefined) {
    throw errors.invalid("DeleteOptions", "", "", [{ field: "propagationPolicy", reason: "FieldValueInvalid", message: "Invalid value: \"" + raw.propagationPolicy + "\": orphanDependents and deletionPropagation cannot be both set" }]);
  }
  const propagationPolicy = (raw.propagationPolicy ?? (raw.orphanDependents ? "Orphan" : undefined)) as DeleteOptions["propagationPolicy"];
  return {
    options: { gracePeriodSeconds: raw.gracePeriodSeconds, propagationPolicy, preconditions: raw.preconditions },
    dryRun: (raw.dryRun ?? []).includes("All"),
  };
}

function successStatus(access: ResourceAccess, obj: StoredObject): Record<string, unknown> {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name: obj.metadata.name, group: access.rt.group, kind: access.rt.resource, uid: obj.metadata.uid },
  };
}

/**
 * The namespace controller's work, done at once: a namespace goes with everything in it. (The real
 * one waits in Terminating while its content is deleted; here graceful pods keep terminating.)
 */
function deleteNamespaceContent(deps: ApiDeps, namespace: string): void {
  const keys = new Set(RESOURCES.filter((r) => r.namespaced && r.group !== "events.k8s.io").map(resourceKey));
  for (const key of keys) {
    for (const obj of deps.ctx.store.list(key, { namespace }).items) {
      try {
        deps.ctx.store.delete(key, namespace, obj.metadata.name!, { propagationPolicy: "Background" });
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
  }
}

function deleteOne(deps: ApiDeps, access: ResourceAccess, namespace: string | undefined, name: string, options: DeleteOptions, dryRun: boolean): { object: StoredObject; removed: boolean } {
  if (access.key === "namespaces" && PROTECTED_NAMESPACES.has(name)) {
    throw new StatusError(403, "Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: "namespaces" });
  }
  if (dryRun) return { object: deps.ctx.store.get(access.key, namespace, name), removed: false };
  if (access.key === "namespaces") deleteNamespaceContent(deps, name);
  return deps.ctx.store.delete(access.key, namespace, name, options);
}

export async function handleDelete(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): Promise<void> {
  const { options, dryRun } = await deleteOptions(req);
  const { object, removed } = deleteOne(deps, access, route.namespace, route.name!, options, dryRun);
  const body = removed && !RETURNS_DELETED_OBJECT.has(access.key) ? successStatus(access, object) : access.toExternal(object);
  respond(req.res, 200, body, output);
}

/** deletecollection: deletes what the selectors match and answers with the list of them. */
export async function handleDeleteCollection(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): Promise<void> {
  const { options, dryRun } = await deleteOptions(req);
  const { items } = selectObjects(deps, req, route, access);
  const deleted: StoredObject[] = [];
  for (const obj of items) {
    try {
      deleted.push(deleteOne(deps, access, obj.metadata.namespace, obj.metadata.name!, options, dryRun).object);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  const list = { kind: `${access.rt.kind}List`, apiVersion: access.apiVersion, metadata: { resourceVersion: String(deps.ctx.store.resourceVersion) }, items: deleted.map((o) => access.toExternal(o)) };
  respond(req.res, 200, list, output);
}
