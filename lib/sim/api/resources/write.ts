import { withEphemeralContainers } from "../../strategies/ephemeral";
import { randomUUID } from "node:crypto";
import { errors, StatusError } from "../../store/errors";
import type { StoredObject } from "../../store/store";
import type { ResourceAccess } from "../access";
import type { ApiDeps } from "../deps";
import { modelOf, validateFields } from "../fields";
import { checkPatchedTypes } from "../decode";
import { type ApiRequest, type BodyTarget, decodeObject, mediaType } from "../http";
import type { Output } from "../negotiation";
import { applyPatch } from "../patch";
import { strategicMergePatch } from "../patch/strategic";
import { respond } from "../respond";
import type { ResourceRoute } from "../routes";
import { presentObject } from "./read";
import { timeField } from "../../../k8s/time";
import { deepCopy } from "../../store/copy";

/** Kinds whose PUT creates a missing object (AllowCreateOnUpdate in their registries). */
const CREATE_ON_UPDATE = new Set(["endpoints", "events", "leases.coordination.k8s.io", "endpointslices.discovery.k8s.io"]);

function isDryRun(req: ApiRequest): boolean {
  const values = req.query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw errors.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

/** The body must describe this resource; missing apiVersion/kind default to the URL's. */
function checkTypeMeta(obj: StoredObject, access: ResourceAccess): void {
  if (obj.apiVersion && obj.apiVersion !== access.apiVersion) {
    throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${access.apiVersion})`);
  }
  if (obj.kind && obj.kind !== access.rt.kind) throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${access.rt.kind})`);
  obj.apiVersion = access.apiVersion;
  obj.kind = access.rt.kind;
  if (typeof obj.metadata !== "object" || obj.metadata === null) obj.metadata = {};
}

function checkNamespace(obj: StoredObject, route: ResourceRoute, access: ResourceAccess): void {
  if (!access.rt.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && obj.metadata.namespace !== route.namespace) {
    throw errors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  obj.metadata.namespace = route.namespace;
}

/** The namespace lifecycle admission plugin: no new content in a missing or terminating namespace. */
function requireNamespace(deps: ApiDeps, namespace: string | undefined): void {
  if (!namespace) return;
  const ns = deps.ctx.store.tryGet("namespaces", undefined, namespace);
  if (!ns) throw errors.notFound("namespaces", "", namespace);
  if (ns.metadata.deletionTimestamp) {
    throw new StatusError(403, "Forbidden", `unable to create new content in namespace ${namespace} because it is being terminated`, { name: namespace, kind: "namespaces" });
  }
}

function checkFields(req: ApiRequest, access: ResourceAccess, obj: unknown, current?: StoredObject): void {
  validateFields(req.query, req.res, modelOf(access.rt), access.rt.kind, access.rt.version, obj, current && access.toExternal(current));
}

/** The Go type a body of this resource decodes into. */
function typedTarget(access: ResourceAccess): BodyTarget {
  return { apiVersion: access.apiVersion, model: modelOf(access.rt), kind: access.rt.kind, version: access.rt.version };
}

async function decodeBody(req: ApiRequest, access: ResourceAccess): Promise<StoredObject> {
  const obj = decodeObject(await req.body(), mediaType(req.headers), typedTarget(access)) as StoredObject;
  checkFields(req, access, obj);
  checkTypeMeta(obj, access);
  return obj;
}

/** Runs create through the strategies without storing it (dryRun=All). */
function dryRunCreate(deps: ApiDeps, access: ResourceAccess, obj: StoredObject): StoredObject {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = meta.generateName + randomUUID().slice(0, 5);
  if (meta.name && deps.ctx.store.tryGet(access.key, meta.namespace, meta.name)) throw errors.alreadyExists(access.rt.resource, access.rt.group, meta.name);
  const strategy = deps.strategies.get(access.key);
  strategy?.defaults?.(obj);
  strategy?.validate?.(obj, undefined);
  strategy?.admit?.(obj);
  meta.uid = randomUUID();
  meta.creationTimestamp = timeField(deps.ctx.clock.now());
  return obj;
}

export async function handleCreate(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): Promise<void> {
  const obj = await decodeBody(req, access);
  checkNamespace(obj, route, access);
  if (obj.metadata.resourceVersion) throw errors.badRequest("resourceVersion should not be set on objects to be created");
  requireNamespace(deps, obj.metadata.namespace);
  deps.strategies.get(access.key)?.prepareForCreate?.(obj);
  const internal = access.toInternal(obj);
  const created = isDryRun(req) ? dryRunCreate(deps, access, internal) : deps.ctx.store.create(access.key, internal);
  respond(req.res, 201, presentObject(deps, req, access, created, output), output);
}

/** Commits a client's new version of an object (PUT or the result of a PATCH). */
function commitUpdate(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, obj: StoredObject, old: StoredObject): StoredObject {
  const internal = access.toInternal(obj);
  const status = route.subresource === "status";
  const strategy = deps.strategies.get(access.key);
  if (route.subresource === "ephemeralcontainers") {
    const next = withEphemeralContainers(old, internal);
    return isDryRun(req) ? next : deps.ctx.store.update(access.key, next);
  }
  if (!status) {
    // The main resource never changes status (the store only keeps it when the old object had one).
    if ("status" in old) internal.status = deepCopy(old.status);
    else delete internal.status;
    strategy?.prepareForUpdate?.(internal, old);
    strategy?.validateUpdate?.(internal, old);
  }
  if (isDryRun(req)) {
    if (status) return { ...old, status: internal.status };
    strategy?.validate?.(internal, old);
    return { ...internal, status: old.status };
  }
  return deps.ctx.store.update(access.key, internal, status ? { subresource: "status" } : {});
}

export async function handleUpdate(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): Promise<void> {
  const obj = await decodeBody(req, access);
  if (obj.metadata.name !== route.name) throw errors.badRequest(`the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${route.name})`);
  checkNamespace(obj, route, access);
  const old = deps.ctx.store.tryGet(access.key, route.namespace, route.name!);
  if (!old) {
    if (!CREATE_ON_UPDATE.has(access.key) || route.subresource) throw errors.notFound(access.rt.resource, access.rt.group, route.name!);
    requireNamespace(deps, route.namespace);
    delete obj.metadata.resourceVersion;
    respond(req.res, 201, presentObject(deps, req, access, deps.ctx.store.create(access.key, access.toInternal(obj)), output), output);
    return;
  }
  const updated = commitUpdate(deps, req, route, access, obj, old);
  respond(req.res, 200, presentObject(deps, req, access, updated, output), output);
}

/**
 * PATCH: applies the patch to the current object and updates it. The patched object keeps the
 * current resourceVersion unless the patch itself names one (then a stale one is a 409).
 * Server-side apply (apply-patch+yaml) is approximated: create when missing, else a strategic merge.
 */
export async function handlePatch(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): Promise<void> {
  const type = mediaType(req.headers);
  const body = await req.body();
  const current = deps.ctx.store.tryGet(access.key, route.namespace, route.name!);
  if (type === "application/apply-patch+yaml") {
    const applied = decodeObject(body, type, typedTarget(access)) as StoredObject;
    checkFields(req, access, applied);
    checkTypeMeta(applied, access);
    if (applied.metadata.name && applied.metadata.name !== route.name) throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${route.name})`);
    applied.metadata.name = route.name;
    if (!current) {
      if (route.subresource) throw errors.notFound(access.rt.resource, access.rt.group, route.name!);
      checkNamespace(applied, route, access);
      requireNamespace(deps, applied.metadata.namespace);
      deps.strategies.get(access.key)?.prepareForCreate?.(applied);
      const created = isDryRun(req) ? dryRunCreate(deps, access, access.toInternal(applied)) : deps.ctx.store.create(access.key, access.toInternal(applied));
      respond(req.res, 201, presentObject(deps, req, access, created, output), output);
      return;
    }
    const merged = strategicMergePatch(access.toExternal(current), applied) as StoredObject;
    respond(req.res, 200, presentObject(deps, req, access, finishPatch(deps, req, route, access, merged, current), output), output);
    return;
  }
  if (!current) throw errors.notFound(access.rt.resource, access.rt.group, route.name!);
  const patched = applyPatch(access.toExternal(current), type, body);
  if (patched === null || typeof patched !== "object" || Array.isArray(patched)) throw errors.badRequest("the patch did not produce an object");
  checkPatchedTypes(patched, modelOf(access.rt));
  checkFields(req, access, patched, current);
  respond(req.res, 200, presentObject(deps, req, access, finishPatch(deps, req, route, access, patched as StoredObject, current), output), output);
}

function finishPatch(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, patched: StoredObject, current: StoredObject): StoredObject {
  checkTypeMeta(patched, access);
  if (patched.metadata.name !== route.name) throw errors.badRequest(`the name of the object (${patched.metadata.name ?? ""}) does not match the name on the URL (${route.name})`);
  checkNamespace(patched, route, access);
  patched.metadata.resourceVersion ||= current.metadata.resourceVersion;
  return commitUpdate(deps, req, route, access, patched, current);
}
