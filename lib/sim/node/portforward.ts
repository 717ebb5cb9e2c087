import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { locateDataFile } from "./dataFile";
import { appEnvironment } from "./environment";
import { AppCrash, appForContainer } from "./images/kubia";
import { listeningContainer } from "./network";
import { recordCrash } from "./proxy";

/**
 * What the container runtime (containerd 1.7, the nodes' runtime) does for one forwarded
 * connection: it enters the pod sandbox's network namespace, dials `localhost:PORT` there and
 * copies bytes both ways until one direction ends. Its failures are Go errors whose text the
 * kubelet writes on the connection's error stream.
 */

/** A failure of the runtime's portForward; `message` is containerd's text. */
export class PortForwardError extends Error {}

/**
 * A playground limit, not a Kubernetes one: the kubia app writes a POST body into its volume, and
 * volume contents are kept in memory and persisted, so a body through a forwarded port is bounded
 * (more than the API server proxy's 64 KiB, since no API server buffers it). Beyond it the app
 * answers 413 and closes the connection, where the real app would store any size.
 */
export const PORT_FORWARD_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The address a forwarded connection comes from inside the pod: containerd dials localhost (node prints it IPv4-mapped). */
const LOCALHOST_PEER = "::ffff:127.0.0.1";

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The pod sandbox's id in containerd (64 hex digits), stable for the pod's uid. */
export function sandboxId(pod: V1Pod): string {
  return digest(`sandbox/${pod.metadata?.uid ?? ""}`);
}

/** The sandbox's network namespace as the CNI plugin names it: /var/run/netns/cni-<uuid>. */
function netnsPath(pod: V1Pod): string {
  const h = digest(`netns/${pod.metadata?.uid ?? ""}`);
  return `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function refused(pod: V1Pod, port: number): PortForwardError {
  const id = sandboxId(pod);
  return new PortForwardError(
    `failed to execute portforward in network namespace "${netnsPath(pod)}": failed to connect to localhost:${port} inside namespace "${id}", ` +
      `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
  );
}

/** The pod as the runtime knows it: the same sandbox (uid) the session was opened for, or none. */
function currentPod(ctx: SimContext, pod: V1Pod): V1Pod | undefined {
  const current = ctx.store.tryGet("pods", pod.metadata?.namespace, pod.metadata!.name!) as V1Pod | undefined;
  return current?.metadata?.uid === pod.metadata?.uid ? current : undefined;
}

/**
 * Connects `connection` (the client's data stream) to whatever listens on `port` in the pod and
 * resolves when the forwarding is over; rejects with a PortForwardError when nothing can be reached.
 * The pod network's faults do not matter: the runtime dials localhost inside the pod.
 */
export async function portForwardToPod(ctx: SimContext, pod: V1Pod, port: number, connection: Duplex): Promise<void> {
  const current = currentPod(ctx, pod);
  const id = sandboxId(pod);
  if (!current) throw new PortForwardError(`failed to find sandbox "${id}" in store: not found`);
  if (current.status?.phase === "Succeeded" || current.status?.phase === "Failed") {
    throw new PortForwardError(`network namespace for sandbox "${id}" is closed`);
  }
  const container = listeningContainer(current, port);
  // The kubelet does not start a container whose claim is not bound, so nothing can be listening.
  if (!container || locateDataFile(ctx, current, container).kind === "unboundClaim") throw refused(current, port);
  await serveConnection(ctx, current, container, connection);
}

/** Runs the app's HTTP server on the one connection; over when either side ends it or the app goes away. */
function serveConnection(ctx: SimContext, pod: V1Pod, container: V1Container, connection: Duplex): Promise<void> {
  const server = createServer((req, res) => {
    answer(ctx, pod, container, req, res, connection).catch(() => connection.destroy());
  });
  server.keepAliveTimeout = 0; // node 7 (the book's image) had none
  const stopWatching = watchApp(ctx, pod, container, () => connection.end());
  return new Promise((resolve) => {
    const done = () => {
      stopWatching();
      resolve();
    };
    connection.once("finish", done);
    connection.once("close", done);
    server.emit("connection", connection);
  });
}

/** The app stops (pod deleted, container stopped or replaced): the kernel closes its connections. */
function watchApp(ctx: SimContext, pod: V1Pod, container: V1Container, stopped: () => void): () => void {
  const containerId = (p: V1Pod) => p.status?.containerStatuses?.find((s) => s.name === container.name);
  const startedAs = containerId(pod)?.containerID;
  return ctx.store.watch("pods", { namespace: pod.metadata?.namespace, fieldSelector: `metadata.name=${pod.metadata?.name}` }, (type, obj) => {
    const now = obj as unknown as V1Pod;
    const status = containerId(now);
    if (type === "DELETED" || now.metadata?.uid !== pod.metadata?.uid || !status?.state?.running || status.containerID !== startedAs) stopped();
  });
}

/** The body of one request, or undefined when it is over the limit (then the app has answered 413). */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= PORT_FORWARD_MAX_BODY_BYTES) return void chunks.push(chunk);
      req.removeAllListeners("data");
      res.writeHead(413, { Connection: "close" });
      res.end();
      resolve(undefined);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(undefined));
  });
}

/** One request to the kubia app: `response.writeHead(status); response.end(body)`, as its app.js does. */
async function answer(ctx: SimContext, pod: V1Pod, container: V1Container, req: IncomingMessage, res: ServerResponse, connection: Duplex): Promise<void> {
  const body = await readBody(req, res);
  if (!body) return;
  const [path, query = ""] = (req.url ?? "/").split("?", 2);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
  try {
    const env = { ...appEnvironment(ctx, pod, container), remoteAddress: LOCALHOST_PEER };
    const response = await appForContainer(container).handle({ method: req.method ?? "GET", path, query, headers, body }, env);
    res.sendDate = false; // the Date of the cluster clock, as the pod proxy's answers carry
    res.setHeader("Date", new Date(ctx.clock.now()).toUTCString());
    res.writeHead(response.status);
    res.end(req.method === "HEAD" ? undefined : response.body);
  } catch (e) {
    if (!(e instanceof AppCrash)) throw e;
    recordCrash(ctx, pod, container, e);
    connection.end(); // the process died: its connections close without an answer
  }
}
