import dgram from "node:dgram";
import net from "node:net";
import * as dnsPacket from "dns-packet";
import type { DecodedPacket } from "dns-packet";
import type { Store } from "../store/store";
import { ENDPOINTSLICES } from "./backend";
import { resolve, type ZoneConfig } from "./kubernetes";
import { badVersionReply, buildReply, errorReply, maxReplySize, requestOpt } from "./message";
import { clusterDomain } from "../../k8s/dns";

/** kubeadm's Corefile sets `ttl 30` (CoreDNS's own default is 5); the book's dig output shows 30. */
export const DEFAULT_TTL = 30;
/** Idle TCP connections are closed, as CoreDNS does after its read timeout. */
const TCP_IDLE_MS = 10_000;

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port; UDP and TCP then share it. */
  port: number;
  clusterDomain?: string;
  ttl?: number;
  /** The loadbalance plugin's shuffling of A/AAAA records (on, as in kubeadm's Corefile). */
  shuffle?: boolean;
}

export interface DnsServer {
  port: number;
  stop(): Promise<void>;
}

/** Answers one DNS message; undefined when there is nothing to answer (a response, or garbage). */
export function answerQuery(store: Store, config: ZoneConfig, message: Buffer, transport: "udp" | "tcp", shuffle = true): Buffer | undefined {
  let query: DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return formatErrorFromHeader(message);
  }
  if (query.type === "response") return undefined;
  if (((query.flags ?? 0) >> 11) & 0xf) return errorReply(query, "NOTIMP"); // only QUERY is implemented
  if ((requestOpt(query)?.ednsVersion ?? 0) > 0) return badVersionReply(query);
  const question = query.questions?.[0];
  if (query.questions?.length !== 1 || !question) return errorReply(query, "FORMERR");
  if (question.class && question.class !== "IN") return errorReply(query, "REFUSED");
  try {
    const lookup = resolve(store, question.name, question.type, config);
    return buildReply(query, lookup, maxReplySize(query, transport), { shuffle });
  } catch {
    return errorReply(query, "SERVFAIL");
  }
}

/** A message that does not parse still has an id: reply FORMERR to it, as miekg/dns servers do. */
function formatErrorFromHeader(message: Buffer): Buffer | undefined {
  if (message.length < 12 || message[2] & 0x80) return undefined;
  const reply = Buffer.alloc(12);
  message.copy(reply, 0, 0, 2);
  reply.writeUInt16BE(0x8000 | (message.readUInt16BE(2) & 0x7800) | 1, 2);
  return reply;
}

/** SOA serial as CoreDNS derives it: the time (unix seconds) the watched objects last changed. */
function trackSerial(store: Store): { serial(): number; stop(): void } {
  let modified = Math.floor(store.clock.now() / 1000);
  const touch = () => (modified = Math.floor(store.clock.now() / 1000));
  const stops = ["services", ENDPOINTSLICES, "namespaces"].map((r) => store.watch(r, {}, touch));
  return { serial: () => modified, stop: () => stops.forEach((s) => s()) };
}

function listenUdp(host: string, port: number): Promise<dgram.Socket> {
  return new Promise((ok, fail) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
    socket.once("error", fail);
    socket.bind(port, host, () => {
      socket.off("error", fail);
      ok(socket);
    });
  });
}

function listenTcp(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok();
    });
  });
}

/** DNS over TCP: each message is preceded by its 2-byte length; a connection may carry several. */
function serveTcpConnection(socket: net.Socket, answer: (m: Buffer) => Buffer | undefined): void {
  let pending = Buffer.alloc(0);
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
      pending = pending.subarray(2 + message.length);
      const reply = answer(message);
      if (!reply) continue;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(reply.length);
      socket.write(Buffer.concat([length, reply]));
    }
  });
}

/**
 * The cluster's DNS server (what kube-dns/CoreDNS is in a real cluster), on UDP and TCP of the same
 * loopback port. Every query reads the store afresh, so answers follow Services and EndpointSlices
 * immediately.
 */
export async function startDnsServer(store: Store, opts: DnsServerOptions): Promise<DnsServer> {
  const serial = trackSerial(store);
  const config: ZoneConfig = {
    clusterDomain: (opts.clusterDomain ?? clusterDomain).replace(/\.$/, ""),
    ttl: opts.ttl ?? DEFAULT_TTL,
    serverAddress: opts.host,
    serial: serial.serial,
  };
  const answer = (transport: "udp" | "tcp") => (m: Buffer) => answerQuery(store, config, m, transport, opts.shuffle !== false);

  // With port 0 the UDP port is chosen first; if TCP cannot have the same number, try another.
  let udp: dgram.Socket | undefined;
  const tcp = net.createServer((socket) => serveTcpConnection(socket, answer("tcp")));
  for (let attempt = 0; ; attempt++) {
    udp = await listenUdp(opts.host, opts.port);
    try {
      await listenTcp(tcp, opts.host, udp.address().port);
      break;
    } catch (e) {
      udp.close();
      if (opts.port !== 0 || attempt >= 10 || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") {
        serial.stop();
        throw e;
      }
    }
  }
  const udpSocket = udp;
  udpSocket.on("message", (message, peer) => {
    const reply = answer("udp")(message);
    if (reply) udpSocket.send(reply, peer.port, peer.address);
  });
  const connections = new Set<net.Socket>();
  tcp.on("connection", (s) => {
    connections.add(s);
    s.on("close", () => connections.delete(s));
  });
  return {
    port: udpSocket.address().port,
    stop: async () => {
      serial.stop();
      connections.forEach((s) => s.destroy());
      await Promise.all([new Promise<void>((ok) => udpSocket.close(() => ok())), new Promise<void>((ok) => tcp.close(() => ok()))]);
    },
  };
}
