import * as dnsPacket from "dns-packet";
import type { Answer, DecodedPacket, OptAnswer, Packet } from "dns-packet";
import type { DnsRecord, Lookup, Rcode } from "./kubernetes";

/**
 * Turns a lookup into the reply CoreDNS would send: header flags as miekg/dns SetReply sets them
 * (id, opcode, RD and CD copied; AA when authoritative; never RA — the book's dig output shows
 * "recursion requested but not available"), the client's EDNS OPT echoed (request.SizeAndDo),
 * the `loadbalance` plugin's shuffling of address records, and truncation to what the client can
 * receive (miekg/dns Msg.Truncate). dns-packet does not compress names, so replies are larger
 * than CoreDNS's and truncate a little sooner; clients then retry over TCP as they would anyway.
 */

const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const OPCODE_MASK = 0xf << 11;
/** EDNS options CoreDNS echoes (request/edns.go supportedOptions): NSID, EXPIRE, COOKIE, TCP-KEEPALIVE, PADDING. */
const ECHOED_OPTIONS = new Set([3, 9, 10, 11, 12]);
/** RFC 1035: without EDNS a UDP reply is at most 512 bytes. */
const MIN_UDP_SIZE = 512;

export function requestOpt(query: DecodedPacket): OptAnswer | undefined {
  return query.additionals?.find((a): a is OptAnswer => a.type === "OPT");
}

/** The largest reply the client accepts on this transport. */
export function maxReplySize(query: DecodedPacket, transport: "udp" | "tcp"): number {
  if (transport === "tcp") return 65535;
  return Math.max(MIN_UDP_SIZE, requestOpt(query)?.udpPayloadSize ?? MIN_UDP_SIZE);
}

function replyOpt(query: DecodedPacket): OptAnswer | undefined {
  const opt = requestOpt(query);
  if (!opt) return undefined;
  return {
    name: ".",
    type: "OPT",
    udpPayloadSize: opt.udpPayloadSize,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0, // CoreDNS clears the flags (Hdr.Ttl &= 0xff00) when it reuses the request's OPT
    flag_do: false,
    options: (opt.options ?? []).filter((o) => ECHOED_OPTIONS.has(o.code as number)),
  };
}

/** The loadbalance plugin: CNAMEs first, other records, then A/AAAA shuffled, so clients spread over pods. */
export function loadBalance(records: DnsRecord[], random: () => number = Math.random): DnsRecord[] {
  const cname = records.filter((r) => r.type === "CNAME");
  const addresses = records.filter((r) => r.type === "A" || r.type === "AAAA");
  const rest = records.filter((r) => r.type !== "CNAME" && r.type !== "A" && r.type !== "AAAA");
  for (let i = addresses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [addresses[i], addresses[j]] = [addresses[j], addresses[i]];
  }
  return [...cname, ...rest, ...addresses];
}

function headerFlags(query: DecodedPacket, rcode: number, authoritative: boolean): number {
  let flags = (query.flags ?? 0) & OPCODE_MASK;
  if (query.flag_rd) flags |= dnsPacket.RECURSION_DESIRED;
  if (query.flag_cd) flags |= dnsPacket.CHECKING_DISABLED;
  if (authoritative) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  return flags | rcode;
}

/** Keeps whole records, in section order, while they fit; TC when anything was left out. */
function truncate(reply: Packet, opt: OptAnswer | undefined, maxSize: number): Packet {
  const withOpt = (extra: Answer[]) => (opt ? [...extra, opt] : extra);
  if (dnsPacket.encodingLength({ ...reply, additionals: withOpt(reply.additionals ?? []) }) <= maxSize) {
    return { ...reply, additionals: withOpt(reply.additionals ?? []) };
  }
  const kept: Packet = { ...reply, answers: [], authorities: [], additionals: [] };
  let full = false;
  for (const section of ["answers", "authorities", "additionals"] as const) {
    for (const record of reply[section] ?? []) {
      if (full) break;
      const next = [...kept[section]!, record];
      const candidate = { ...kept, [section]: next, additionals: withOpt(section === "additionals" ? next : kept.additionals!) };
      if (dnsPacket.encodingLength(candidate) > maxSize) full = true;
      else kept[section] = next;
    }
  }
  return { ...kept, flags: (kept.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, additionals: withOpt(kept.additionals!) };
}

export function buildReply(query: DecodedPacket, lookup: Lookup, maxSize: number, opts: { shuffle?: boolean } = {}): Buffer {
  const shuffle = opts.shuffle !== false && lookup.rcode === "NOERROR";
  const reply: Packet = {
    type: "response",
    id: query.id,
    flags: headerFlags(query, RCODES[lookup.rcode], lookup.authoritative),
    questions: query.questions,
    answers: shuffle ? loadBalance(lookup.answers) : lookup.answers,
    authorities: lookup.authorities,
    additionals: shuffle ? loadBalance(lookup.additionals) : lookup.additionals,
  };
  return dnsPacket.encode(truncate(reply, replyOpt(query), maxSize));
}

/** A reply with no records: FORMERR for what cannot be parsed, NOTIMP for opcodes other than QUERY. */
export function errorReply(query: DecodedPacket, rcode: Rcode): Buffer {
  return buildReply(query, { rcode, authoritative: false, answers: [], authorities: [], additionals: [] }, 65535, { shuffle: false });
}

/**
 * EDNS version > 0: BADVERS (extended rcode 16 = OPT extended-rcode 1 with header rcode 0) and the
 * version we speak, as CoreDNS's edns.Version answers before any plugin runs.
 */
export function badVersionReply(query: DecodedPacket): Buffer {
  const opt: OptAnswer = { name: ".", type: "OPT", udpPayloadSize: requestOpt(query)?.udpPayloadSize ?? MIN_UDP_SIZE, extendedRcode: 1, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
  return dnsPacket.encode({ type: "response", id: query.id, flags: headerFlags(query, 0, false), questions: query.questions, additionals: [opt] });
}
