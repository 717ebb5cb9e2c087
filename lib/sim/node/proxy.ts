import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { errors, StatusError } from "../store/errors";
import { AppCrash, appForContainer } from "./images/kubia";
import { locateDataFile } from "./dataFile";
import { appEnvironment } from "./environment";
import { DialError, dialPod, unreachable } from "./network";

export interface ProxyRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A playground limit, not a Kubernetes one: volume contents are kept in memory and persisted, so a
 * POST is bounded. Refused the way the API server refuses an oversized body.
 */
export const MAX_BODY_BYTES = 64 * 1024;

type CrashListener = (crash: { namespace: string; pod: string; container: string }) => void;
const crashListeners = new WeakMap<SimContext, Set<CrashListener>>();

/**
 * The app died (e.g. POST without a volume at /var/data: ENOENT, unhandled 'error' event). A real
 * kubelet would restart the container; the controllers can subscribe here to do the same.
 */
export function onKubiaCrash(ctx: SimContext, listener: CrashListener): () => void {
  let set = crashListeners.get(ctx);
  if (!set) crashListeners.set(ctx, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * `pods/NAME[:PORT]/proxy/PATH`: dials the pod as the API server would and lets the container's
 * kubia app answer. Errors are the API server's: 400 `address not allowed` without a pod IP, 503
 * `error trying to reach service: dial tcp IP:PORT: connect: connection refused` when nothing
 * listens (kubia listens on 8080 only; no port → first containerPort, else 80), 503 `... i/o timeout`
 * after the 30 s dial timeout when the pod network or the pod's node is down, 503 `... EOF` when
 * the app crashes mid-request. `scheme: "https"` (`https:NAME:PORT`) fails the TLS handshake, since
 * kubia speaks plain HTTP.
 */
export async function proxyToPod(
  ctx: SimContext,
  pod: V1Pod,
  port: string | undefined,
  req: ProxyRequest,
  opts: { scheme?: string; signal?: AbortSignal } = {},
): Promise<ProxyResponse> {
  if (req.body.length > MAX_BODY_BYTES) {
    throw new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${MAX_BODY_BYTES}`);
  }
  let connection;
  try {
    connection = await dialPod(ctx, pod, port, { signal: opts.signal });
  } catch (e) {
    if (e instanceof DialError) throw unreachable(e.message);
    throw e;
  }
  if (opts.scheme === "https") throw unreachable("tls: first record does not look like a TLS handshake");
  const { container } = connection;
  const location = locateDataFile(ctx, pod, container);
  // The kubelet does not start a container whose claim is not bound, so nothing can be listening.
  if (location.kind === "unboundClaim") throw unreachable(`dial tcp ${connection.ip}:${connection.port}: connect: connection refused`);
  try {
    const response = await appForContainer(container).handle(req, appEnvironment(ctx, pod, container));
    return {
      status: response.status,
      // node's http server sends only Date (the body is chunked; the API server re-frames it).
      headers: { date: new Date(ctx.clock.now()).toUTCString() },
      body: req.method === "HEAD" ? Buffer.alloc(0) : Buffer.from(response.body, "utf8"),
    };
  } catch (e) {
    if (!(e instanceof AppCrash)) throw e;
    recordCrash(ctx, pod, container, e);
    throw unreachable("EOF"); // the connection closed without a response
  }
}

/** The app died: its last words go to the container's log, and the kubelet hears of it (onKubiaCrash). */
export function recordCrash(ctx: SimContext, pod: V1Pod, container: V1Container, crash: AppCrash): void {
  const namespace = pod.metadata?.namespace ?? "default";
  const name = pod.metadata?.name ?? "";
  for (const line of crash.stderr) ctx.logs.append(namespace, name, container.name, line);
  crashListeners.get(ctx)?.forEach((l) => l({ namespace, pod: name, container: container.name }));
}

/**
 * What the container's app prints when it starts; the kubelet calls this when it starts a container
 * (kubia-pet prints nothing; the chapter-2 `luksa/kubia` prints "Kubia server starting...").
 */
export function kubiaStartupLog(ctx: SimContext, pod: V1Pod, containerName?: string): void {
  for (const container of pod.spec?.containers ?? []) {
    if (containerName && container.name !== containerName) continue;
    for (const line of appForContainer(container).startupLines) {
      ctx.logs.append(pod.metadata?.namespace ?? "default", pod.metadata?.name ?? "", container.name, line);
    }
  }
}

/**
 * utilnet.SplitSchemeNamePort for the `pods/{id}/proxy` id: "name", "name:port" or "scheme:name:port",
 * scheme "http" or "https". Anything else is the API server's 400 `invalid pod request "<id>"`.
 */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port?: string } {
  const parts = id.split(":");
  const [scheme, name, port] = parts.length === 3 ? parts : parts.length === 2 ? ["", parts[0], parts[1]] : ["", parts[0], undefined];
  if (parts.length > 3 || !name || !["", "http", "https"].includes(scheme)) throw errors.badRequest(`invalid pod request "${id}"`);
  return { scheme, name, port: port || undefined };
}
