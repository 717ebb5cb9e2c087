import { findResource, RESOURCES, type ResourceType } from "../store/resources";

/** Where a request path leads, as the API server's installer lays out its routes. */
export type Route =
  | { type: "version" }
  | { type: "legacyRoot" } // /api
  | { type: "groupList" } // /apis
  | { type: "group"; group: string } // /apis/apps
  | { type: "resourceList"; group: string; version: string } // /api/v1, /apis/apps/v1
  | { type: "openapiV2" }
  | { type: "openapiV3Root" }
  | { type: "openapiV3"; group: string; version: string }
  | { type: "playground"; action: string }
  | { type: "healthz" }
  | { type: "metrics" }
  | ResourceRoute
  | { type: "notFound" };

export interface ResourceRoute {
  type: "resource";
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** What follows a proxy subresource ("" for `/proxy`, "a/b" for `/proxy/a/b`). */
  rest?: string;
  /** The deprecated `/watch/` path prefix. */
  legacyWatch?: boolean;
}

export const PLAYGROUND_GROUP = "playground.k8s.io";

/** Groups that are served, in the order discovery lists them. */
export function servedGroups(): { group: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) if (r.group && !seen.has(r.group)) seen.set(r.group, r.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}

function isServedGroupVersion(group: string, version: string): boolean {
  return RESOURCES.some((r) => r.group === group && r.version === version);
}

export function parseRoute(path: string): Route {
  const segments = path.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const [first, ...rest] = segments;
  if (path === "/version" || path === "/version/") return { type: "version" };
  if (first === "healthz" || first === "livez" || first === "readyz") return { type: "healthz" };
  if (path === "/metrics") return { type: "metrics" };
  if (first === "openapi") return parseOpenApi(rest);
  if (first === "api") {
    if (rest.length === 0) return { type: "legacyRoot" };
    if (rest[0] !== "v1") return { type: "notFound" };
    return rest.length === 1 ? { type: "resourceList", group: "", version: "v1" } : parseResourcePath("", rest.slice(1), path);
  }
  if (first === "apis") {
    if (rest.length === 0) return { type: "groupList" };
    const [group, version, ...tail] = rest;
    if (group === PLAYGROUND_GROUP) {
      if (!version) return { type: "group", group };
      if (version !== "v1") return { type: "notFound" };
      return tail.length === 0 ? { type: "resourceList", group, version } : { type: "playground", action: tail.join("/") };
    }
    if (!servedGroups().some((g) => g.group === group)) return { type: "notFound" };
    if (!version) return { type: "group", group };
    if (!isServedGroupVersion(group, version)) return { type: "notFound" };
    return tail.length === 0 ? { type: "resourceList", group, version } : parseResourcePath(group, tail, path);
  }
  return { type: "notFound" };
}

function parseOpenApi(rest: string[]): Route {
  if (rest[0] === "v2" && rest.length === 1) return { type: "openapiV2" };
  if (rest[0] !== "v3") return { type: "notFound" };
  if (rest.length === 1) return { type: "openapiV3Root" };
  if (rest[1] === "api" && rest[2] === "v1" && rest.length === 3) return { type: "openapiV3", group: "", version: "v1" };
  if (rest[1] === "apis" && rest.length === 4) return { type: "openapiV3", group: rest[2], version: rest[3] };
  return { type: "notFound" };
}

/**
 * `[watch/]namespaces/{ns}/{resource}[/{name}[/{sub}[/...]]]` or `[watch/]{resource}[/{name}[/{sub}[/...]]]`.
 * `namespaces/{ns}` alone (and `/status`, `/finalize`) is the namespace object itself.
 */
function parseResourcePath(group: string, segments: string[], rawPath: string): Route {
  let segs = segments;
  let legacyWatch = false;
  if (segs[0] === "watch") {
    legacyWatch = true;
    segs = segs.slice(1);
  }
  let namespace: string | undefined;
  if (group === "" && segs[0] === "namespaces" && segs.length >= 3 && findResource("", segs[2])?.namespaced) {
    namespace = segs[1];
    segs = segs.slice(2);
  } else if (group !== "" && segs[0] === "namespaces" && segs.length >= 3) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  const [resource, name, subresource] = segs;
  const rt = findResource(group, resource);
  if (!rt || (namespace !== undefined && !rt.namespaced)) return { type: "notFound" };
  if (subresource !== undefined && !rt.subresources?.includes(subresource)) return { type: "notFound" };
  const route: ResourceRoute = { type: "resource", rt, namespace, name, subresource, legacyWatch };
  if (subresource === "proxy") route.rest = proxyRest(rawPath, resource, name);
  else if (segs.length > 3) return { type: "notFound" };
  return route;
}

/** The raw (still URL-encoded) remainder after `{resource}/{name}/proxy`, kept verbatim for the proxied request. */
function proxyRest(rawPath: string, resource: string, name: string): string {
  const raw = rawPath.split("/");
  for (let i = 2; i < raw.length; i++) {
    if (raw[i] === "proxy" && decodeURIComponent(raw[i - 1]) === name && raw[i - 2] === resource) return raw.slice(i + 1).join("/");
  }
  return "";
}
