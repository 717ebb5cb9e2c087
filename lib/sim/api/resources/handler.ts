import { errors } from "../../store/errors";
import { accessFor } from "../access";
import type { ApiDeps } from "../deps";
import type { ApiRequest } from "../http";
import { negotiateOutput } from "../negotiation";
import type { ResourceRoute } from "../routes";
import { handleBinding, handleEviction } from "../subresources/binding";
import { handleLog } from "../subresources/log";
import { handlePodProxy, handleServiceProxy } from "../subresources/proxy";
import { handleScale } from "../subresources/scale";
import { handleDelete, handleDeleteCollection } from "./delete";
import { handleGet, handleList } from "./read";
import { handleReview } from "./reviews";
import { isWatch, serveWatch } from "./watch";
import { handleCreate, handlePatch, handleUpdate } from "./write";

const notAllowed = () => errors.methodNotAllowed("the server does not allow this method on the requested resource");

/** Dispatches a resource request by collection/item, subresource and verb, as the API installer routes them. */
export async function handleResource(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): Promise<void> {
  const access = accessFor(route.rt);
  const { rt } = route;
  if (rt.namespaced && route.name !== undefined && route.namespace === undefined) throw errors.notFound(rt.resource, rt.group, route.name);
  if (route.subresource) return handleSubresource(deps, req, route);
  const output = negotiateOutput(req.headers.accept);
  if (!rt.verbs.includes("get")) {
    if (route.name !== undefined) throw errors.notFound(rt.resource, rt.group, route.name);
    return handleReview(req, access, output);
  }
  const watch = isWatch(req.query) || route.legacyWatch;
  if (route.name === undefined) {
    switch (req.method) {
      case "GET":
        return watch ? serveWatch(deps, req, route, access, output) : handleList(deps, req, route, access, output);
      case "POST":
        if (rt.namespaced && route.namespace === undefined) throw notAllowed();
        return handleCreate(deps, req, route, access, output);
      case "DELETE":
        if (rt.namespaced && route.namespace === undefined) throw notAllowed();
        return handleDeleteCollection(deps, req, route, access, output);
      default:
        throw notAllowed();
    }
  }
  switch (req.method) {
    case "GET":
      return watch ? serveWatch(deps, req, route, access, output) : handleGet(deps, req, route, access, output);
    case "PUT":
      return handleUpdate(deps, req, route, access, output);
    case "PATCH":
      return handlePatch(deps, req, route, access, output);
    case "DELETE":
      return handleDelete(deps, req, route, access, output);
    default:
      throw notAllowed();
  }
}

async function handleSubresource(deps: ApiDeps, req: ApiRequest, route: ResourceRoute): Promise<void> {
  const access = accessFor(route.rt);
  const sub = route.subresource!;
  if (!route.rt.subresources?.includes(sub)) throw errors.notFound(route.rt.resource, route.rt.group, route.name!);
  const key = `${access.key}/${sub}`;
  switch (key) {
    case "pods/log":
      return handleLog(deps, req, route);
    case "pods/proxy":
      return handlePodProxy(deps, req, route);
    case "services/proxy":
      return handleServiceProxy(deps, req, route);
    case "pods/binding":
      return handleBinding(deps, req, route);
    case "pods/eviction":
      return handleEviction(deps, req, route);
    case "statefulsets.apps/scale":
      return handleScale(deps, req, route, access, negotiateOutput(req.headers.accept));
  }
  if (sub !== "status" && key !== "pods/ephemeralcontainers") throw errors.notFound(route.rt.resource, route.rt.group, route.name!);
  const output = negotiateOutput(req.headers.accept);
  switch (req.method) {
    case "GET":
      return handleGet(deps, req, route, access, output);
    case "PUT":
      return handleUpdate(deps, req, route, access, output);
    case "PATCH":
      return handlePatch(deps, req, route, access, output);
    default:
      throw notAllowed();
  }
}
