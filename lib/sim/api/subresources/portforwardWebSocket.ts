import type { IncomingMessage } from "node:http";
import { Duplex } from "node:stream";
import type { V1Pod } from "@kubernetes/client-node";
import { type WebSocket, WebSocketServer } from "ws";
import { PortForwardError, sandboxId } from "../../node/runtime";

/**
 * The kubelet's WebSocket port forwarding (cri-streaming portforward/websocket.go), which a
 * WebSocket without a `SPDY/3.1+` tunnelling protocol reaches through the API server (what
 * @kubernetes/client-node's PortForward speaks): the ports come in the query (`ports`, which the
 * API server passes on as the kubelet's `port`), each port gets channel 2i for data and 2i+1 for
 * errors, each channel's first message is the port (uint16 little-endian), and each port carries
 * one connection; the WebSocket closes when every port's connection is over. Binary channel frames
 * (`v4.channel.k8s.io`, or no protocol) or base64 text ones (`v4.base64.channel.k8s.io`).
 */

const BINARY = "v4.channel.k8s.io";
const BASE64 = "v4.base64.channel.k8s.io";
const SUPPORTED = ["", BINARY, BASE64];

/** NewV4Options: the ports of the query, or the kubelet's 400 message. */
export function websocketPorts(query: URLSearchParams): number[] | string {
  const values = query.getAll("ports");
  if (values.length === 0) return `query parameter "port" is required`;
  const ports: number[] = [];
  for (const value of values) {
    if (!value) return `query parameter "port" cannot be empty`;
    for (const p of value.split(",")) {
      if (!/^\d+$/.test(p) || Number(p) > 65535) return `unable to parse "${value}" as a port: strconv.ParseUint: parsing ${JSON.stringify(p)}: ${/^\d+$/.test(p) ? "value out of range" : "invalid syntax"}`;
      if (Number(p) < 1) return `port "${value}" must be > 0`;
      ports.push(Number(p));
    }
  }
  return ports;
}

/** wsstream's handshake: the first offered protocol it supports ("" when none is offered); undefined when none. */
export function websocketProtocol(offered: string[]): string | undefined {
  return (offered.length ? offered : [""]).find((p) => SUPPORTED.includes(p));
}

const channelSockets = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: 1024 * 1024,
  handleProtocols: (protocols) => [...protocols].find((p) => SUPPORTED.includes(p)) ?? false,
});

export interface WebSocketForwarding {
  pod: V1Pod;
  ports: number[];
  portForward(pod: V1Pod, port: number, connection: Duplex): Promise<void>;
  /** True once the pod's node is down: its packets are dropped, nothing is read or sent any more. */
  frozen(): boolean;
}

/** Upgrades and forwards one connection per port; resolves when the WebSocket is open (undefined if the handshake failed). */
export async function serveWebSocketPortForward(req: IncomingMessage, socket: Duplex, head: Buffer, forwarding: WebSocketForwarding): Promise<WebSocket | undefined> {
  const ws = await new Promise<WebSocket | undefined>((resolve) => {
    socket.once("close", () => resolve(undefined));
    channelSockets.handleUpgrade(req, socket, head, resolve);
  });
  if (!ws) return undefined;
  ws.on("error", () => ws.terminate());
  const base64 = ws.protocol === BASE64;
  const send = (channel: number, data: Buffer, done?: () => void) => {
    if (ws.readyState !== 1 || forwarding.frozen()) return done?.();
    if (base64) ws.send(String.fromCharCode(48 + channel) + data.toString("base64"), done);
    else ws.send(Buffer.concat([Buffer.from([channel]), data]), done);
  };
  const channels = forwarding.ports.map((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    return channelStream(ws, 2 * i, send);
  });
  ws.on("message", (message: Buffer, isBinary: boolean) => {
    if (message.length === 0 || forwarding.frozen()) return;
    const channel = base64 ? message[0] - 48 : message[0];
    const stream = channel % 2 === 0 ? channels[channel / 2] : undefined; // error channels are write-only
    if (!stream) return;
    const data = base64 && !isBinary ? Buffer.from(message.subarray(1).toString(), "base64") : message.subarray(1);
    if (!stream.push(data)) ws.pause();
  });
  ws.on("close", () => channels.forEach((c) => c.destroy()));
  const forwarded = forwarding.ports.map(async (port, i) => {
    try {
      await forwarding.portForward(forwarding.pod, port, channels[i]);
    } catch (err) {
      const cause = err instanceof PortForwardError ? err.message : String(err);
      send(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${sandboxId(forwarding.pod)}, uid : ${cause}`));
    }
  });
  void Promise.all(forwarded).then(() => ws.close());
  return ws;
}

/** One port's data channel as a Duplex: the client's frames in, frames of that channel out (after the socket took them). */
function channelStream(ws: WebSocket, channel: number, send: (channel: number, data: Buffer, done?: () => void) => void): Duplex {
  return new Duplex({
    read: () => ws.resume(),
    write: (chunk: Buffer, _encoding, callback) => send(channel, chunk, () => callback()),
    final: (callback) => callback(),
  });
}
