import { isIPv6 } from "node:net";
import type { IntOrString, V1Container, V1EnvVar, V1ExecAction, V1HTTPGetAction, V1Pod, V1Probe } from "@kubernetes/client-node";
import type { SimContext } from "../../../context";
import { appEnvironment } from "../../../node/environment";
import { AppCrash, appForContainer, type AppResponse } from "../../../node/images/kubia";
import { listeningContainer } from "../../../node/network";
import { recordCrash } from "../../../node/proxy";
import { openContainer } from "../../../node/shell/container";
import { ExecStartError, startExec } from "../../../node/shell/session";
import { goDuration } from "../images";

/**
 * The kubelet's probe handlers (pkg/probe/{exec,http,tcp,grpc}) against the simulated pod: exec runs
 * the command in the container's userland, httpGet asks the app listening on the port, tcpSocket
 * checks that something listens, grpc finds no health service (no image here serves gRPC). Results
 * and output texts are upstream's.
 */

/** probe.Result: Warning is a success with something to say; Unknown comes with an error. */
export interface ProbeOutcome {
  result: "success" | "warning" | "failure" | "unknown";
  output: string;
  error?: string;
}

/** Where the probe goes: the pod as stored (its status has the container ID), its IP, the node's IP. */
export interface ProbeTarget {
  pod: V1Pod;
  container: V1Container;
  podIP: string;
  nodeIP?: string;
}

/** The exec and HTTP probers keep at most 10 KiB of output (maxReadLength, maxRespBodyLength). */
const MAX_OUTPUT = 10 * 1024;
/** http.Client stops after 10 redirects (the kubelet follows only those to the same host). */
const MAX_REDIRECTS = 10;
/** version.Get() of the cluster's kubelet: `kube-probe/1.36`. */
const USER_AGENT = "kube-probe/1.36";

const TIMED_OUT = Symbol("timed out");

/** Races `promise` against a cluster-clock timer (probe timeouts are cluster time). */
function withTimeout<T>(ctx: SimContext, promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let handle: unknown;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (handle = ctx.clock.setTimeout(() => resolve(TIMED_OUT), ms)));
  return Promise.race([promise, timeout]).finally(() => ctx.clock.clearTimeout(handle));
}

const success = (output = ""): ProbeOutcome => ({ result: "success", output });
const failure = (output: string): ProbeOutcome => ({ result: "failure", output });
const unknown = (error: string): ProbeOutcome => ({ result: "unknown", output: "", error });

/** probe.ResolveContainerPort: a number, a named container port, or a number written as a string. */
export function resolveContainerPort(param: IntOrString | undefined, container: V1Container): number | { error: string } {
  let port: number;
  if (typeof param === "number") port = param;
  else if (typeof param === "string") {
    const named = container.ports?.find((p) => p.name === param);
    if (named) port = named.containerPort;
    else if (/^[+-]?\d+$/.test(param)) port = Number(param);
    else return { error: `strconv.Atoi: parsing "${param}": invalid syntax` };
  } else return { error: `intOrString had no kind: ${String(param)}` };
  return port > 0 && port < 65536 ? port : { error: `invalid port number: ${port}` };
}

const joinHostPort = (host: string, port: number) => (isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`);

/** kubecontainer.ExpandContainerCommandOnlyStatic: `$(VAR)` from the container's literal env values, `$$` for `$`. */
export function expandStatic(command: string[], env: V1EnvVar[] = []): string[] {
  const vars = new Map(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  return command.map((arg) => arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name?: string) => (m === "$$" ? "$" : name && vars.has(name) ? vars.get(name)! : m)));
}

/** The pod whose IP `host` is (a probe's `host` may name another pod); the target pod itself by default. */
function podAt(ctx: SimContext, t: ProbeTarget, host: string): V1Pod | undefined {
  if (host === t.podIP) return t.pod;
  return ctx.store.view("pods").find((p) => p.status?.podIP === host && p.status?.phase === "Running") as V1Pod | undefined;
}

async function execProbe(ctx: SimContext, t: ProbeTarget, action: V1ExecAction, timeoutMs: number): Promise<ProbeOutcome> {
  const command = expandStatic(action.command ?? [], t.container.env);
  let output = "";
  const collect = (data: string) => void (output = (output + data).slice(0, MAX_OUTPUT));
  let session;
  try {
    session = startExec(openContainer(ctx, t.pod, t.container.name, { pruneVolumes: false }), { argv: command, tty: false, stdin: false }, { stdout: collect, stderr: collect });
  } catch (e) {
    if (!(e instanceof ExecStartError)) throw e;
    // ExecSync fails before the process runs: the CRI error, wrapped by gRPC.
    const desc = `failed to exec in container: failed to start exec "${e.execId}": OCI runtime exec failed: exec failed: unable to start container process: ${e.reason}: unknown`;
    return unknown(`rpc error: code = Unknown desc = ${desc}`);
  }
  const code = await withTimeout(ctx, session.exited, timeoutMs);
  if (code === TIMED_OUT) {
    session.kill();
    return failure(`command timed out: "${command.join(" ")}" timed out after ${goDuration(timeoutMs)}`);
  }
  return code === 0 ? success(output) : failure(output);
}

/** The request headers the prober sends: the probe's, then User-Agent and Accept unless given (an empty Accept drops it). */
function probeHeaders(action: V1HTTPGetAction, hostPort: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of action.httpHeaders ?? []) headers[h.name.toLowerCase()] = headers[h.name.toLowerCase()] ? `${headers[h.name.toLowerCase()]}, ${h.value}` : h.value;
  headers["user-agent"] ??= USER_AGENT;
  if (headers.accept === undefined) headers.accept = "*/*";
  else if (headers.accept === "") delete headers.accept;
  headers.host ||= hostPort;
  return headers;
}

/** One GET to the app, following same-host redirects as the kubelet's http.Client does. */
async function getFollowing(ctx: SimContext, pod: V1Pod, container: V1Container, nodeIP: string | undefined, path: string, headers: Record<string, string>): Promise<AppResponse | "tooManyRedirects"> {
  const app = appForContainer(container);
  const env = { ...appEnvironment(ctx, pod, container), ...(nodeIP ? { remoteAddress: nodeIP.includes(":") ? nodeIP : `::ffff:${nodeIP}` } : {}) };
  for (let redirects = 0; ; redirects++) {
    const [p, query = ""] = path.split("?", 2);
    const response = await app.handle({ method: "GET", path: p || "/", query, headers, body: Buffer.alloc(0) }, env);
    if (response.status < 300 || response.status >= 400 || !response.location?.startsWith("/")) return response;
    if (redirects + 1 >= MAX_REDIRECTS) return "tooManyRedirects";
    path = response.location;
  }
}

async function httpProbe(ctx: SimContext, t: ProbeTarget, action: V1HTTPGetAction, timeoutMs: number): Promise<ProbeOutcome> {
  const port = resolveContainerPort(action.port, t.container);
  if (typeof port !== "number") return unknown(port.error);
  const scheme = (action.scheme ?? "HTTP").toLowerCase();
  const host = action.host || t.podIP;
  const hostPort = joinHostPort(host, port);
  const path = action.path ?? "";
  const url = `${scheme}://${hostPort}${path && !path.startsWith("/") ? "/" : ""}${path}`;
  const pod = podAt(ctx, t, host);
  const listening = pod && listeningContainer(pod, port);
  if (!pod || !listening) return failure(`Get "${url}": dial tcp ${hostPort}: connect: connection refused`);
  if (scheme === "https") return failure(`Get "${url}": http: server gave HTTP response to HTTPS client`);
  let response;
  try {
    response = await withTimeout(ctx, getFollowing(ctx, pod, listening, t.nodeIP, path, probeHeaders(action, hostPort)), timeoutMs);
  } catch (e) {
    if (!(e instanceof AppCrash)) throw e;
    recordCrash(ctx, pod, listening, e);
    return failure(`Get "${url}": EOF`);
  }
  if (response === TIMED_OUT) return failure(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  if (response === "tooManyRedirects") return failure(`Get "${url}": stopped after ${MAX_REDIRECTS} redirects`);
  const body = response.body.slice(0, MAX_OUTPUT);
  if (response.status >= 200 && response.status < 300) return success(body);
  // A redirect to another host is not followed: logically a success, with a warning.
  if (response.status >= 300 && response.status < 400) return { result: "warning", output: `Probe terminated redirects, Response body: ${body}` };
  // Upstream keeps the body out of this message (issue 99425).
  return failure(`HTTP probe failed with statuscode: ${response.status}`);
}

function tcpProbe(ctx: SimContext, t: ProbeTarget, port: IntOrString, host: string | undefined): ProbeOutcome {
  const resolved = resolveContainerPort(port, t.container);
  if (typeof resolved !== "number") return unknown(resolved.error);
  const target = host || t.podIP;
  const pod = podAt(ctx, t, target);
  if (pod && listeningContainer(pod, resolved)) return success();
  return failure(`dial tcp ${joinHostPort(target, resolved)}: connect: connection refused`);
}

/**
 * No image of the playground serves gRPC: grpc.DialContext with WithBlock retries until the
 * probe's timeout and the prober reports that it could not connect.
 */
async function grpcProbe(ctx: SimContext, t: ProbeTarget, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  await withTimeout(ctx, new Promise<never>(() => undefined), timeoutMs);
  return failure(`timeout: failed to connect service "${joinHostPort(t.podIP, port)}" within ${goDuration(timeoutMs)}: context deadline exceeded`);
}

/** prober.runProbe: the probe's one handler, with its timeout (seconds, default 1). */
export async function runProbe(ctx: SimContext, t: ProbeTarget, probe: V1Probe): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds || 1) * 1000;
  if (probe.exec) return execProbe(ctx, t, probe.exec, timeoutMs);
  if (probe.httpGet) return httpProbe(ctx, t, probe.httpGet, timeoutMs);
  if (probe.tcpSocket) return tcpProbe(ctx, t, probe.tcpSocket.port, probe.tcpSocket.host);
  if (probe.grpc) return grpcProbe(ctx, t, probe.grpc.port, timeoutMs);
  return unknown(`missing probe handler for ${t.pod.metadata?.name}_${t.pod.metadata?.namespace}(${t.pod.metadata?.uid}):${t.container.name}`);
}
