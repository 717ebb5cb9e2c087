/**
 * Query-name grammar of CoreDNS's kubernetes plugin (plugin/kubernetes/parse.go), without the
 * multicluster and zonal variants the default kubeadm Corefile does not enable.
 */

export interface RecordRequest {
  /** Named port of `_port._protocol.service.namespace.svc.zone`, underscore stripped. */
  port: string;
  protocol: string;
  /** Endpoint hostname of `endpoint.service.namespace.svc.zone`. */
  endpoint: string;
  service: string;
  namespace: string;
  /** "svc", "pod", or "" for apex-like names (cluster.local, svc.cluster.local). */
  podOrSvc: "" | "svc" | "pod";
}

/** The name is malformed for the zone: CoreDNS answers NXDOMAIN (errInvalidRequest). */
export class InvalidRequest extends Error {}

const EMPTY: RecordRequest = { port: "", protocol: "", endpoint: "", service: "", namespace: "", podOrSvc: "" };

/** Lower-cased name without the trailing dot: DNS names compare case-insensitively. */
export function canonical(name: string): string {
  return name.replace(/\.$/, "").toLowerCase();
}

/** The zone among `zones` that contains `qname` (longest wins), or undefined. */
export function zoneOf(qname: string, zones: string[]): string | undefined {
  const name = canonical(qname);
  return zones
    .filter((z) => name === z || name.endsWith("." + z))
    .sort((a, b) => b.length - a.length)[0];
}

/** Labels of `qname` left of `zone`, lower-cased. */
function labelsBelow(qname: string, zone: string): string[] {
  const name = canonical(qname);
  const base = name === zone ? "" : name.slice(0, name.length - zone.length - 1);
  return base ? base.split(".") : [];
}

const stripUnderscore = (s: string) => (s.startsWith("_") ? s.slice(1) : s);

/**
 * 1. `_port._protocol.service.namespace.svc.zone`
 * 2. `endpoint.service.namespace.svc.zone`
 * 3. `service.namespace.svc.zone` (and `a-b-c-d.namespace.pod.zone`)
 * Anything longer is invalid; anything shorter leaves fields empty.
 */
export function parseRequest(qname: string, zone: string): RecordRequest {
  const segs = labelsBelow(qname, zone);
  const r = { ...EMPTY };
  let last = segs.length - 1;
  if (last < 0) return r;
  if (segs.length === 1 && (segs[0] === "svc" || segs[0] === "pod")) return r; // apex-like: NODATA
  const kind = segs[last--];
  if (kind !== "svc" && kind !== "pod") throw new InvalidRequest(`invalid query name ${qname}`);
  r.podOrSvc = kind;
  if (last < 0) return r;
  r.namespace = segs[last--];
  if (last < 0) return r;
  r.service = segs[last--];
  if (last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[1]);
    r.port = stripUnderscore(segs[0]);
  } else throw new InvalidRequest(`query name too long: ${qname}`);
  return r;
}

/** `4.3.2.1.in-addr.arpa` → "1.2.3.4"; nibble names of ip6.arpa → the IPv6 address; else "". */
export function addressFromReverse(qname: string): string {
  const name = canonical(qname);
  if (name.endsWith(".in-addr.arpa")) {
    const parts = name.slice(0, -".in-addr.arpa".length).split(".");
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return "";
    return parts.reverse().join(".");
  }
  if (name.endsWith(".ip6.arpa")) {
    const nibbles = name.slice(0, -".ip6.arpa".length).split(".");
    if (nibbles.length !== 32 || nibbles.some((n) => !/^[0-9a-f]$/.test(n))) return "";
    const hex = nibbles.reverse().join("");
    return compressIPv6(hex.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, "")));
  }
  return "";
}

function compressIPv6(groups: string[]): string {
  // The longest run of zero groups becomes "::", as net.IP.String() prints it.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
}
