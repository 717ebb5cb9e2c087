import { type IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { type WebSocket, WebSocketServer } from "ws";
import { openContainer } from "../../kubia/shell/container";
import { ExecStartError, type ExecSession, startExec } from "../../kubia/shell/session";
import { NODE_DOWN_ANNOTATION } from "../../kubia/network";
import { errors } from "../../store/errors";
import type { ApiDeps } from "../deps";
import { type ApiRequest, writeError, writeJson } from "../http";

/**
 * `pods/{name}/exec`: what kube-apiserver and the kubelet do for `kubectl exec`.
 *
 * The API server first checks the pod (404), the container (400), that the pod has a node (400),
 * and that the request is an upgrade (400 "Upgrade request required"). A WebSocket request
 * offering `v5.channel.k8s.io` is then upgraded by the API server itself, which reaches the kubelet
 * behind it (TranslateStreamCloseWebsocketRequests): kubelet failures arrive as a Status on the
 * error channel. When the node declares `ExtendWebSocketsToKubelet` (a 1.36 kubelet publishes it in
 * status.declaredFeatures; the embedded nodes do not), and for every other upgrade (SPDY, v4), the
 * request is proxied to the kubelet, whose failures are plain HTTP answers.
 * kubectl 1.36 takes any refused WebSocket handshake for an upgrade failure, retries over SPDY
 * (refused the same way) and prints `error: unable to upgrade connection: <message>`. The
 * playground does not speak SPDY: an SPDY request that would succeed gets a 400 saying so.
 *
 * Channels (k8s.io/streaming wsstream, remotecommand v4/v5): each binary message starts with its
 * stream: 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status; NonZeroExitCode carries the exit
 * code), 4 resize; in v5, 255 + stream closes that stream (the client's end of stdin).
 */

const V5 = "v5.channel.k8s.io";
const V4 = "v4.channel.k8s.io";
/** The kubelet's streaming server speaks both; the API server's translator only v5. */
const KUBELET_PROTOCOLS = [V5, V4];
const EXTEND_WEBSOCKETS_TO_KUBELET = "ExtendWebSocketsToKubelet";
/** The API server's dialer to kubelets gives up after 30 s. */
const KUBELET_DIAL_TIMEOUT_MS = 30_000;
const DEFAULT_KUBELET_PORT = 10250;

enum Stream {
  Stdin = 0,
  Stdout = 1,
  Stderr = 2,
  Error = 3,
  Resize = 4,
  Close = 255,
}

export interface ExecTarget {
  namespace: string;
  name: string;
}

/** `/api/v1/namespaces/{namespace}/pods/{name}/exec`, the only path exec is served on. */
export function execTargetOf(pathname: string): ExecTarget | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/.exec(pathname);
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}

/** PodExecOptions from the query, as the parameter codec converts it. */
export interface ExecParams {
  command: string[];
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** strconv.ParseBool, which the query parameter conversion uses. */
function boolOf(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return false;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
}

export function execParams(query: URLSearchParams): ExecParams {
  return {
    command: query.getAll("command"),
    container: query.get("container") ?? "",
    stdin: boolOf(query, "stdin"),
    stdout: boolOf(query, "stdout"),
    stderr: boolOf(query, "stderr"),
    tty: boolOf(query, "tty"),
  };
}

interface Location {
  pod: V1Pod;
  container: string;
  node: V1Node;
  /** Where the API server reaches the kubelet (InternalIP, as kubeadm's --kubelet-preferred-address-types). */
  kubeletHost: string;
  kubeletPort: number;
}

/** validateContainer (registry/core/pod/strategy.go). */
function containerOf(pod: V1Pod, requested: string): string {
  const name = pod.metadata?.name;
  if (!requested) {
    const containers = pod.spec?.containers ?? [];
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    const all = [...(pod.spec?.initContainers ?? []), ...containers, ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
    throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(" ")}]`);
  }
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** streamLocation: the pod, its container, and its node's kubelet; every failure is a Status before any upgrade. */
function execLocation(deps: ApiDeps, target: ExecTarget, params: ExecParams): Location {
  const pod = deps.ctx.store.get("pods", target.namespace, target.name) as unknown as V1Pod;
  const container = containerOf(pod, params.container);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw errors.badRequest(`pod ${target.name} does not have a host assigned`);
  const node = deps.ctx.store.get("nodes", undefined, nodeName) as unknown as V1Node;
  const addresses = node.status?.addresses ?? [];
  const address = ["InternalIP", "ExternalIP", "Hostname"].map((type) => addresses.find((a) => a.type === type)?.address).find(Boolean);
  if (!address) throw errors.internal(`node ${nodeName} has no known addresses`);
  return { pod, container, node, kubeletHost: address, kubeletPort: node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT };
}

/** The URL the API server dials on the kubelet: keys sorted as url.Values.Encode does. */
function kubeletUrl(location: Location, params: ExecParams): string {
  const query: [string, string][] = params.command.map((c) => ["command", c]);
  if (params.stderr) query.push(["error", "1"]);
  if (params.stdin) query.push(["input", "1"]);
  if (params.stdout) query.push(["output", "1"]);
  if (params.tty) query.push(["tty", "1"]);
  const encoded = query.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%20/g, "+").replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`).join("&");
  const { pod } = location;
  return `https://${location.kubeletHost}:${location.kubeletPort}/exec/${pod.metadata?.namespace}/${pod.metadata?.name}/${location.container}?${encoded}`;
}

function nodeIsDown(node: V1Node): boolean {
  return node.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true";
}

/** The kubelet can only exec in a container its runtime runs (findContainer looks at running containers). */
function containerRunning(pod: V1Pod, container: string): boolean {
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === container);
  return !!status?.state?.running;
}

function declaresKubeletWebSockets(node: V1Node): boolean {
  const declared = (node.status as { declaredFeatures?: string[] } | undefined)?.declaredFeatures ?? [];
  return declared.includes(EXTEND_WEBSOCKETS_TO_KUBELET);
}

/** What the kubelet refuses before streaming starts: its message, and whether it is the dial that failed. */
type KubeletRefusal = { kind: "dial"; message: string } | { kind: "kubelet"; message: string };

/**
 * Reaches the kubelet as the API server would: a node that is down drops the connection attempt
 * until the dial timeout; then the kubelet's own checks. Undefined when the exec can start.
 */
async function reachKubelet(deps: ApiDeps, location: Location, params: ExecParams, gone: AbortSignal): Promise<KubeletRefusal | undefined> {
  const node = deps.ctx.store.tryGet("nodes", undefined, location.node.metadata!.name!) as unknown as V1Node | undefined;
  if (!node || nodeIsDown(node)) {
    await new Promise<void>((resolve) => {
      const timer = deps.ctx.clock.setTimeout(resolve, KUBELET_DIAL_TIMEOUT_MS);
      gone.addEventListener("abort", () => (deps.ctx.clock.clearTimeout(timer), resolve()), { once: true });
    });
    return { kind: "dial", message: `dial tcp ${location.kubeletHost}:${location.kubeletPort}: i/o timeout` };
  }
  if (!params.stdin && !params.stdout && !params.stderr) return { kind: "kubelet", message: "you must specify at least 1 of stdin, stdout, stderr" };
  const pod = deps.ctx.store.tryGet("pods", location.pod.metadata?.namespace, location.pod.metadata!.name!) as unknown as V1Pod | undefined;
  if (!pod || pod.metadata?.uid !== location.pod.metadata?.uid) return { kind: "kubelet", message: "pod does not exist" };
  if (!containerRunning(pod, location.container)) return { kind: "kubelet", message: `container not found ("${location.container}")` };
  return undefined;
}

// ---- Status objects on the error channel (what wsstream's writeStatus marshals) ----

function successStatus(): object {
  return { metadata: {}, status: "Success" };
}

function exitCodeStatus(code: number): object {
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  };
}

/** apierrors.NewInternalError(err). */
function internalErrorStatus(message: string): object {
  return { metadata: {}, status: "Failure", message: `Internal error occurred: ${message}`, reason: "InternalError", details: { causes: [{ message }] }, code: 500 };
}

// ---- HTTP answers on an upgrade request's raw socket ----

/** A ServerResponse on the socket of an upgrade request, so the usual writers answer it; the connection closes after. */
function responseOn(req: IncomingMessage, socket: Duplex): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on("finish", () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  return res;
}

/** The kubelet's streaming.WriteError: the error text as the body, status 500. */
function writeKubeletError(res: ServerResponse, message: string): void {
  res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(message) });
  res.end(message);
}

/** The API server's proxy failing to dial the kubelet: a Status without a reason, code 500. */
function writeDialError(res: ServerResponse, message: string): void {
  writeJson(res, 500, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `error dialing backend: ${message}`, code: 500 });
}

function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

function upgradeOf(req: IncomingMessage): string {
  return String(req.headers.upgrade ?? "").toLowerCase();
}

function checkMethod(method: string | undefined): void {
  if (method !== "GET" && method !== "POST") throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
}

/** A plain (not upgraded) request to pods/exec: the checks, then 400 as the upgrade-aware proxy answers. */
export async function handleExecRequest(deps: ApiDeps, req: ApiRequest, target: ExecTarget): Promise<void> {
  checkMethod(req.method);
  execLocation(deps, target, execParams(req.query));
  throw errors.badRequest("Upgrade request required");
}

const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });

/**
 * The server's 'upgrade' event. pods/exec is served here; any other upgrade request is answered as
 * a plain request by `serveAsRequest` (the server's request handler) on the same socket.
 */
export function handleUpgrade(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, serveAsRequest: (req: IncomingMessage, res: ServerResponse) => void): void {
  socket.on("error", () => socket.destroy());
  // Upgraded and upgrading connections are not the HTTP server's to close: stopping the server drops them.
  const drop = () => socket.destroy();
  deps.streams.add(drop);
  socket.once("close", () => deps.streams.delete(drop));
  const url = new URL(req.url ?? "/", "http://localhost");
  const target = execTargetOf(url.pathname);
  if (!target) return serveAsRequest(req, responseOn(req, socket));
  const fail = (err: unknown) => writeError(responseOn(req, socket), err);
  let location: Location;
  let params: ExecParams;
  try {
    checkMethod(req.method);
    params = execParams(url.searchParams);
    location = execLocation(deps, target, params);
  } catch (err) {
    return fail(err);
  }
  const websocket = upgradeOf(req) === "websocket";
  const translated = websocket && offeredProtocols(req).includes(V5) && !declaresKubeletWebSockets(location.node);
  const serve = translated ? translateAtApiServer(deps, req, socket, head, location, params) : proxyToKubelet(deps, req, socket, head, location, params, websocket);
  serve.catch(fail);
}

/** A signal that fires when the client goes away (kubectl killed, Ctrl-C before the upgrade). */
function goneSignal(socket: Duplex): AbortSignal {
  const gone = new AbortController();
  socket.once("close", () => gone.abort());
  return gone.signal;
}

/** Upgrade-aware proxying to the kubelet: its refusals are HTTP answers; then the kubelet upgrades. */
async function proxyToKubelet(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, location: Location, params: ExecParams, websocket: boolean): Promise<void> {
  const refusal = await reachKubelet(deps, location, params, goneSignal(socket));
  if (socket.destroyed) return;
  if (refusal?.kind === "dial") return writeDialError(responseOn(req, socket), refusal.message);
  if (refusal) return writeKubeletError(responseOn(req, socket), refusal.message);
  if (!websocket) {
    // SPDY/3.1 (kubectl before 1.30, or its fallback) is not implemented by the playground.
    throw errors.badRequest("the playground's embedded cluster serves exec over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) only, not SPDY: use kubectl 1.30 or newer, without KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false");
  }
  const protocol = offeredProtocols(req).find((p) => KUBELET_PROTOCOLS.includes(p));
  if (!protocol) {
    socket.end(`HTTP/1.1 403 Forbidden\r\n\r\nrequested protocol(s) are not supported: [${offeredProtocols(req).join(" ")}]; supports [${KUBELET_PROTOCOLS.join(" ")}]`);
    return;
  }
  sockets.handleUpgrade(req, socket, head, (ws) => {
    openChannels(ws, params);
    afterUpgrade(ws, () => startSession(deps, ws, location, params, protocol === V5));
  });
}

/** Once upgraded, a failure can only be reported on the error channel. */
function afterUpgrade(ws: WebSocket, run: () => void): void {
  try {
    run();
  } catch (err) {
    if (process.env.PLAYGROUND_DEBUG) console.error("[exec] failed after the upgrade:", err);
    finish(ws, internalErrorStatus(err instanceof Error ? err.message : String(err)));
  }
}

/** The API server's stream translator: upgrade at once, then reach the kubelet; its refusals are Statuses on the error channel. */
async function translateAtApiServer(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, location: Location, params: ExecParams): Promise<void> {
  // ws answers a malformed handshake itself and never calls back: the socket closing ends the wait.
  const ws = await new Promise<WebSocket | undefined>((resolve) => {
    socket.once("close", () => resolve(undefined));
    sockets.handleUpgrade(req, socket, head, resolve);
  });
  if (!ws) return;
  openChannels(ws, params);
  const closed = new AbortController();
  ws.on("close", () => closed.abort());
  const refusal = await reachKubelet(deps, location, params, closed.signal).catch((err: unknown) => ({ kind: "kubelet" as const, message: String(err) }));
  if (closed.signal.aborted) return;
  if (refusal?.kind === "dial") return finish(ws, internalErrorStatus(`error sending request: Post "${kubeletUrl(location, params)}": ${refusal.message}`));
  if (refusal) return finish(ws, internalErrorStatus(`unable to upgrade connection: ${refusal.message}`));
  afterUpgrade(ws, () => startSession(deps, ws, location, params, true));
}

/** wsstream's first write: an empty frame on stdout (else stderr, else the error stream) tells the client the streams are up. */
function openChannels(ws: WebSocket, params: ExecParams): void {
  ws.on("error", () => ws.terminate());
  ws.send(Buffer.from([params.stdout ? Stream.Stdout : params.stderr ? Stream.Stderr : Stream.Error]));
}

/** Writes the final Status on the error channel and closes the connection normally (clients read EOF on every stream). */
function finish(ws: WebSocket, status: object): void {
  if (ws.readyState !== 1) return;
  ws.send(Buffer.concat([Buffer.from([Stream.Error]), Buffer.from(JSON.stringify(status))]));
  ws.close(1000);
}

function frame(stream: Stream, text: string): Buffer {
  return Buffer.concat([Buffer.from([stream]), Buffer.from(text, "utf8")]);
}

/** Runs the process: channels in, channels out, the exit code as the final Status; the container going away kills it. */
function startSession(deps: ApiDeps, ws: WebSocket, location: Location, params: ExecParams, streamClose: boolean): void {
  const { ctx } = deps;
  let frozen = false;
  const send = (stream: Stream) => (text: string) => {
    if (!frozen && ws.readyState === 1) ws.send(frame(stream, text));
  };
  let session: ExecSession;
  try {
    const container = openContainer(ctx, location.pod, location.container);
    session = startExec(container, { argv: params.command, tty: params.tty, stdin: params.stdin }, { stdout: params.stdout ? send(Stream.Stdout) : () => undefined, stderr: params.stderr ? send(Stream.Stderr) : () => undefined });
  } catch (err) {
    if (!(err instanceof ExecStartError)) throw err;
    // containerd's Internal error (its ServeExec's NewInternalError), wrapped once more by the
    // translator that read it over SPDY: kubectl prints "Internal error occurred: " twice.
    return finish(ws, internalErrorStatus(`Internal error occurred: ${err.runtimeMessage()}`));
  }
  ws.on("message", (data: Buffer) => {
    if (frozen || data.length === 0) return;
    const stream = data[0];
    if (stream === Stream.Stdin && params.stdin) session.input(data.subarray(1));
    else if (stream === Stream.Resize) resize(session, data.subarray(1));
    else if (stream === Stream.Close && streamClose && data[1] === Stream.Stdin) session.endInput();
  });
  const stopWatching = watchContainer(deps, location, {
    gone: () => session.kill(),
    nodeDown: () => (frozen = true),
  });
  const close = () => {
    stopWatching();
    deps.streams.delete(close);
    session.kill();
    ws.terminate();
  };
  deps.streams.add(close);
  ws.on("close", () => {
    stopWatching();
    deps.streams.delete(close);
    session.kill();
  });
  session.exited
    .then((code) => {
      stopWatching();
      deps.streams.delete(close);
      // A process on a dead node never reports back: the stream just hangs, as on a real cluster.
      if (!frozen) finish(ws, code === 0 ? successStatus() : exitCodeStatus(code));
    })
    .catch((err) => {
      if (process.env.PLAYGROUND_DEBUG) console.error("[exec] session failed:", err);
      finish(ws, internalErrorStatus(err instanceof Error ? err.message : String(err)));
    });
}

/** remotecommand.TerminalSize as JSON: {"Width":80,"Height":24}; several may arrive in one message. */
function resize(session: ExecSession, data: Buffer): void {
  for (const piece of data.toString("utf8").split(/(?<=\})/)) {
    try {
      const size = JSON.parse(piece) as { Width?: number; Height?: number };
      if (size.Width && size.Height) session.resize(size.Width, size.Height);
    } catch {
      // A partial or malformed size is ignored, as the kubelet's decoder stops at it.
    }
  }
}

/**
 * The exec'd process lives in the container: deleting the pod, or the container stopping or being
 * replaced, kills it. A node going down cuts the stream without an answer.
 */
function watchContainer(deps: ApiDeps, location: Location, on: { gone(): void; nodeDown(): void }): () => void {
  const { store } = deps.ctx;
  const namespace = location.pod.metadata?.namespace;
  const name = location.pod.metadata!.name!;
  const uid = location.pod.metadata?.uid;
  const containerId = (pod: V1Pod) => pod.status?.containerStatuses?.find((s) => s.name === location.container)?.containerID;
  const startedIn = containerId(location.pod);
  const unwatchPod = store.watch("pods", { namespace, fieldSelector: `metadata.name=${name}` }, (type, obj) => {
    const pod = obj as unknown as V1Pod;
    if (type === "DELETED" || pod.metadata?.uid !== uid || !containerRunning(pod, location.container) || containerId(pod) !== startedIn) on.gone();
  });
  const nodeName = location.node.metadata!.name!;
  const unwatchNode = store.watch("nodes", { fieldSelector: `metadata.name=${nodeName}` }, (type, obj) => {
    if (type === "DELETED" || nodeIsDown(obj as unknown as V1Node)) on.nodeDown();
  });
  return () => {
    unwatchPod();
    unwatchNode();
  };
}
