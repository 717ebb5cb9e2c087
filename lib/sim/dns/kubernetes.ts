import { isIP } from "node:net";
import type { Answer, OptAnswer, RecordType, SoaAnswer } from "dns-packet";
import type { Store } from "../store/store";
import { endpointsOf, endpointsWithIP, getService, namespaceExists, servicesWithClusterIP } from "./backend";
import { addressFromReverse, canonical, InvalidRequest, parseRequest, zoneOf, type RecordRequest } from "./names";
import { clusterIPs, endpointLabel, isHeadless } from "../../k8s/dns";

/**
 * Answers as CoreDNS's kubernetes plugin does under kubeadm's default Corefile
 * (`kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }`),
 * following plugin/kubernetes (kubernetes.go, handler.go, reverse.go, ns.go) and
 * plugin/backend_lookup.go. Names it would forward upstream are REFUSED: nothing leaves loopback.
 */

export type Rcode = "NOERROR" | "NXDOMAIN" | "SERVFAIL" | "REFUSED" | "NOTIMP" | "FORMERR";

/** A resource record (every answer type but the OPT pseudo-record). */
export type DnsRecord = Exclude<Answer, OptAnswer>;

export interface Lookup {
  rcode: Rcode;
  authoritative: boolean;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

export interface ZoneConfig {
  clusterDomain: string;
  ttl: number;
  /** Address of this DNS server, for NS records when there is no kube-system/kube-dns Service. */
  serverAddress: string;
  /** SOA serial: when the served data last changed (unix seconds), as CoreDNS's Modified(). */
  serial(): number;
}

/** errNoItems / errNsNotExposed / errInvalidRequest: the name does not exist (NXDOMAIN). */
class NameError extends Error {}

/** msg.Service: one thing a name points at, and the domain SRV targets use for it. */
interface Target {
  host: string; // an IP, or a name for ExternalName services
  port: number; // -1: none declared
  domain: string;
}

/** kubernetes.go DNSSchemaVersion, answered for TXT dns-version.<zone> with TTL 28800. */
const DNS_SCHEMA_VERSION = "1.1.0";

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const matchPortAndProtocol = (r: RecordRequest, name: string, protocol: string) =>
  (r.port === "" || eq(r.port, name)) && (r.protocol === "" || eq(r.protocol, protocol));

function findPods(store: Store, r: RecordRequest, zone: string): Target[] {
  const podName = r.service;
  if (!podName) return []; // NODATA
  // `pods insecure`: the name is the address (1-2-3-4.ns.pod.zone); only the namespace must exist.
  const ip = (podName.match(/-/g) ?? []).length === 3 && !podName.includes("--") ? podName.replaceAll("-", ".") : podName.replaceAll("-", ":");
  if (!isIP(ip)) throw new NameError();
  return [{ host: ip, port: -1, domain: `${podName}.${r.namespace}.pod.${zone}` }];
}

function findServices(store: Store, r: RecordRequest, zone: string): Target[] {
  if (!r.service) return []; // NODATA: "namespace.svc.zone"
  const svc = getService(store, r.namespace, r.service);
  if (!svc) throw new NameError();
  const base = `${svc.metadata!.name}.${svc.metadata!.namespace}.svc.${zone}`;
  const found: Target[] = [];
  let exists = false;
  if (svc.spec?.type === "ExternalName") {
    if (r.endpoint || !svc.spec.externalName) throw new NameError(); // has no endpoints
    return [{ host: svc.spec.externalName, port: -1, domain: base }];
  }
  if (isHeadless(svc) || r.endpoint) {
    for (const ep of endpointsOf(store, r.namespace, r.service)) {
      for (const addr of ep.addresses) {
        const label = endpointLabel(addr.ip, addr.hostname);
        if (r.endpoint && !eq(r.endpoint, label)) continue;
        for (const p of ep.ports) {
          if (!matchPortAndProtocol(r, p.name, p.protocol)) continue;
          exists = true;
          found.push({ host: addr.ip, port: p.port, domain: `${label}.${base}` });
        }
      }
    }
  } else {
    const ports = svc.spec?.ports?.length ? svc.spec.ports : [{ port: -1, name: "", protocol: "" }];
    for (const p of ports) {
      if (!matchPortAndProtocol(r, p.name ?? "", p.protocol ?? "TCP")) continue;
      exists = true;
      for (const ip of clusterIPs(svc)) found.push({ host: ip, port: p.port, domain: base });
    }
  }
  // A headless service without ready endpoints does not exist for CoreDNS: NXDOMAIN, not NODATA.
  if (!exists) throw new NameError();
  return found;
}

/** Kubernetes.Records: what a name under the cluster zone points at. */
function records(store: Store, qname: string, zone: string): Target[] {
  let r: RecordRequest;
  try {
    r = parseRequest(qname, canonical(zone));
  } catch (e) {
    if (e instanceof InvalidRequest) throw new NameError();
    throw e;
  }
  if (!r.podOrSvc) return [];
  if (!namespaceExists(store, r.namespace)) throw new NameError();
  return r.podOrSvc === "pod" ? findPods(store, r, zone) : findServices(store, r, zone);
}

/** ns.go nsAddrs: the kube-dns Service in front of CoreDNS, else the server's own address. */
function nameServers(store: Store, zone: string, config: ZoneConfig): { name: string; ip: string }[] {
  const kubeDns = getService(store, "kube-system", "kube-dns");
  const ips = kubeDns && !isHeadless(kubeDns) ? clusterIPs(kubeDns) : [];
  if (ips.length) return ips.map((ip) => ({ name: `kube-dns.kube-system.svc.${zone}`, ip }));
  return [{ name: `ns.dns.${zone}`, ip: config.serverAddress }];
}

function soa(zone: string, config: ZoneConfig): SoaAnswer {
  return {
    name: zone,
    type: "SOA",
    ttl: Math.min(config.ttl, 300),
    class: "IN",
    data: { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: config.serial(), refresh: 7200, retry: 1800, expire: 86400, minimum: config.ttl },
  };
}

function address(name: string, ip: string, ttl: number): DnsRecord {
  return { name, type: isIP(ip) === 6 ? "AAAA" : "A", ttl, class: "IN", data: ip };
}

/** Kubernetes.Services: Records, plus the special names ns.dns.<zone> and the zone apex. */
function services(store: Store, qname: string, qtype: RecordType, zone: string, config: ZoneConfig): Target[] {
  if (canonical(qname) === canonical(`ns.dns.${zone}`)) {
    return nameServers(store, zone, config).map((ns) => ({ host: ns.ip, port: -1, domain: ns.name }));
  }
  const found = records(store, qname, zone);
  // SRV for ExternalName services is not implemented by CoreDNS either.
  return qtype === "SRV" ? found.filter((t) => isIP(t.host)) : found;
}

/** plugin.A / plugin.AAAA: one address record per distinct IP, named as asked; ExternalName gives a CNAME. */
function addressRecords(store: Store, qname: string, qtype: "A" | "AAAA", zone: string, config: ZoneConfig): DnsRecord[] {
  const out: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const t of services(store, qname, qtype, zone, config)) {
    const family = isIP(t.host);
    if (!family) {
      // Real clusters add the upstream answer after the CNAME; with nothing to forward to, the CNAME is all there is.
      out.push({ name: qname, type: "CNAME", ttl: config.ttl, class: "IN", data: t.host });
      continue;
    }
    if ((family === 4) !== (qtype === "A") || seen.has(t.host)) continue;
    seen.add(t.host);
    out.push(address(qname, t.host, config.ttl));
  }
  return out;
}

/** plugin.SRV: weight = 100 / records of the same priority; addresses go to the additional section. */
function srvRecords(store: Store, qname: string, zone: string, config: ZoneConfig): { answers: DnsRecord[]; extra: DnsRecord[] } {
  const targets = services(store, qname, "SRV", zone, config);
  const weight = Math.max(1, Math.floor((100 / (100 * targets.length)) * 100));
  const answers: DnsRecord[] = [];
  const extra: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.port === -1) continue;
    if (!seen.has(`${t.domain}|${t.port}`)) {
      seen.add(`${t.domain}|${t.port}`);
      answers.push({ name: qname, type: "SRV", ttl: config.ttl, class: "IN", data: { priority: 0, weight, port: t.port, target: t.domain } });
    }
    if (!seen.has(`${t.domain}|${t.host}`)) {
      seen.add(`${t.domain}|${t.host}`);
      extra.push(address(t.domain, t.host, config.ttl));
    }
  }
  return { answers, extra };
}

/** The answer for a name in the cluster zone, by query type (handler.go ServeDNS). */
function clusterZone(store: Store, qname: string, qtype: RecordType, zone: string, config: ZoneConfig): { answers: DnsRecord[]; extra: DnsRecord[] } {
  const none = { answers: [], extra: [] };
  switch (qtype) {
    case "A":
    case "AAAA":
      return { answers: addressRecords(store, qname, qtype, zone, config), extra: [] };
    case "SRV":
      return srvRecords(store, qname, zone, config);
    case "TXT":
      // Only dns-version.<zone> has TXT data; CoreDNS answers NODATA for every other name, existing or not.
      if (canonical(qname) !== canonical(`dns-version.${zone}`)) return none;
      return { answers: [{ name: qname, type: "TXT", ttl: 28800, class: "IN", data: DNS_SCHEMA_VERSION }], extra: [] };
    case "CNAME": {
      const first = services(store, qname, qtype, zone, config)[0];
      if (!first || isIP(first.host)) return none;
      return { answers: [{ name: qname, type: "CNAME", ttl: config.ttl, class: "IN", data: first.host }], extra: [] };
    }
    case "SOA":
      return { answers: [soa(zone, config)], extra: [] }; // the zone's SOA, whatever name was asked
    case "NS":
      if (canonical(qname) === canonical(zone)) {
        const ns = nameServers(store, zone, config);
        const names = [...new Set(ns.map((n) => n.name))];
        return {
          answers: names.map((n) => ({ name: qname, type: "NS", ttl: config.ttl, class: "IN", data: n }) as DnsRecord),
          extra: ns.map((n) => address(n.name, n.ip, config.ttl)),
        };
      }
    // fallthrough: NS below the apex is answered like any other type
    default:
      // A "fake A lookup" tells NODATA (the name exists) from NXDOMAIN.
      services(store, qname, "A", zone, config);
      return none;
  }
}

/** reverse.go: PTR for a Service's ClusterIP, else for every ready endpoint with that address. */
function reversePointers(store: Store, qname: string, config: ZoneConfig): DnsRecord[] {
  const ip = addressFromReverse(qname);
  if (!ip) return [];
  const zone = config.clusterDomain;
  const svc = servicesWithClusterIP(store, ip)[0];
  const names = svc
    ? [`${svc.metadata!.name}.${svc.metadata!.namespace}.svc.${zone}`]
    : endpointsWithIP(store, ip).flatMap((ep) =>
        ep.addresses.filter((a) => a.ip === ip).map((a) => `${endpointLabel(a.ip, a.hostname)}.${ep.service}.${ep.namespace}.svc.${zone}`),
      );
  return [...new Set(names)].map((n) => ({ name: qname, type: "PTR", ttl: config.ttl, class: "IN", data: n }));
}

const refused = (): Lookup => ({ rcode: "REFUSED", authoritative: false, answers: [], authorities: [], additionals: [] });

/** Resolves one question against the store, the way CoreDNS + kubeadm's Corefile would. */
export function resolve(store: Store, qname: string, qtype: RecordType, config: ZoneConfig): Lookup {
  const cluster = canonical(config.clusterDomain);
  const matched = zoneOf(qname, [cluster, "in-addr.arpa", "ip6.arpa"]);
  if (!matched || qtype === "AXFR" || qtype === "IXFR") return refused(); // forward / transfer: not configured here
  if (matched !== cluster) {
    // Reverse zones: answered when the address is the cluster's; otherwise "fallthrough" to a forwarder we lack.
    const answers = qtype === "PTR" ? reversePointers(store, qname, config) : [];
    return answers.length ? { rcode: "NOERROR", authoritative: true, answers, authorities: [], additionals: [] } : refused();
  }
  // The zone keeps the case of the question, as CoreDNS does (`zone = qname[len(qname)-len(zone):]`).
  const name = qname.replace(/\.$/, "");
  const zone = name.slice(name.length - cluster.length);
  try {
    const { answers, extra } = clusterZone(store, name, qtype, zone, config);
    if (answers.length === 0) return { rcode: "NOERROR", authoritative: true, answers: [], authorities: [soa(zone, config)], additionals: [] };
    return { rcode: "NOERROR", authoritative: true, answers, authorities: [], additionals: extra };
  } catch (e) {
    if (!(e instanceof NameError)) throw e;
    return { rcode: "NXDOMAIN", authoritative: true, answers: [], authorities: [soa(zone, config)], additionals: [] };
  }
}
