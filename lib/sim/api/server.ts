import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SimContext } from "../context";
import { StatusError } from "../store/errors";
import type { RegistryStrategy } from "../strategies";
import { createNodeRuntime } from "../node/runtime";
import type { ApiDeps, Capabilities, NodeRuntime } from "./deps";
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from "./discovery";
import { type ApiRequest, readBody, writeError, writeJson } from "./http";
import { parseAccept, wantsAggregatedDiscovery } from "./negotiation";
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPTED, openApiV2Document, openApiV2Protobuf, openApiV3Document, openApiV3Root } from "./openapi";
import { InflightGate, limitsFromEnv, type RequestLimits } from "./limits";
import { countRequest, serveMetrics } from "./metrics";
import { handlePlayground } from "./playground";
import { handleResource } from "./resources/handler";
import { trackUpgrade } from "./subresources/channels";
import { execTargetOf, handleExecRequest, handleUpgrade } from "./subresources/exec";
import { handlePortForwardRequest, portForwardTargetOf, upgradePortForward } from "./subresources/portforward";
import { parseRoute, type Route } from "./routes";

export interface ApiServerOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  strategies: Map<string, RegistryStrategy>;
  /** The node runtime behind pods/proxy, exec and log (default: the embedded nodes' own). */
  node?: NodeRuntime;
  /** Values for the capabilities endpoint known only once everything runs (the DNS port). */
  capabilities?: () => Partial<Capabilities>;
  bookmarkIntervalMs?: number;
  /** Request bounds; by default the API server's (limits.ts), adjustable by environment. */
  limits?: Partial<RequestLimits>;
}

/** kube-apiserver's --request-timeout: a request body must arrive within a minute. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface ApiServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const notFound = () => new StatusError(404, "NotFound", "the server could not find the requested resource");
const getOnly = (method: string) => {
  if (method !== "GET" && method !== "HEAD") throw new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
};

function serveDiscovery(req: ApiRequest, legacy: boolean, serverAddress: string): void {
  if (wantsAggregatedDiscovery(req.headers.accept)) {
    req.res.setHeader("Vary", "Accept");
    writeJson(req.res, 200, aggregatedDiscovery(legacy), AGGREGATED_DISCOVERY_CONTENT_TYPE);
    return;
  }
  writeJson(req.res, 200, legacy ? apiVersions(serverAddress) : apiGroupList());
}

function serveOpenApiV2(req: ApiRequest): void {
  const accepts = parseAccept(req.headers.accept);
  const protobuf = accepts.find((a) => OPENAPI_V2_PROTOBUF_ACCEPTED.includes(a.type));
  if (protobuf) {
    const body = openApiV2Protobuf();
    req.res.writeHead(200, { "Content-Type": OPENAPI_V2_PROTOBUF, "X-Varied-Accept": protobuf.type, Vary: "Accept", "Content-Length": body.length });
    req.res.end(body);
    return;
  }
  if (accepts.length && !accepts.some((a) => a.type === "application/json" || a.type === "*/*" || a.type === "application/*")) {
    throw new StatusError(406, "NotAcceptable", "only application/json is served for /openapi/v2");
  }
  writeJson(req.res, 200, openApiV2Document());
}

async function dispatch(deps: ApiDeps, req: ApiRequest, route: Route): Promise<void> {
  switch (route.type) {
    case "version":
      getOnly(req.method);
      return writeJson(req.res, 200, SERVER_VERSION);
    case "healthz":
      req.res.writeHead(200, { "Content-Type": "text/plain" });
      req.res.end("ok");
      return;
    case "metrics":
      getOnly(req.method);
      return serveMetrics(req.res, deps.watchGauge, deps.requestCounter);
    case "legacyRoot":
      getOnly(req.method);
      return serveDiscovery(req, true, deps.address());
    case "groupList":
      getOnly(req.method);
      return serveDiscovery(req, false, deps.address());
    case "group":
      getOnly(req.method);
      return writeJson(req.res, 200, apiGroup(route.group));
    case "resourceList":
      getOnly(req.method);
      return writeJson(req.res, 200, apiResourceList(route.group, route.version));
    case "openapiV2":
      getOnly(req.method);
      return serveOpenApiV2(req);
    case "openapiV3Root":
      getOnly(req.method);
      return writeJson(req.res, 200, openApiV3Root());
    case "openapiV3": {
      getOnly(req.method);
      const doc = openApiV3Document(route.group, route.version);
      if (!doc) throw notFound();
      if (req.query.get("hash")) req.res.setHeader("Cache-Control", "public, immutable");
      return writeJson(req.res, 200, doc);
    }
    case "playground":
      return handlePlayground(deps, req, route.action);
    case "resource":
      return handleResource(deps, req, route);
    default:
      throw notFound();
  }
}

/** Starts the embedded cluster's API server: the Kubernetes REST API over plain HTTP. */
export async function startApiServer(ctx: SimContext, opts: ApiServerOptions): Promise<ApiServer> {
  const host = opts.host ?? "127.0.0.1";
  let port = 0;
  const deps: ApiDeps = {
    ctx,
    strategies: opts.strategies,
    node: opts.node ?? createNodeRuntime(ctx),
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
    streams: new Set(),
    watchGauge: new Map(),
    gate: new InflightGate({ ...limitsFromEnv(), ...opts.limits }),
    requestCounter: new Map(),
    address: () => `${host}:${port}`,
    capabilities: () => ({ nodeFailure: true, faults: true, dnsServer: false, dnsPort: 0, speed: ctx.speed.state().speed, ...(opts.capabilities?.() ?? {}) }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      return writeError(res, new StatusError(400, "BadRequest", "malformed request URL"));
    }
    countRequest(deps.requestCounter!, req.method ?? "GET");
    if (!deps.gate.admit(req, res, url)) return;
    let body: Promise<Buffer> | undefined;
    const apiReq: ApiRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, req, res, body: () => (body ??= readBody(req)) };
    if (process.env.PLAYGROUND_DEBUG) res.on("finish", () => console.error(`[api] ${req.method} ${req.url} ${req.headers.accept ?? ""} → ${res.statusCode}`));
    // pods/exec, attach and portforward are connect subresources served outside the resource handler (see subresources/exec.ts).
    const exec = execTargetOf(url.pathname);
    const forward = portForwardTargetOf(url.pathname);
    const served = exec ? handleExecRequest(deps, apiReq, exec) : forward ? handlePortForwardRequest(deps, apiReq, forward) : dispatch(deps, apiReq, parseRoute(url.pathname));
    served.catch((err) => writeError(res, err, req.headers.accept, `${apiReq.method} ${url.pathname}`));
  });
  // A request Node cannot parse gets Go's net/http answer, then the connection closes.
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request");
    else socket.destroy();
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  // Upgrades: kubectl exec's WebSocket (or SPDY); any other upgrade request is answered as a plain request.
  server.on("upgrade", (req, socket, head) => {
    trackUpgrade(deps, socket);
    const forward = portForwardTargetOf(new URL(req.url ?? "/", "http://localhost").pathname);
    if (forward) return upgradePortForward(deps, req, socket, head, forward);
    handleUpgrade(deps, req, socket, head, (r, res) => server.emit("request", r, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    async stop() {
      for (const close of [...deps.streams]) close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
