import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import dnsPacket, { type Answer, type DecodedPacket, type SrvData } from "dns-packet";
import { answerQuery } from "../../dns/server";
import type { ContainerView } from "./container";
import { type Process, type Program, sleep } from "./process";
import { networkDown, NSLOOKUP_TIMEOUT_MS, reverseName, searchCandidates, zone } from "./resolver";
import { formatDate } from "./system";

/**
 * dig and host (BIND 9.11, as in Ubuntu 18.04's dnsutils) asking the cluster DNS: the query is a
 * real DNS message answered by the embedded cluster's DNS server code (lib/sim/dns), and the answer
 * is printed as dig prints it, column layout and warnings included.
 */

const DIG_VERSION = "9.11.3-1ubuntu1.16-Ubuntu";
const QUERY_TYPES = new Set(["A", "AAAA", "SRV", "PTR", "SOA", "NS", "CNAME", "TXT", "ANY", "MX"]);
/** dig's exit code when no server answered. */
const NO_REPLY_EXIT_CODE = 9;

/** One question sent to the cluster DNS the way dig sends it (RD set, EDNS with a client cookie); undefined when the packets are dropped. */
async function ask(p: Process, name: string, type: string, server: string): Promise<{ reply: DecodedPacket; size: number; cookie: Buffer } | undefined> {
  const c = p.container;
  if (networkDown(c) || server !== c.nameserver) {
    await sleep(c, NSLOOKUP_TIMEOUT_MS, p.signal);
    return undefined;
  }
  const cookie = randomBytes(8);
  const query = dnsPacket.encode({
    type: "query",
    id: randomBytes(2).readUInt16BE(0),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as "A", class: "IN" }],
    // dig's EDNS COOKIE option (code 10): @types/dns-packet's PacketOpt has no variant for it.
    additionals: [{ name: ".", type: "OPT", udpPayloadSize: 4096, flags: 0, options: [{ code: 10, data: cookie }] } as unknown as Answer],
  });
  const raw = answerQuery(c.ctx.store, zone(c), query, "udp", true);
  if (!raw) return undefined;
  return { reply: dnsPacket.decode(raw), size: raw.length, cookie };
}

const absolute = (name: string) => (name.endsWith(".") ? name : `${name}.`);

/** The record data as dig prints it. */
function rdata(r: Answer): string {
  const data = (r as { data?: unknown }).data;
  switch (r.type) {
    case "SRV": {
      const srv = data as SrvData;
      return `${srv.priority ?? 0} ${srv.weight ?? 0} ${srv.port} ${absolute(srv.target)}`;
    }
    case "PTR":
    case "CNAME":
    case "NS":
      return absolute(String(data));
    case "SOA": {
      const soa = data as { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
      return `${absolute(soa.mname)} ${absolute(soa.rname)} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
    }
    case "TXT":
      return ([] as unknown[]).concat(data).map((t) => `"${String(t)}"`).join(" ");
    default:
      return String(data);
  }
}

/** BIND's master-file layout: each field starts at its column (tabs to reach it), else after one space. */
function columns(fields: [string, number][]): string {
  let out = "";
  let column = 0;
  for (const [text, at] of fields) {
    if (out) {
      if (column >= at) {
        out += " ";
        column++;
      } else
        while (column < at) {
          out += "\t";
          column = (Math.floor(column / 8) + 1) * 8;
        }
    }
    out += text;
    column += text.length;
  }
  return out;
}

const recordLine = (r: Answer) => columns([[absolute(r.name), 0], [String((r as { ttl?: number }).ttl ?? 0), 24], ["IN", 32], [r.type, 40], [rdata(r), 48]]);

const RCODES: Record<number, string> = { 0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED" };

/** dig's full answer: header, OPT pseudosection, question and the sections that have records. */
function fullAnswer(name: string, type: string, answer: { reply: DecodedPacket; size: number; cookie: Buffer }, server: string, now: number): string {
  const { reply } = answer;
  const flags = reply.flags ?? 0;
  const flagNames = [["aa", dnsPacket.AUTHORITATIVE_ANSWER], ["tc", dnsPacket.TRUNCATED_RESPONSE], ["rd", dnsPacket.RECURSION_DESIRED], ["ra", dnsPacket.RECURSION_AVAILABLE]] as const;
  const opt = reply.additionals?.find((a) => a.type === "OPT") as { udpPayloadSize?: number; options?: { code: number; data?: Buffer }[] } | undefined;
  const additionals = (reply.additionals ?? []).filter((a) => a.type !== "OPT");
  let out = ";; Got answer:\n";
  if (/\.local\.?$/i.test(name)) out += ";; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n";
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${RCODES[flags & 0xf] ?? "NOERROR"}, id: ${reply.id}\n`;
  // dns-packet keeps QR out of `flags` (it is `type`).
  const shown = [...(reply.type === "response" ? ["qr"] : []), ...flagNames.filter(([, bit]) => flags & bit).map(([n]) => n)];
  out += `;; flags: ${shown.join(" ")}; QUERY: ${reply.questions?.length ?? 0}, ANSWER: ${reply.answers?.length ?? 0}, AUTHORITY: ${reply.authorities?.length ?? 0}, ADDITIONAL: ${reply.additionals?.length ?? 0}\n`;
  if (!(flags & dnsPacket.RECURSION_AVAILABLE)) out += ";; WARNING: recursion requested but not available\n";
  out += "\n";
  if (opt) {
    out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${opt.udpPayloadSize ?? 4096}\n`;
    const cookie = opt.options?.find((o) => o.code === 10)?.data;
    if (cookie) out += `; COOKIE: ${answer.cookie.toString("hex")} (${cookie.equals(answer.cookie) ? "echoed" : "good"})\n`;
  }
  out += `;; QUESTION SECTION:\n;${columns([[absolute(name), 0], ["IN", 32], [type, 40]])}\n\n`;
  for (const [title, records] of [["ANSWER", reply.answers], ["AUTHORITY", reply.authorities], ["ADDITIONAL", additionals]] as const) {
    if (records?.length) out += `;; ${title} SECTION:\n${records.map(recordLine).join("\n")}\n\n`;
  }
  out += `;; Query time: 0 msec\n;; SERVER: ${server}#53(${server})\n;; WHEN: ${formatDate(now, "%a %b %d %H:%M:%S %Z %Y")}\n;; MSG SIZE  rcvd: ${answer.size}\n\n`;
  return out;
}

interface DigArgs {
  name: string;
  type: string;
  server?: string;
  short: boolean;
  error?: string;
}

function digArgs(args: string[]): DigArgs {
  const parsed: DigArgs = { name: "", type: "A", short: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("@")) parsed.server = arg.slice(1);
    else if (arg === "+short") parsed.short = true;
    else if (arg.startsWith("+")) continue; // display and query options the playground does not model change nothing here
    else if (arg === "-t") parsed.type = (args[++i] ?? "").toUpperCase();
    else if (arg === "-x") {
      parsed.name = reverseName(args[++i] ?? "");
      parsed.type = "PTR";
    } else if (arg.startsWith("-")) return { ...parsed, error: `Invalid option: ${arg}` };
    else if (QUERY_TYPES.has(arg.toUpperCase()) && parsed.name !== "") parsed.type = arg.toUpperCase();
    else if (QUERY_TYPES.has(arg.toUpperCase()) && parsed.name === "" && args.slice(i + 1).some((a) => !a.startsWith("+") && !a.startsWith("@"))) parsed.type = arg.toUpperCase();
    else parsed.name = arg;
  }
  if (parsed.type && !QUERY_TYPES.has(parsed.type)) return { ...parsed, error: `dig: querying ${parsed.type} records is not simulated by the playground` };
  return parsed;
}

const dig: Program = async (p) => {
  const args = digArgs(p.argv.slice(1));
  if (args.error) {
    p.stderr.write(args.error + "\n");
    return 1;
  }
  const c = p.container;
  const server = args.server ?? c.nameserver;
  const name = args.name || ".";
  const type = args.name ? args.type : "NS";
  if (!args.short) p.stdout.write(`\n; <<>> DiG ${DIG_VERSION} <<>> ${p.argv.slice(1).join(" ")}\n;; global options: +cmd\n`);
  const answer = await ask(p, name.replace(/\.$/, "") || ".", type, server);
  if (!answer) {
    p.stdout.write(";; connection timed out; no servers could be reached\n");
    return NO_REPLY_EXIT_CODE;
  }
  if (args.short) {
    for (const r of answer.reply.answers ?? []) p.stdout.write(rdata(r) + "\n");
    return 0;
  }
  p.stdout.write(fullAnswer(name, type, answer, server, c.ctx.clock.now()));
  return 0;
};

/** host(1): the search list for relative names, one line per record. */
const host: Program = async (p) => {
  const args = p.argv.slice(1);
  let type = "A";
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-t") type = (args[++i] ?? "A").toUpperCase();
    else if (!args[i].startsWith("-")) operands.push(args[i]);
  }
  const name = operands[0];
  if (!name) {
    p.stderr.write("Usage: host [-t type] hostname [server]\n");
    return 1;
  }
  const c: ContainerView = p.container;
  const reverse = isIP(name) === 4;
  const candidates = reverse ? [reverseName(name)] : searchCandidates(name, c.searchDomains);
  for (const candidate of candidates) {
    const answer = await ask(p, candidate, reverse ? "PTR" : type, c.nameserver);
    if (!answer) {
      p.stdout.write(`;; connection timed out; no servers could be reached\n`);
      return 1;
    }
    const rcode = (answer.reply.flags ?? 0) & 0xf;
    if (rcode !== 0) continue;
    for (const r of answer.reply.answers ?? []) {
      const owner = r.name;
      if (r.type === "A") p.stdout.write(`${owner} has address ${rdata(r)}\n`);
      else if (r.type === "SRV") p.stdout.write(`${owner} has SRV record ${rdata(r)}\n`);
      else if (r.type === "PTR") p.stdout.write(`${owner} domain name pointer ${rdata(r)}\n`);
      else p.stdout.write(`${owner} has ${r.type} record ${rdata(r)}\n`);
    }
    return 0;
  }
  p.stdout.write(`Host ${name} not found: 3(NXDOMAIN)\n`);
  return 1;
};

export const DNS_TOOLS: Record<string, Program> = { dig, host };
