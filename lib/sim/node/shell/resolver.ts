import { isIP } from "node:net";
import { type DnsRecord, resolve, type ZoneConfig } from "../../dns/kubernetes";
import { CLUSTER_DOMAIN } from "../hostname";
import type { ContainerView } from "./container";
import { type Process, sleep } from "./process";

/**
 * What the container reaches over the simulated pod network: the cluster DNS (the same answers as
 * lib/sim/dns) through the pod's resolv.conf search path, and the other pods' kubia apps through
 * the pod network, Services' cluster IPs (kube-proxy) and loopback. A broken pod network
 * (the `brokenPodNetwork` fault) or a dead node drops packets: lookups and connections time out.
 */

/** Linux gives up a TCP connect after ~127 s of SYN retries (tcp_syn_retries = 6). */
export const LINUX_CONNECT_TIMEOUT_MS = 127_000;
/** glibc's resolver: 5 s per try, 2 tries, for each name of the search list. */
export const RESOLVER_TRY_MS = 5_000;
export const RESOLVER_TRIES = 2;
/** bind's nslookup: three 5 s tries before ";; connection timed out". */
export const NSLOOKUP_TIMEOUT_MS = 15_000;

export function zone(container: ContainerView): ZoneConfig {
  return { clusterDomain: CLUSTER_DOMAIN, ttl: 30, serverAddress: container.nameserver, serial: () => 0 };
}

/** Packets leave the pod only when the pod network works (the pod's own node runs: we are in it). */
export function networkDown(container: ContainerView): boolean {
  return container.ctx.faults.get().brokenPodNetwork;
}

/** The names a resolver tries for `name` with `options ndots:5`: search domains first unless the name has 5 dots. */
export function searchCandidates(name: string, search: string[]): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const searched = search.map((d) => `${name}.${d}`);
  return (name.match(/\./g) ?? []).length >= 5 ? [name, ...searched] : [...searched, name];
}

export type Lookup = { name: string; records: DnsRecord[] } | { error: "NXDOMAIN" | "REFUSED" | "SERVFAIL" | "NODATA"; name: string };

/** Asks the cluster DNS for `name` along the search path, stopping at the first name that exists. */
export function lookup(container: ContainerView, name: string, type: "A" | "SRV" | "PTR"): Lookup {
  const candidates = type === "PTR" ? [name] : searchCandidates(name, container.searchDomains);
  const relative = candidates.length > 1 && candidates[0] !== name;
  let last: Lookup = { error: "NXDOMAIN", name };
  for (const candidate of candidates) {
    const answer = resolve(container.ctx.store, candidate, type, zone(container));
    if (answer.rcode === "NOERROR") {
      if (answer.answers.length) return { name: candidate, records: answer.answers };
      return { error: "NODATA", name: candidate };
    }
    // The playground has no upstream DNS (its CoreDNS refuses what it would forward). A short name
    // that is not in the cluster ("kubia-5.kubia" after a scale-down) is reported as the NXDOMAIN a
    // real cluster gives; only absolute names outside cluster.local are REFUSED.
    if (answer.rcode === "REFUSED" && relative) continue;
    if (answer.rcode !== "NXDOMAIN") last = { error: answer.rcode === "REFUSED" ? "REFUSED" : "SERVFAIL", name };
  }
  return last;
}

export function reverseName(ip: string): string {
  return ip.split(".").reverse().join(".") + ".in-addr.arpa";
}

/** getaddrinfo: /etc/hosts, then the cluster DNS along the search path (timing out when packets are dropped); undefined when the name does not resolve. */
export async function getaddrinfo(p: Process, host: string, signal: AbortSignal): Promise<string | undefined> {
  const c = p.container;
  if (isIP(host)) return host;
  if (host === "localhost") return "127.0.0.1";
  if (host === c.hostname || host === c.fqdn) return c.podIP;
  if (networkDown(c)) {
    await sleep(c, RESOLVER_TRY_MS * RESOLVER_TRIES * searchCandidates(host, c.searchDomains).length, signal);
    return undefined;
  }
  const result = lookup(c, host, "A");
  const address = "records" in result ? result.records.find((r) => r.type === "A") : undefined;
  return address?.data as string | undefined;
}
