import "server-only";
import dgram from "node:dgram";
import { randomInt } from "node:crypto";
import dnsPacket, { type Answer, type RecordType } from "dns-packet";
import type { DnsRecord } from "@/lib/k8s/contract";

/**
 * A tiny DNS client (UDP, one question per packet) for the embedded cluster's DNS server on
 * loopback, so the DNS panel shows what `dig` would print rather than what we think it should.
 */
export interface DnsQuestion {
  name: string;
  type: Extract<RecordType, "A" | "SRV">;
}

export const DNS_TIMEOUT_MS = 2_000;

function toRecord(answer: Answer): DnsRecord | undefined {
  const name = answer.name.replace(/\.$/, "");
  const ttl = "ttl" in answer && typeof answer.ttl === "number" ? answer.ttl : 0;
  if (answer.type === "A" && typeof answer.data === "string") return { name, type: "A", ttl, data: answer.data };
  if (answer.type === "SRV" && answer.data && typeof answer.data === "object") {
    const d = answer.data as { priority?: number; weight?: number; port: number; target: string };
    const target = d.target.endsWith(".") ? d.target : `${d.target}.`;
    return { name, type: "SRV", ttl, data: `${d.priority ?? 0} ${d.weight ?? 0} ${d.port} ${target}` };
  }
  return undefined;
}

/** Asks every question at once over one socket; unanswered questions (NXDOMAIN, timeout) contribute no records. */
export function queryDns(host: string, port: number, questions: DnsQuestion[], timeoutMs = DNS_TIMEOUT_MS): Promise<DnsRecord[]> {
  if (questions.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
    const pending = new Map<number, DnsQuestion>();
    const answers = new Map<number, DnsRecord[]>();
    const finish = () => {
      clearTimeout(timer);
      socket.close();
      const ordered = questions.flatMap((_, i) => answers.get(i) ?? []);
      resolve(ordered);
    };
    const timer = setTimeout(finish, timeoutMs);
    const ids = new Map<number, number>();
    socket.on("error", (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.on("message", (msg) => {
      let packet;
      try {
        packet = dnsPacket.decode(msg);
      } catch {
        return;
      }
      const index = packet.id !== undefined ? ids.get(packet.id) : undefined;
      if (index === undefined || !pending.has(index)) return;
      pending.delete(index);
      answers.set(index, (packet.answers ?? []).map(toRecord).filter((r): r is DnsRecord => r !== undefined));
      if (pending.size === 0) finish();
    });
    questions.forEach((question, index) => {
      let id = randomInt(1, 65535);
      while (ids.has(id)) id = randomInt(1, 65535);
      ids.set(id, index);
      pending.set(index, question);
      const query = dnsPacket.encode({
        type: "query",
        id,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type: question.type, name: question.name }],
      });
      socket.send(query, port, host);
    });
  });
}
