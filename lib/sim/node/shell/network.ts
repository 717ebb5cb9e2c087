import type { V1Pod } from "@kubernetes/client-node";
import { clusterIPs } from "../../../k8s/dns";
import { endpointsOf } from "../../dns/backend";
import { StatusError } from "../../store/errors";
import { AppCrash, appForContainer } from "../images/kubia";
import { appEnvironment } from "../environment";
import { DialError, dialPod, NODE_DOWN_ANNOTATION } from "../network";
import { proxyToPod } from "../proxy";
import { FsError, resolvePath } from "./filesystem";
import { Interrupted, type Process, type Program, sleep } from "./process";

import { getaddrinfo, LINUX_CONNECT_TIMEOUT_MS, networkDown } from "./resolver";
import { nslookup } from "./lookups";

/** curl over the simulated pod network: the pods' apps, Services' cluster IPs (kube-proxy), loopback. */

/** curl's name resolution: exit code 6 when the host does not resolve. */
async function resolveHostOrFail(p: Process, host: string, signal: AbortSignal): Promise<string> {
  const ip = await getaddrinfo(p, host, signal);
  if (ip === undefined) throw new CurlError(6, `Could not resolve host: ${host}`);
  return ip;
}

/** curl's failure: its exit code and message (shown unless -s without -S). */
export class CurlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CurlOptions {
  url: string;
  method?: string;
  data?: string;
  headers: string[];
  silent: boolean;
  showError: boolean;
  include: boolean;
  head: boolean;
  fail: boolean;
  output?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
}

/** The options a flag turns on. */
type CurlSwitch = "silent" | "showError" | "include" | "head" | "fail";
const CURL_FLAGS: Record<string, CurlSwitch> = { s: "silent", S: "showError", i: "include", I: "head", f: "fail" };
const CURL_LONG_FLAGS: Record<string, CurlSwitch> = { "--silent": "silent", "--show-error": "showError", "--include": "include", "--head": "head", "--fail": "fail" };
const CURL_VALUES: Record<string, string> = {
  "-X": "method", "--request": "method", "-d": "data", "--data": "data", "--data-raw": "data", "--data-binary": "data", "--data-ascii": "data",
  "-H": "header", "--header": "header", "-m": "maxTime", "--max-time": "maxTime", "--connect-timeout": "connectTimeout", "-o": "output", "--output": "output",
};
/** Accepted and without effect here: verbose output, redirects, TLS verification. */
const CURL_IGNORED = new Set(["-v", "--verbose", "-L", "--location", "-k", "--insecure"]);

function parseCurl(args: string[]): CurlOptions {
  const o: CurlOptions = { url: "", headers: [], silent: false, showError: false, include: false, head: false, fail: false };
  const seconds = (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new CurlError(2, `option: expected a proper numerical parameter`);
    return n * 1000;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (CURL_IGNORED.has(arg)) continue;
    const long = CURL_LONG_FLAGS[arg];
    if (long) {
      o[long] = true;
      continue;
    }
    const valueKind = CURL_VALUES[arg] ?? (/^-[XdHmo]./.test(arg) ? CURL_VALUES[arg.slice(0, 2)] : undefined);
    if (valueKind) {
      const value = CURL_VALUES[arg] ? args[++i] : arg.slice(2);
      if (value === undefined) throw new CurlError(2, `option ${arg}: requires parameter`);
      if (valueKind === "method") o.method = value;
      else if (valueKind === "data") o.data = o.data === undefined ? value : `${o.data}&${value}`;
      else if (valueKind === "header") o.headers.push(value);
      else if (valueKind === "maxTime") o.maxTimeMs = seconds(value);
      else if (valueKind === "connectTimeout") o.connectTimeoutMs = seconds(value);
      else o.output = value;
      continue;
    }
    if (/^-[a-zA-Z]+$/.test(arg)) {
      for (const letter of arg.slice(1)) {
        const flag = CURL_FLAGS[letter];
        if (!flag && !CURL_IGNORED.has(`-${letter}`)) throw new CurlError(2, `option -${letter}: is unknown`);
        if (flag) o[flag] = true;
      }
      continue;
    }
    if (arg.startsWith("-")) throw new CurlError(2, `option ${arg}: is unknown`);
    o.url = arg;
  }
  if (!o.url) throw new CurlError(2, "no URL specified!");
  return o;
}

interface Target {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(raw: string): Target {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CurlError(3, `<url> malformed`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") throw new CurlError(1, `Protocol ${scheme} not supported or disabled in libcurl`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { scheme, host, port: url.port ? Number(url.port) : scheme === "https" ? 443 : 80, path: `${url.pathname}${url.search}` };
}

export function podWithIP(p: Process, ip: string): V1Pod | undefined {
  const pods = p.container.ctx.store.list("pods").items;
  const holders = pods.filter((pod) => pod.status?.podIP === ip || pod.status?.podIPs?.some((x) => x.ip === ip));
  return holders.find((pod) => pod.status?.phase === "Running") ?? holders[0];
}

/** kube-proxy: a Service's cluster IP and port lead to a ready endpoint, at random; none is a REJECT. */
function serviceBackend(p: Process, ip: string, port: number): { pod?: V1Pod; port: number } | "refused" | undefined {
  const services = p.container.ctx.store.list("services").items;
  const svc = services.find((s) => clusterIPs(s).includes(ip));
  if (!svc) return undefined;
  const servicePort = svc.spec?.ports?.find((sp) => sp.port === port);
  if (!servicePort) return undefined; // no rule for that port: the packet goes nowhere
  const backends = endpointsOf(p.container.ctx.store, svc.metadata!.namespace!, svc.metadata!.name!).flatMap((ep) => {
    const epPort = ep.ports.find((ep2) => ep2.name === (servicePort.name ?? ""));
    return epPort && epPort.port > 0 ? ep.addresses.map((a) => ({ ip: a.ip, port: epPort.port })) : [];
  });
  if (!backends.length) return "refused";
  const pick = backends[Math.floor(Math.random() * backends.length)];
  return { pod: podWithIP(p, pick.ip), port: pick.port };
}

export function isLoopback(p: Process, ip: string): boolean {
  return ip === "127.0.0.1" || ip === "::1" || ip === p.container.podIP;
}

function selfIsListening(p: Process, port: number): boolean {
  const status = p.container.pod.status?.containerStatuses?.find((s) => s.name === p.container.container.name);
  return port === appForContainer(p.container.container).port && !!status?.state?.running;
}

/** The app's answer to one request from inside the pod (loopback or the pod's own IP). */
async function askSelf(p: Process, method: string, path: string, headers: Record<string, string>, body: string): Promise<string> {
  const { ctx, pod, container } = p.container;
  try {
    const response = await appForContainer(container).handle({ method, path: path.split("?")[0], query: path.split("?")[1] ?? "", headers, body: Buffer.from(body) }, appEnvironment(ctx, pod, container));
    return method === "HEAD" ? "" : response.body;
  } catch (e) {
    if (!(e instanceof AppCrash)) throw e;
    for (const line of e.stderr) ctx.logs.append(pod.metadata?.namespace ?? "default", pod.metadata?.name ?? "", container.name, line);
    throw new CurlError(52, "Empty reply from server");
  }
}

const PROGRESS_HEADER = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";
const progressLine = (received: number, speed: number) => {
  const size = (n: number) => (n >= 100_000 ? `${Math.round(n / 1024)}k` : String(n)).padStart(5);
  return `\r${String(received ? 100 : 0).padStart(3)} ${size(received)}    0 ${size(received)}    0     0  ${size(speed)}      0 --:--:-- --:--:-- --:--:-- ${size(speed)}`;
};

/** The request curl sends: method from -X / -I / -d, its usual headers, then -H ones. */
function requestOf(o: CurlOptions, target: Target): { method: string; headers: Record<string, string> } {
  const method = o.method ?? (o.head ? "HEAD" : o.data !== undefined ? "POST" : "GET");
  const headers: Record<string, string> = { host: target.port === 80 ? target.host : `${target.host}:${target.port}`, "user-agent": "curl/7.38.0", accept: "*/*" };
  if (o.data !== undefined) {
    headers["content-length"] = String(Buffer.byteLength(o.data));
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  for (const h of o.headers) {
    const colon = h.indexOf(":");
    if (colon > 0) headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  return { method, headers };
}

type Phase = "resolve" | "connect" | "transfer";

/** curl's message when -m ends the transfer, by how far it got. */
function maxTimeError(phase: Phase, ms: number): CurlError {
  if (phase === "resolve") return new CurlError(28, `Resolving timed out after ${ms} milliseconds`);
  if (phase === "connect") return new CurlError(28, `Connection timed out after ${ms + 1} milliseconds`);
  return new CurlError(28, `Operation timed out after ${ms} milliseconds with 0 out of -1 bytes received`);
}

/** Connects through the pod network (or loopback) and lets the app answer; the body it sent. */
async function exchange(p: Process, o: CurlOptions, target: Target, ip: string, signal: AbortSignal, setPhase: (phase: Phase) => void): Promise<string> {
  const { method, headers } = requestOf(o, target);
  const failedConnect = (reason: string) => new CurlError(7, `Failed to connect to ${target.host} port ${target.port}: ${reason}`);
  const tls = () => new CurlError(35, "error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol");
  setPhase("connect");
  if (isLoopback(p, ip)) {
    if (!selfIsListening(p, target.port)) throw failedConnect("Connection refused");
    if (target.scheme === "https") throw tls();
    setPhase("transfer");
    return askSelf(p, method, target.path, headers, o.data ?? "");
  }
  const backend = serviceBackend(p, ip, target.port);
  if (backend === "refused") throw failedConnect("Connection refused");
  const pod = backend ? backend.pod : podWithIP(p, ip);
  const port = backend ? backend.port : target.port;
  const connectTimeoutMs = Math.min(o.connectTimeoutMs ?? LINUX_CONNECT_TIMEOUT_MS, LINUX_CONNECT_TIMEOUT_MS);
  const timedOut = () => (connectTimeoutMs < LINUX_CONNECT_TIMEOUT_MS ? new CurlError(28, `Connection timed out after ${connectTimeoutMs + 1} milliseconds`) : failedConnect("Connection timed out"));
  if (!pod || networkDown(p.container) || isNodeDown(p, pod)) {
    // Nobody answers: the SYNs are dropped until the connect timeout.
    await sleep(p.container, connectTimeoutMs, signal);
    throw timedOut();
  }
  try {
    await dialPod(p.container.ctx, pod, String(port), { signal, timeoutMs: connectTimeoutMs });
  } catch (e) {
    if (e instanceof DialError) throw e.kind === "timeout" ? timedOut() : failedConnect("Connection refused");
    if (e instanceof StatusError) throw failedConnect("No route to host");
    throw e;
  }
  if (target.scheme === "https") throw tls();
  setPhase("transfer");
  return askPod(pod, port, method, target.path, headers, o.data ?? "", signal, p);
}

/** One HTTP request as curl 7.38 makes it: -m, errors and exit codes, the progress meter's final line. */
export async function curlRequest(p: Process, o: CurlOptions, progress: (line: string) => void): Promise<{ head: string; body: string; status: number }> {
  const target = parseUrl(o.url);
  const { ctx } = p.container;
  const started = ctx.clock.now();
  const maxTime = new AbortController();
  const signal = AbortSignal.any([p.signal, maxTime.signal]);
  const timer = o.maxTimeMs !== undefined ? ctx.clock.setTimeout(() => maxTime.abort(), o.maxTimeMs) : undefined;
  let phase: Phase = "resolve";
  try {
    progress(progressLine(0, 0));
    const ip = await resolveHostOrFail(p, target.host, signal);
    const body = await exchange(p, o, target, ip, signal, (next) => (phase = next));
    const head = `HTTP/1.1 200 OK\r\nDate: ${new Date(ctx.clock.now()).toUTCString()}\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const bytes = Buffer.byteLength(body);
    progress(progressLine(bytes, Math.round((bytes * 1000) / Math.max(ctx.clock.now() - started, 4))) + "\n");
    return { head, body, status: 200 };
  } catch (e) {
    if (maxTime.signal.aborted && !p.signal.aborted) throw maxTimeError(phase, o.maxTimeMs!);
    if (p.signal.aborted && !(e instanceof Interrupted)) throw new Interrupted();
    throw e;
  } finally {
    if (timer !== undefined) ctx.clock.clearTimeout(timer);
  }
}

export function isNodeDown(p: Process, pod: V1Pod): boolean {
  const node = pod.spec?.nodeName ? p.container.ctx.store.tryGet("nodes", undefined, pod.spec.nodeName) : undefined;
  return !node || node.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true";
}

/** Through the pod network to another pod's app (the pod proxy's path, so a crash restarts it as usual). */
async function askPod(pod: V1Pod, port: number, method: string, path: string, headers: Record<string, string>, body: string, signal: AbortSignal, p: Process): Promise<string> {
  const [pathname, query = ""] = path.split("?");
  try {
    const answer = await proxyToPod(p.container.ctx, pod, String(port), { method, path: pathname, query, headers, body: Buffer.from(body) }, { signal });
    return answer.body.toString("utf8");
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    if (e.message.endsWith("EOF")) throw new CurlError(52, "Empty reply from server");
    throw new CurlError(56, "Recv failure: Connection reset by peer");
  }
}

const curl: Program = async (p) => {
  let o: CurlOptions;
  try {
    o = parseCurl(p.argv.slice(1));
  } catch (e) {
    if (!(e instanceof CurlError)) throw e;
    p.stderr.write(`curl: ${e.message}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    return e.code;
  }
  // The progress meter goes to stderr when the body does not go to a terminal.
  const meter = !o.silent && (!p.terminal || o.output !== undefined);
  let meterShown = false;
  const progress = (line: string) => {
    if (!meter) return;
    if (!meterShown) p.stderr.write(PROGRESS_HEADER);
    meterShown = true;
    p.stderr.write(line);
  };
  try {
    const { head, body, status } = await curlRequest(p, o, progress);
    const text = o.head ? head : (o.include ? head : "") + body;
    if (o.output !== undefined) p.container.fs.writeFile(resolvePath(p.cwd, o.output), text);
    else p.stdout.write(text);
    return o.fail && status >= 400 ? 22 : 0;
  } catch (e) {
    if (e instanceof FsError) {
      p.stderr.write(`curl: (23) Failed writing body (0 != ${o.output?.length ?? 0})\n`);
      return 23;
    }
    if (!(e instanceof CurlError)) throw e;
    if (meterShown) p.stderr.write("\n");
    if (!o.silent || o.showError) p.stderr.write(`curl: (${e.code}) ${e.message}\n`);
    return e.code;
  }
};

export const NETWORK_COMMANDS: Record<string, Program> = { nslookup, curl };
export { searchCandidates } from "./resolver";
