import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { createWebSocketStream, type WebSocket, WebSocketServer } from "ws";
import { realClock } from "../../clock";
import { errors } from "../../store/errors";
import type { ApiDeps } from "../deps";
import { type ApiRequest, writeError } from "../http";
import { offeredProtocols, responseOn, upgradeOf } from "./channels";
import { checkMethod, dialKubelet, goneSignal, kubeletOf, nodeIsDown, writeDialError, writeKubeletError } from "./exec";
import { servePortForward } from "./portforwardStreams";
import { serveWebSocketPortForward, websocketPorts, websocketProtocol } from "./portforwardWebSocket";

/**
 * `pods/{name}/portforward`: what kube-apiserver, the kubelet and the CRI runtime's streaming server
 * do for `kubectl port-forward`.
 *
 * kubectl 1.30+ first asks for a WebSocket offering `SPDY/3.1+portforward.k8s.io`: the API server
 * (StreamTunnel, apiserver/pkg/util/proxy/streamtunnel.go) makes the SPDY/3.1 upgrade to the kubelet
 * itself and, once the kubelet answers 101, upgrades the WebSocket and carries the SPDY session's
 * bytes in binary messages; a refusal by the kubelet is passed back as it is, which kubectl takes
 * for an upgrade failure and retries as a plain SPDY/3.1 upgrade (what kubectl before 1.30, and
 * `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`, use), refused the same way: kubectl prints
 * `error: error upgrading connection: unable to upgrade connection: <body>`. Both carry the same
 * SPDY session (portforwardStreams.ts). A WebSocket without the tunnelling protocol goes to the
 * kubelet's own WebSocket port forwarding (portforwardWebSocket.ts). The API server's own checks come
 * first as Statuses (404 no pod, 400 no node); a node that is down makes the dial to its kubelet
 * time out (30 s, cluster time).
 */

const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
const TUNNELING_PREFIX = "SPDY/3.1+";
const TUNNELED_PORT_FORWARD = `${TUNNELING_PREFIX}${PORT_FORWARD_PROTOCOL}`;

export interface PortForwardTarget {
  namespace: string;
  name: string;
}

export function portForwardTargetOf(pathname: string): PortForwardTarget | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward\/?$/.exec(pathname);
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}

interface Location {
  pod: V1Pod;
  node: V1Node;
  kubeletHost: string;
  kubeletPort: number;
}

/** PortForwardLocation: the pod (404) and its node (400 without one). */
function locate(deps: ApiDeps, target: PortForwardTarget): Location {
  const pod = deps.ctx.store.get("pods", target.namespace, target.name) as unknown as V1Pod;
  return { pod, ...kubeletOf(deps, pod) };
}

/** A plain (not upgraded) request: the checks, then the upgrade-aware proxy's 400. */
export async function handlePortForwardRequest(deps: ApiDeps, req: ApiRequest, target: PortForwardTarget): Promise<void> {
  checkMethod(req.method);
  locate(deps, target);
  throw errors.badRequest("Upgrade request required");
}

/**
 * `SPDY/3.1+portforward.k8s.io` is not an RFC 6455 token ('/' is a separator), so `ws` refuses the
 * handshake ("Invalid Sec-WebSocket-Protocol header") where gorilla/websocket, the API server's,
 * accepts it. The request offers a stand-in token instead, and the answer names the real protocol.
 */
const PROTOCOL_STAND_IN = "playground-spdy-tunnel";

const tunnels = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: 2 * 1024 * 1024,
  handleProtocols: (protocols) => (protocols.has(PROTOCOL_STAND_IN) ? PROTOCOL_STAND_IN : false),
});
tunnels.on("headers", (headers: string[]) => {
  const at = headers.indexOf(`Sec-WebSocket-Protocol: ${PROTOCOL_STAND_IN}`);
  if (at >= 0) headers[at] = `Sec-WebSocket-Protocol: ${TUNNELED_PORT_FORWARD}`;
});

/** Comma-separated header values, as httpstream's commaSeparatedHeaderValues reads them. */
function headerValues(value: string | string[] | undefined): string[] {
  return [value ?? []].flat().flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

/** The WebSocket subprotocols that tunnel SPDY (`SPDY/3.1+<protocol>.k8s.io`), as the SPDY protocols they carry. */
function tunneledProtocols(req: IncomingMessage): string[] {
  return headerValues(req.headers["sec-websocket-protocol"])
    .filter((p) => p.startsWith(TUNNELING_PREFIX) && p.endsWith(".k8s.io"))
    .map((p) => p.slice(TUNNELING_PREFIX.length));
}

/** net/http's http.Error, as the kubelet's handshake answers. */
function httpError(res: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** The server's 'upgrade' event for a pods/portforward path. */
export function upgradePortForward(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, target: PortForwardTarget): void {
  const fail = (err: unknown) => writeError(responseOn(req, socket), err);
  let location: Location;
  try {
    checkMethod(req.method);
    location = locate(deps, target);
  } catch (err) {
    return fail(err);
  }
  const websocket = upgradeOf(req) === "websocket";
  const protocols = websocket ? tunneledProtocols(req) : headerValues(req.headers["x-stream-protocol-version"]);
  // A WebSocket that tunnels no SPDY is proxied to the kubelet as it is, which serves its channel protocol.
  const serve = websocket && protocols.length === 0 ? channelsAtKubelet(deps, req, socket, head, location) : upgradeAtKubelet(deps, req, socket, head, location, protocols, websocket);
  serve.catch(fail);
}

/** The kubelet's WebSocket port forwarding (portforwardWebSocket.ts): its options, checks and handshake, then one connection per port. */
async function channelsAtKubelet(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, location: Location): Promise<void> {
  const ports = websocketPorts(new URL(req.url ?? "/", "http://localhost").searchParams);
  const refusal = await reachKubelet(deps, location, goneSignal(socket), typeof ports === "string" ? ports : undefined);
  if (socket.destroyed) return;
  const res = () => responseOn(req, socket);
  if (refusal?.kind === "dial") return writeDialError(res(), refusal.message);
  if (refusal) return writeKubeletError(res(), refusal.message, refusal.status);
  if (typeof ports === "string") return; // reachKubelet refused it
  if (websocketProtocol(offeredProtocols(req)) === undefined) {
    socket.end(`HTTP/1.1 403 Forbidden\r\n\r\nrequested protocol(s) are not supported: [${offeredProtocols(req).join(" ")}]; supports [ v4.channel.k8s.io v4.base64.channel.k8s.io]`);
    return;
  }
  let frozen = false;
  const ws = await serveWebSocketPortForward(req, socket, head, { pod: location.pod, ports, portForward: (pod, port, c) => deps.node.portForward(pod, port, c), frozen: () => frozen });
  const stopWatching = ws && watchNode(deps, location.node, () => ((frozen = true), ws.pause()));
  if (stopWatching) ws.once("close", stopWatching);
}

/** The kubelet's getPortForward and the streaming server's handshake; then the session. */
async function upgradeAtKubelet(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, location: Location, protocols: string[], websocket: boolean): Promise<void> {
  const refusal = await reachKubelet(deps, location, goneSignal(socket));
  if (socket.destroyed) return;
  const res = () => responseOn(req, socket);
  if (refusal?.kind === "dial") return writeDialError(res(), refusal.message);
  if (refusal) return writeKubeletError(res(), refusal.message, refusal.status);
  if (protocols.length === 0) {
    return httpError(res(), 400, `unable to upgrade: header X-Stream-Protocol-Version does not exist in request with ${Object.keys(req.headers).length} headers`);
  }
  if (!protocols.includes(PORT_FORWARD_PROTOCOL)) {
    return httpError(res(), 403, `unable to upgrade: unable to negotiate protocol: client supports [${protocols.join(" ")}], server accepts [${PORT_FORWARD_PROTOCOL}]`);
  }
  if (!websocket && upgradeOf(req) !== "spdy/3.1") {
    return httpError(res(), 400, "unable to upgrade: missing upgrade headers in request");
  }
  const transport = websocket ? await upgradeWebSocket(req, socket, head) : upgradeSpdy(socket, head, deps.ctx.clock.now());
  if (!transport) return;
  // The pairing timeout is a protocol timer between kubectl and the kubelet: wall time, so a fast
  // cluster clock does not make a kubectl on a busy machine miss it.
  const session = servePortForward({ clock: realClock, portForward: (pod, port, c) => deps.node.portForward(pod, port, c) }, location.pod, transport);
  const stopWatching = watchNode(deps, location.node, () => session.freeze());
  session.once("close", stopWatching);
}

/** The kubelet's 101, as spdy.responseUpgrader has Go's net/http write it (header names sorted). */
function upgradeSpdy(socket: Duplex, head: Buffer, now: number): Duplex {
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nDate: ${new Date(now).toUTCString()}\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
  );
  if (head.length) socket.unshift(head);
  return socket;
}

/** The API server's side of the tunnel: the WebSocket whose binary messages carry the session's bytes. */
async function upgradeWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<Duplex | undefined> {
  // ws answers a malformed handshake itself and never calls back: the socket closing ends the wait.
  req.headers["sec-websocket-protocol"] = PROTOCOL_STAND_IN; // the handshake checked it offers TUNNELED_PORT_FORWARD
  const ws = await new Promise<WebSocket | undefined>((resolve) => {
    socket.once("close", () => resolve(undefined));
    tunnels.handleUpgrade(req, socket, head, resolve);
  });
  if (!ws) return undefined;
  ws.on("error", () => ws.terminate());
  const stream = createWebSocketStream(ws);
  stream.on("error", () => stream.destroy());
  return stream;
}

type KubeletRefusal = { kind: "dial"; message: string } | { kind: "kubelet"; message: string; status: number };

/** Pods the runtime runs: at least one container running (the kubelet's containerRuntime.GetPods). */
function runtimeRuns(pod: V1Pod): boolean {
  return !!pod.status?.containerStatuses?.some((s) => s.state?.running);
}

/** The dial to the kubelet (a node that is down drops it until the timeout), then getPortForward's checks (its options' first). */
async function reachKubelet(deps: ApiDeps, location: Location, gone: AbortSignal, optionsError?: string): Promise<KubeletRefusal | undefined> {
  const dialFailure = await dialKubelet(deps, location, gone);
  if (dialFailure) return { kind: "dial", message: dialFailure };
  if (optionsError) return { kind: "kubelet", message: optionsError, status: 400 };
  const { namespace, name, uid } = location.pod.metadata ?? {};
  const pod = deps.ctx.store.tryGet("pods", namespace, name!) as unknown as V1Pod | undefined;
  if (!pod || pod.metadata?.uid !== uid) return { kind: "kubelet", message: "pod does not exist", status: 404 };
  if (!runtimeRuns(pod)) return { kind: "kubelet", message: `pod not found ("${name}_${namespace}")`, status: 500 };
  return undefined;
}

/** A node going down mid-session: its packets are dropped, so the session just stops answering. */
function watchNode(deps: ApiDeps, node: V1Node, down: () => void): () => void {
  return deps.ctx.store.watch("nodes", { fieldSelector: `metadata.name=${node.metadata!.name!}` }, (type, obj) => {
    if (type === "DELETED" || nodeIsDown(obj as unknown as V1Node)) down();
  });
}
