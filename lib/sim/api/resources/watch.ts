import { StatusError } from "../../store/errors";
import { convertFieldSelector } from "../../store/fieldLabels";
import { type FieldSelector, parseFieldSelector, parseLabelSelector } from "../../store/selectors";
import type { StoredObject, WatchEventType } from "../../store/store";
import type { ResourceAccess } from "../access";
import type { ApiDeps } from "../deps";
import { type ApiRequest, boolParam, intParam } from "../http";
import { isProtobuf, type Output } from "../negotiation";
import { encodeWatchEvent, PROTOBUF_WATCH } from "../protobuf/codec";
import type { ResourceRoute } from "../routes";
import { trackWatch } from "../metrics";
import { buildTable, tableOptions, type TableOptions } from "../table";

/** kube-apiserver's --min-request-timeout: a watch without timeoutSeconds lasts 30–60 minutes. */
const MIN_REQUEST_TIMEOUT_S = 1800;

type EventType = WatchEventType | "BOOKMARK" | "ERROR";

export function isWatch(query: URLSearchParams): boolean {
  return boolParam(query, "watch");
}

/** The request's field selector, plus `metadata.name` for a watch on a single object's path. */
function fieldSelectorOf(req: ApiRequest, route: ResourceRoute, access: ResourceAccess): FieldSelector {
  const selector = convertFieldSelector(access.rt.group, access.rt.kind, parseFieldSelector(req.query.get("fieldSelector") ?? undefined));
  if (route.name) selector.push({ path: "metadata.name", op: "=", value: route.name });
  return selector;
}

/**
 * Serves `?watch=true` as the API server does: chunked JSON events, one per line, or protobuf
 * WatchEvent frames when asked for (`application/vnd.kubernetes.protobuf;stream=watch`). Without a
 * resourceVersion (or "0") the watch starts with ADDED events for what exists; from a version the
 * history no longer holds it is one ERROR event carrying a 410 Expired Status.
 */
export function serveWatch(deps: ApiDeps, req: ApiRequest, route: ResourceRoute, access: ResourceAccess, output: Output): void {
  const { store } = deps.ctx;
  const labelSelector = parseLabelSelector(req.query.get("labelSelector") ?? undefined);
  const fieldSelector = fieldSelectorOf(req, route, access);
  const resourceVersion = req.query.get("resourceVersion") ?? "";
  const bookmarks = boolParam(req.query, "allowWatchBookmarks");
  const sendInitialEvents = req.query.get("sendInitialEvents");
  const timeoutSeconds = intParam(req.query, "timeoutSeconds");
  const table: TableOptions | undefined = output.kind === "table" ? tableOptions(req.query, output.groupVersion) : undefined;
  const res = req.res;
  const releaseWatch = deps.gate.openWatch(req.req);

  // A Table watch is JSON only: negotiation never yields a protobuf Table.
  const protobuf = isProtobuf(output);
  const contentType = protobuf ? PROTOBUF_WATCH : "application/json";
  res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();

  let closed = false;
  let headersSent = false;
  const encode = (obj: StoredObject): unknown => {
    if (output.kind === "partial") return { kind: "PartialObjectMetadata", apiVersion: output.groupVersion, metadata: access.toExternal(obj).metadata };
    if (!table) return access.toExternal(obj);
    const t = buildTable(access, [obj], { ...table, noHeaders: headersSent }, deps.ctx.clock.now(), { resourceVersion: obj.metadata.resourceVersion });
    headersSent = true;
    return t;
  };
  const write = (type: EventType, object: unknown) => {
    if (closed) return;
    res.write(protobuf ? encodeWatchEvent(type, object as Record<string, unknown>) : JSON.stringify({ type, object }) + "\n");
    // A consumer that stopped reading cannot make the server hold its events without limit.
    if (res.writableLength > deps.gate.limits.maxWatchBacklogBytes) {
      res.destroy();
      close();
    }
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write("BOOKMARK", { kind: access.rt.kind, apiVersion: access.apiVersion, metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) } });

  const timers: { timeout?: NodeJS.Timeout; bookmarks?: NodeJS.Timeout } = {};
  let unsubscribe: () => void = () => {};
  const scope = route.name ? "resource" : route.namespace ? "namespace" : "cluster";
  const untrack = trackWatch(deps.watchGauge, { group: access.rt.group, version: access.rt.version, resource: access.rt.resource, scope });
  const close = () => {
    if (closed) return;
    closed = true;
    releaseWatch();
    untrack();
    unsubscribe();
    clearTimeout(timers.timeout);
    clearInterval(timers.bookmarks);
    deps.streams.delete(close);
    res.end();
  };
  deps.streams.add(close);
  res.on("close", close);

  const fromNow = resourceVersion === "" || resourceVersion === "0";
  const initial = sendInitialEvents === "true" || (fromNow && sendInitialEvents !== "false");
  if (initial) {
    const listed = store.list(access.key, { namespace: route.namespace, labelSelector, fieldSelector });
    for (const obj of listed.items) write("ADDED", encode(obj));
    if (sendInitialEvents === "true" && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
  }
  try {
    unsubscribe = store.watch(
      access.key,
      { namespace: route.namespace, labelSelector, fieldSelector, resourceVersion: initial ? undefined : resourceVersion },
      (type, obj) => write(type, encode(obj)),
    );
  } catch (e) {
    if (e instanceof StatusError) {
      write("ERROR", e.toStatus());
      close();
      return;
    }
    throw e;
  }

  const timeoutMs = (timeoutSeconds ?? MIN_REQUEST_TIMEOUT_S * (1 + Math.random())) * 1000;
  // setTimeout's bound (about 24.8 days): a longer timeoutSeconds is as good as forever here.
  timers.timeout = setTimeout(close, Math.min(timeoutMs, 2 ** 31 - 1));
  if (bookmarks) timers.bookmarks = setInterval(() => bookmark(), deps.bookmarkIntervalMs);
}
