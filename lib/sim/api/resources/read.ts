import { errors } from "../../store/errors";
import { convertFieldSelector } from "../../store/fieldLabels";
import { parseFieldSelector, parseLabelSelector } from "../../store/selectors";
import type { StoredObject } from "../../store/store";
import type { ResourceAccess } from "../access";
import type { ApiDeps } from "../deps";
import { type ApiRequest, intParam } from "../http";
import type { Output } from "../negotiation";
import { respond } from "../respond";
import type { ResourceRoute } from "../routes";
import { buildTable, tableOptions } from "../table";
import { objectKey } from "../../../k8s/keys";
import { deepCopy } from "../../store/copy";

/** One object in the negotiated form: the object, a one-row Table, or its PartialObjectMetadata. */
export function presentObject(deps: ApiDeps, req: ApiRequest, access: ResourceAccess, internal: StoredObject, output: Output): unknown {
  if (output.kind === "table") {
    const opts = tableOptions(req.query, output.groupVersion);
    return buildTable(access, [internal], opts, deps.ctx.clock.now(), { resourceVersion: internal.metadata.resourceVersion });
  }
  const external = access.toExternal(internal);
  if (output.kind === "partial") return { kind: "PartialObjectMetadata", apiVersion: output.groupVersion, metadata: external.metadata };
  return external;
}

export function handleGet(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): void {
  const obj = deps.ctx.store.get(access.key, route.namespace, route.name!);
  respond(req.res, 200, presentObject(deps, req, access, obj, output), output);
}

/** Objects matching the request's namespace and selectors, in store order (namespace/name). */
/**
 * The stored objects a list or deletecollection selects, not copies (read them, never modify them):
 * a list with `limit` copies only its page, so `kubectl get pods` (chunks of 500) or a `limit=1`
 * probe of 1,000 pods does not copy all of them.
 */
export function selectObjects(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess): { items: readonly Readonly<StoredObject>[]; resourceVersion: string } {
  const labelSelector = parseLabelSelector(req.query.get("labelSelector") ?? undefined);
  const fieldSelector = convertFieldSelector(access.rt.group, access.rt.kind, parseFieldSelector(req.query.get("fieldSelector") ?? undefined));
  const resourceVersion = String(deps.ctx.store.resourceVersion);
  return { items: deps.ctx.store.view(access.key, { namespace: route.namespace, labelSelector, fieldSelector }), resourceVersion };
}

interface ContinueToken {
  rv: string;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as ContinueToken;
    if (typeof parsed.start !== "string") throw new Error("no start key");
    return parsed;
  } catch {
    throw errors.badRequest(`continue key is not valid: ${token}`);
  }
}

/** limit/continue paging: the token carries the last key returned, pages follow store order. */
export function paginate<T extends Readonly<StoredObject>>(items: readonly T[], resourceVersion: string, query: URLSearchParams): { page: readonly T[]; meta: Record<string, unknown> } {
  const limit = intParam(query, "limit");
  const token = query.get("continue");
  let rest = items;
  let rv = resourceVersion;
  if (token) {
    const { start, rv: tokenRv } = decodeContinue(token);
    rest = items.filter((o) => objectKey(o) > start);
    rv = tokenRv ?? rv;
  }
  if (!limit || limit <= 0 || rest.length <= limit) return { page: rest, meta: { resourceVersion: rv } };
  const page = rest.slice(0, limit);
  const next = Buffer.from(JSON.stringify({ rv, start: objectKey(page[page.length - 1]) })).toString("base64url");
  return { page, meta: { resourceVersion: rv, continue: next, remainingItemCount: rest.length - limit } };
}

export function handleList(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): void {
  const { items, resourceVersion } = selectObjects(deps, req, route, access);
  const paged = paginate(items, resourceVersion, req.query);
  const meta = paged.meta;
  const page: StoredObject[] = paged.page.map((o) => deepCopy(o));
  if (output.kind === "table") {
    respond(req.res, 200, buildTable(access, page, tableOptions(req.query, output.groupVersion), deps.ctx.clock.now(), meta), output);
    return;
  }
  if (output.kind === "partial") {
    const partial = page.map((o) => ({ kind: "PartialObjectMetadata", apiVersion: output.groupVersion, metadata: o.metadata }));
    respond(req.res, 200, { kind: "PartialObjectMetadataList", apiVersion: output.groupVersion, metadata: meta, items: partial }, output);
    return;
  }
  // Items of a list carry no apiVersion/kind, as the real server encodes typed lists.
  const external = page.map((o) => {
    const item: Partial<StoredObject> = access.toExternal(o);
    delete item.apiVersion;
    delete item.kind;
    return item;
  });
  respond(req.res, 200, { kind: `${access.rt.kind}List`, apiVersion: access.apiVersion, metadata: meta, items: external }, output);
}
