import { type IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { errors } from "../../store/errors";

/**
 * The stream channels of kubectl's connect subresources (exec, attach) over WebSocket
 * (k8s.io/streaming wsstream, remotecommand v4/v5): each binary message starts with its stream —
 * 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status; NonZeroExitCode carries the exit code),
 * 4 resize; in v5, 255 + stream closes that stream (the client's end of stdin).
 */

export const V5 = "v5.channel.k8s.io";
export const V4 = "v4.channel.k8s.io";

export enum Stream {
  Stdin = 0,
  Stdout = 1,
  Stderr = 2,
  Error = 3,
  Resize = 4,
  Close = 255,
}


/** strconv.ParseBool, which the query parameter conversion uses. */
export function boolOf(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return false;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
}


// ---- Status objects on the error channel (what wsstream's writeStatus marshals) ----

export function successStatus(): object {
  return { metadata: {}, status: "Success" };
}

export function exitCodeStatus(code: number): object {
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  };
}

/** apierrors.NewInternalError(err). */
export function internalErrorStatus(message: string): object {
  return { metadata: {}, status: "Failure", message: `Internal error occurred: ${message}`, reason: "InternalError", details: { causes: [{ message }] }, code: 500 };
}

// ---- HTTP answers on an upgrade request's raw socket ----

/** Upgraded and upgrading connections are not the HTTP server's to close: stopping the API server drops them. */
export function trackUpgrade(deps: { streams: Set<() => void> }, socket: Duplex): void {
  socket.on("error", () => socket.destroy());
  const drop = () => socket.destroy();
  deps.streams.add(drop);
  socket.once("close", () => deps.streams.delete(drop));
}

/** A ServerResponse on the socket of an upgrade request, so the usual writers answer it; the connection closes after. */
export function responseOn(req: IncomingMessage, socket: Duplex): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on("finish", () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  return res;
}


export function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

export function upgradeOf(req: IncomingMessage): string {
  return String(req.headers.upgrade ?? "").toLowerCase();
}


/** wsstream's first write: an empty frame on stdout (else stderr, else the error stream) tells the client the streams are up. */
export function openChannels(ws: WebSocket, params: { stdout: boolean; stderr: boolean }): void {
  ws.on("error", () => ws.terminate());
  ws.send(Buffer.from([params.stdout ? Stream.Stdout : params.stderr ? Stream.Stderr : Stream.Error]));
}

/** Writes the final Status on the error channel and closes the connection normally (clients read EOF on every stream). */
export function finish(ws: WebSocket, status: object): void {
  if (ws.readyState !== 1) return;
  ws.send(Buffer.concat([Buffer.from([Stream.Error]), Buffer.from(JSON.stringify(status))]));
  ws.close(1000);
}

export function frame(stream: Stream, text: string): Buffer {
  return Buffer.concat([Buffer.from([stream]), Buffer.from(text, "utf8")]);
}


/** remotecommand.TerminalSize as JSON: {"Width":80,"Height":24}; several may arrive in one message. */
export function resize(session: { resize(columns: number, rows: number): void }, data: Buffer): void {
  for (const piece of data.toString("utf8").split(/(?<=\})/)) {
    try {
      const size = JSON.parse(piece) as { Width?: number; Height?: number };
      if (size.Width && size.Height) session.resize(size.Width, size.Height);
    } catch {
      // A partial or malformed size is ignored, as the kubelet's decoder stops at it.
    }
  }
}

