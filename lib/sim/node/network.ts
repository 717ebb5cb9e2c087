import { isIPv4, isIPv6 } from "node:net";
import type { V1Container, V1Node, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { errors, type StatusError } from "../store/errors";
import { appForContainer } from "./images/kubia";


/** How the issue lets a teacher fail a node: `kubectl annotate node k8s-node2 playground.k8s.io/down=true`. */
export const NODE_DOWN_ANNOTATION = "playground.k8s.io/down";

/** The API server's proxy dialer gives up after 30 s (net.Dialer{Timeout: 30 * time.Second}). */
export const DIAL_TIMEOUT_MS = 30_000;

/**
 * Service names Go's resolver knows without /etc/services (net/lookup.go): the API server passes a
 * non-numeric port of `pods/NAME:PORT/proxy` straight to the dialer, which looks it up there. It does
 * NOT resolve the pod's named container ports (only `services/proxy` resolves named target ports).
 */
const GO_SERVICES: Record<string, number> = {
  ftp: 21, ftps: 990, gopher: 70, http: 80, https: 443, imap2: 143, imap3: 220, imaps: 993,
  pop3: 110, pop3s: 995, smtp: 25, submissions: 465, ssh: 22, telnet: 23,
};

/** What the API server's transport reports when the dial fails: a 503 `error trying to reach service: ...`. */
export function unreachable(cause: string): StatusError {
  return errors.serviceUnavailable(`error trying to reach service: ${cause}`);
}

/** A failed TCP connect; `message` is Go's wording (the API server), `address` is ip:port for node's wording. */
export class DialError extends Error {
  constructor(
    readonly kind: "timeout" | "refused" | "badPort",
    message: string,
    readonly address: string,
  ) {
    super(message);
  }
}

/** A connection the proxy established: where it went and which container's app accepted it. */
export interface PodConnection {
  ip: string;
  port: number;
  container: V1Container;
}

function podIP(pod: V1Pod): string {
  return pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? "";
}

/** Go's ip.IsGlobalUnicast(): the check ResourceLocation applies before proxying (no loopback, link-local, ...). */
function isGlobalUnicast(ip: string): boolean {
  if (isIPv4(ip)) {
    const [a, b] = ip.split(".").map(Number);
    return !(a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224);
  }
  if (isIPv6(ip)) return !/^(::1?$|fe80:|ff)/i.test(ip);
  return false;
}

/**
 * The port the API server dials, as registry/core/pod ResourceLocation picks it: the one in the
 * request, else the first declared containerPort, else none, and Go's http transport then uses 80.
 */
export function resolvePort(pod: V1Pod, requested: string | undefined): number {
  if (requested) {
    if (/^\d+$/.test(requested)) {
      const port = Number(requested);
      if (port > 65535) throw new DialError("badPort", `dial tcp: address ${requested}: invalid port`, requested);
      return port;
    }
    const known = GO_SERVICES[requested.toLowerCase()];
    if (known === undefined) throw new DialError("badPort", `dial tcp: lookup tcp/${requested}: unknown port`, requested);
    return known;
  }
  const declared = pod.spec?.containers?.find((c) => c.ports?.length)?.ports?.[0]?.containerPort;
  return declared ?? 80;
}

function isRunning(pod: V1Pod, container: V1Container): boolean {
  const statuses = pod.status?.containerStatuses;
  if (!statuses) return pod.status?.phase === "Running"; // a kubelet that reports no container statuses
  return !!statuses.find((s) => s.name === container.name)?.state?.running;
}

/**
 * The container whose app accepts connections on `port` in the pod's network namespace, if any:
 * each container's image runs its app on the app's port (the kubia apps on 8080, httpd and nginx
 * on 80); when several listen on it, the one declaring the port is the one the teacher means.
 */
export function listeningContainer(pod: V1Pod, port: number): V1Container | undefined {
  const running = (pod.spec?.containers ?? []).filter((c) => isRunning(pod, c) && appForContainer(c).port === port);
  return running.find((c) => c.ports?.some((p) => p.containerPort === port)) ?? running[0];
}

/** The node is powered off (or gone): packets to its pods are dropped, so a dial can only time out. */
function nodeIsDown(ctx: SimContext, nodeName: string | undefined): boolean {
  if (!nodeName) return false;
  const node = ctx.store.tryGet("nodes", undefined, nodeName) as V1Node | undefined;
  return !node || node.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true";
}

/** Waits on the cluster clock (so tests can advance it); an aborted request stops waiting at once. */
export function sleep(ctx: SimContext, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = ctx.clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      ctx.clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Opens the (simulated) TCP connection to a pod, failing the way a real one fails: no usable pod IP
 * is the API server's 400 `address not allowed`; an unreachable pod network or node is a dial
 * timeout (DialError "timeout"); a port nobody listens on, or an app that is not running, is
 * `connection refused` (DialError "refused").
 */
export async function dialPod(
  ctx: SimContext,
  pod: V1Pod,
  requestedPort: string | undefined,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<PodConnection> {
  const ip = podIP(pod);
  if (!isGlobalUnicast(ip)) throw errors.badRequest("address not allowed");
  const port = resolvePort(pod, requestedPort);
  const address = isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
  if (ctx.faults.get().brokenPodNetwork || nodeIsDown(ctx, pod.spec?.nodeName)) {
    await sleep(ctx, opts.timeoutMs ?? DIAL_TIMEOUT_MS, opts.signal);
    throw new DialError("timeout", `dial tcp ${address}: i/o timeout`, address);
  }
  const container = listeningContainer(pod, port);
  if (!container) throw new DialError("refused", `dial tcp ${address}: connect: connection refused`, address);
  return { ip, port, container };
}
