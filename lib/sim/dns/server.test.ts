import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import * as dnsPacket from "dns-packet";
import type { Answer, DecodedPacket, Packet, RecordType } from "dns-packet";
import { startDnsServer, type DnsServer } from "./server";
import { addService, addSlice, bookStore, emptyStore } from "./testing/fixtures";
import type { Store } from "../store/store";

let server: DnsServer | undefined;
const data = (records: Answer[] | undefined) => (records ?? []).map((r) => ("data" in r ? r.data : r.type));
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function query(name: string, type: RecordType, extra: Partial<Packet> = {}): Packet {
  return { type: "query", id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: "IN" }], ...extra };
}

function overUdp(port: number, message: Buffer): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    const timer = setTimeout(() => reject(new Error("no UDP reply")), 2000);
    socket.on("message", (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(reply));
    });
    socket.send(message, port, "127.0.0.1");
  });
}

function overTcp(port: number, messages: Buffer[]): Promise<DecodedPacket[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const replies: DecodedPacket[] = [];
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        replies.push(dnsPacket.decode(received.subarray(2, 2 + received.readUInt16BE(0))));
        received = received.subarray(2 + received.readUInt16BE(0));
      }
      if (replies.length === messages.length) {
        socket.end();
        resolve(replies);
      }
    });
    // Both queries in one write, split at an odd place: the server must reassemble them.
    const stream = Buffer.concat(messages.map((m) => dnsPacket.streamEncode(dnsPacket.decode(m))));
    socket.write(stream.subarray(0, 5));
    setTimeout(() => socket.write(stream.subarray(5)), 20);
  });
}

async function start(store: Store = bookStore()): Promise<number> {
  server = await startDnsServer(store, { host: "127.0.0.1", port: 0, shuffle: false });
  return server.port;
}

describe("DNS server over UDP and TCP", () => {
  it("answers SRV over UDP with the header CoreDNS sets: qr aa rd, no ra, id echoed", async () => {
    const port = await start();
    const reply = await overUdp(port, dnsPacket.encode(query("kubia.default.svc.cluster.local", "SRV")));
    expect(reply).toMatchObject({ id: 4242, type: "response", flag_aa: true, flag_rd: true, flag_ra: false, flag_tc: false, rcode: "NOERROR" });
    expect(reply.questions).toEqual([{ name: "kubia.default.svc.cluster.local", type: "SRV", class: "IN" }]);
    expect(data(reply.answers)).toEqual([
      { priority: 0, weight: 50, port: 8080, target: "kubia-0.kubia.default.svc.cluster.local" },
      { priority: 0, weight: 50, port: 8080, target: "kubia-1.kubia.default.svc.cluster.local" },
    ]);
    expect(reply.additionals!.map((a) => [a.name, a.type, "data" in a && a.data])).toEqual([
      ["kubia-0.kubia.default.svc.cluster.local", "A", "10.1.107.193"],
      ["kubia-1.kubia.default.svc.cluster.local", "A", "10.1.169.130"],
    ]);
  });

  it("answers several length-prefixed queries on one TCP connection, on the same port as UDP", async () => {
    const port = await start();
    const [srv, a] = await overTcp(port, [
      dnsPacket.encode(query("kubia.default.svc.cluster.local", "SRV")),
      dnsPacket.encode({ ...query("kubia-0.kubia.default.svc.cluster.local", "A"), id: 7 }),
    ]);
    expect(srv.answers).toHaveLength(2);
    expect(a).toMatchObject({ id: 7, rcode: "NOERROR" });
    expect(data(a.answers)).toEqual(["10.1.107.193"]);
  });

  it("returns NXDOMAIN with the SOA in the authority section, and REFUSED outside the cluster", async () => {
    const port = await start();
    const nx = await overUdp(port, dnsPacket.encode(query("nope.default.svc.cluster.local", "A")));
    expect(nx).toMatchObject({ rcode: "NXDOMAIN", flag_aa: true });
    expect(nx.authorities!.map((r) => [r.name, r.type])).toEqual([["cluster.local", "SOA"]]);
    const refused = await overUdp(port, dnsPacket.encode(query("example.com", "A")));
    expect(refused).toMatchObject({ rcode: "REFUSED", flag_aa: false, answers: [], authorities: [] });
  });

  it("echoes the client's EDNS OPT with its UDP size and cookie", async () => {
    const port = await start();
    const cookie = Buffer.from("2ff40eb09b50498b", "hex");
    const withEdns = query("kubia.default.svc.cluster.local", "SRV", {
      additionals: [{ name: ".", type: "OPT", udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [{ code: 10, data: cookie } as never] }],
    });
    const reply = await overUdp(port, dnsPacket.encode(withEdns));
    const opt = reply.additionals!.find((a) => a.type === "OPT");
    expect(opt).toMatchObject({ udpPayloadSize: 4096, ednsVersion: 0 });
    expect((opt as { options: { code: number; data: Buffer }[] }).options.map((o) => [o.code, o.data.toString("hex")])).toEqual([[10, "2ff40eb09b50498b"]]);
    expect(reply.additionals).toHaveLength(3); // as in the book: 2 A records + OPT
  });

  it("truncates a UDP reply larger than 512 bytes with TC, and the TCP retry gets everything", async () => {
    const store = emptyStore();
    addService(store, "kubia", { clusterIP: "None", ports: [{ name: "http", port: 80 }] });
    addSlice(store, "kubia", Array.from({ length: 12 }, (_, i) => ({ ip: `10.1.0.${i + 1}`, hostname: `kubia-${i}` })));
    const port = await start(store);
    const message = dnsPacket.encode(query("kubia.default.svc.cluster.local", "SRV"));
    const udp = await overUdp(port, message);
    expect(udp.flag_tc).toBe(true);
    expect(dnsPacket.encodingLength(udp)).toBeLessThanOrEqual(512);
    expect(udp.answers!.length).toBeLessThan(12);
    const [tcp] = await overTcp(port, [message]);
    expect(tcp.flag_tc).toBe(false);
    expect(tcp.answers).toHaveLength(12);
    expect(tcp.additionals).toHaveLength(12);
  });

  it("replies FORMERR to garbage with a readable header and NOTIMP to other opcodes", async () => {
    const port = await start();
    const garbage = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]), Buffer.from([0x3f, 0x61])]);
    const formerr = await overUdp(port, garbage);
    expect(formerr).toMatchObject({ id: 0x1234, type: "response", rcode: "FORMERR" });
    const notify = dnsPacket.encode({ ...query("cluster.local", "SOA"), flags: 4 << 11 });
    expect(await overUdp(port, notify)).toMatchObject({ rcode: "NOTIMP", opcode: "NOTIFY" });
  });

  it("answers BADVERS to an EDNS version it does not speak", async () => {
    const port = await start();
    const v1 = query("kubia.default.svc.cluster.local", "A", {
      additionals: [{ name: ".", type: "OPT", udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 1, flags: 0, flag_do: false, options: [] }],
    });
    const reply = await overUdp(port, dnsPacket.encode(v1));
    expect(reply.answers).toEqual([]);
    expect(reply.additionals).toEqual([expect.objectContaining({ type: "OPT", extendedRcode: 1, ednsVersion: 0 })]);
  });

  it("stops listening on both transports", async () => {
    const port = await start();
    await server!.stop();
    server = undefined;
    await expect(overTcp(port, [dnsPacket.encode(query("cluster.local", "SOA"))])).rejects.toThrow(/ECONNREFUSED/);
  });

  it("shuffles address records by default (the loadbalance plugin)", async () => {
    const store = emptyStore();
    addService(store, "kubia", { clusterIP: "None", ports: [{ name: "http", port: 80 }] });
    addSlice(store, "kubia", Array.from({ length: 6 }, (_, i) => ({ ip: `10.1.0.${i + 1}`, hostname: `kubia-${i}` })));
    server = await startDnsServer(store, { host: "127.0.0.1", port: 0 });
    const orders = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const reply = await overUdp(server.port, dnsPacket.encode(query("kubia.default.svc.cluster.local", "A")));
      expect(reply.answers).toHaveLength(6);
      orders.add(data(reply.answers).join(","));
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});
