import { type IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { type WebSocket, WebSocketServer } from "ws";
import { ExecStartError, type ExecSession } from "../../node/runtime";
import { NODE_DOWN_ANNOTATION } from "../../node/network";
import { errors } from "../../store/errors";
import type { ApiDeps } from "../deps";
import { type ApiRequest, writeError, writeJson } from "../http";
import { boolOf, exitCodeStatus, finish, frame, internalErrorStatus, offeredProtocols, openChannels, resize, responseOn, Stream, successStatus, upgradeOf, V4, V5 } from "./channels";

/**
 * `pods/{name}/exec` and `pods/{name}/attach`: what kube-apiserver and the kubelet do for `kubectl exec`, `attach` and `run -i`.
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
 * The stream channels are channels.ts's.
 */

/** The kubelet's streaming server speaks both; the API server's translator only v5. */
const KUBELET_PROTOCOLS = [V5, V4];
const EXTEND_WEBSOCKETS_TO_KUBELET = "ExtendWebSocketsToKubelet";
/** The API server's dialer to kubelets gives up after 30 s. */
const KUBELET_DIAL_TIMEOUT_MS = 30_000;
const DEFAULT_KUBELET_PORT = 10250;

export interface ExecTarget {
  namespace: string;
  name: string;
  /** pods/exec starts a process; pods/attach joins the container's main process. */
  kind: "exec" | "attach";
}

/** `/api/v1/namespaces/{namespace}/pods/{name}/exec`, the only path exec is served on. */
export function execTargetOf(pathname: string): ExecTarget | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)\/?$/.exec(pathname);
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]), kind: m[3] as ExecTarget["kind"] };
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
  kind: ExecTarget["kind"];
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
  return { kind: target.kind, pod, container, ...kubeletOf(deps, pod) };
}

/** The pod's node and where the API server reaches its kubelet; no node is the API server's 400. */
export function kubeletOf(deps: ApiDeps, pod: V1Pod): { node: V1Node; kubeletHost: string; kubeletPort: number } {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw errors.badRequest(`pod ${pod.metadata?.name} does not have a host assigned`);
  const node = deps.ctx.store.get("nodes", undefined, nodeName) as unknown as V1Node;
  const addresses = node.status?.addresses ?? [];
  const address = ["InternalIP", "ExternalIP", "Hostname"].map((type) => addresses.find((a) => a.type === type)?.address).find(Boolean);
  if (!address) throw errors.internal(`node ${nodeName} has no known addresses`);
  return { node, kubeletHost: address, kubeletPort: node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT };
}

/** The URL the API server dials on the kubelet: keys sorted as url.Values.Encode does. */
function kubeletUrl(location: Location, params: ExecParams): string {
  const query: [string, string][] = location.kind === "exec" ? params.command.map((c) => ["command", c]) : [];
  if (params.stderr) query.push(["error", "1"]);
  if (params.stdin) query.push(["input", "1"]);
  if (params.stdout) query.push(["output", "1"]);
  if (params.tty) query.push(["tty", "1"]);
  const encoded = query.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%20/g, "+").replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`).join("&");
  const { pod } = location;
  return `https://${location.kubeletHost}:${location.kubeletPort}/${location.kind}/${pod.metadata?.namespace}/${pod.metadata?.name}/${location.container}?${encoded}`;
}

export function nodeIsDown(node: V1Node): boolean {
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

/**
 * The API server's dial to the pod's kubelet: a node that is down (or gone) drops it until the dial
 * timeout, on the cluster clock; the client going away stops the wait. Go's error text, or undefined.
 */
export async function dialKubelet(deps: ApiDeps, location: { node: V1Node; kubeletHost: string; kubeletPort: number }, gone: AbortSignal): Promise<string | undefined> {
  const node = deps.ctx.store.tryGet("nodes", undefined, location.node.metadata!.name!) as unknown as V1Node | undefined;
  if (node && !nodeIsDown(node)) return undefined;
  await new Promise<void>((resolve) => {
    const timer = deps.ctx.clock.setTimeout(resolve, KUBELET_DIAL_TIMEOUT_MS);
    gone.addEventListener("abort", () => (deps.ctx.clock.clearTimeout(timer), resolve()), { once: true });
  });
  return `dial tcp ${location.kubeletHost}:${location.kubeletPort}: i/o timeout`;
}

/** What the kubelet refuses before streaming starts: its message, and whether it is the dial that failed. */
type KubeletRefusal = { kind: "dial"; message: string } | { kind: "kubelet"; message: string };

/**
 * Reaches the kubelet as the API server would: a node that is down drops the connection attempt
 * until the dial timeout; then the kubelet's own checks. Undefined when the exec can start.
 */
async function reachKubelet(deps: ApiDeps, location: Location, params: ExecParams, gone: AbortSignal): Promise<KubeletRefusal | undefined> {
  const dialFailure = await dialKubelet(deps, location, gone);
  if (dialFailure) return { kind: "dial", message: dialFailure };
  if (!params.stdin && !params.stdout && !params.stderr) return { kind: "kubelet", message: "you must specify at least 1 of stdin, stdout, stderr" };
  const pod = deps.ctx.store.tryGet("pods", location.pod.metadata?.namespace, location.pod.metadata!.name!) as unknown as V1Pod | undefined;
  if (!pod || pod.metadata?.uid !== location.pod.metadata?.uid) return { kind: "kubelet", message: "pod does not exist" };
  if (!containerRunning(pod, location.container)) return { kind: "kubelet", message: `container not found ("${location.container}")` };
  return undefined;
}

/** The kubelet's streaming.WriteError: the error text as the body, status 500 (or the status its handler chose). */
export function writeKubeletError(res: ServerResponse, message: string, status = 500): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(message) });
  res.end(message);
}

/** The API server's proxy failing to dial the kubelet: a Status without a reason, code 500. */
export function writeDialError(res: ServerResponse, message: string): void {
  writeJson(res, 500, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `error dialing backend: ${message}`, code: 500 });
}

export function checkMethod(method: string | undefined): void {
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
 * The server's 'upgrade' event (after trackUpgrade). pods/exec and pods/attach are served here; any
 * other upgrade request but pods/portforward (portforward.ts) is answered as a plain request by `serveAsRequest` (the server's request handler) on the same socket.
 */
export function handleUpgrade(deps: ApiDeps, req: IncomingMessage, socket: Duplex, head: Buffer, serveAsRequest: (req: IncomingMessage, res: ServerResponse) => void): void {
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
export function goneSignal(socket: Duplex): AbortSignal {
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

/** Runs the process: channels in, channels out, the exit code as the final Status; the container going away kills it. */
function startSession(deps: ApiDeps, ws: WebSocket, location: Location, params: ExecParams, streamClose: boolean): void {
  let frozen = false;
  const send = (stream: Stream) => (text: string) => {
    if (!frozen && ws.readyState === 1) ws.send(frame(stream, text));
  };
  let session: ExecSession;
  try {
    const sink = { stdout: params.stdout ? send(Stream.Stdout) : () => undefined, stderr: params.stderr ? send(Stream.Stderr) : () => undefined };
    session =
      location.kind === "attach"
        ? deps.node.attach(location.pod, location.container, { stdin: params.stdin }, sink)
        : deps.node.exec(location.pod, location.container, { argv: params.command, tty: params.tty, stdin: params.stdin }, sink);
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
      // The kubelet's attach reports no exit code (kubectl run reads it from the pod's status).
      if (!frozen) finish(ws, code === 0 || location.kind === "attach" ? successStatus() : exitCodeStatus(code));
    })
    .catch((err) => {
      if (process.env.PLAYGROUND_DEBUG) console.error("[exec] session failed:", err);
      finish(ws, internalErrorStatus(err instanceof Error ? err.message : String(err)));
    });
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
