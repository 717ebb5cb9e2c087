import type { V1EndpointSlice, V1Service, V1StatefulSet } from "@kubernetes/client-node";
import type { DnsRecord, DnsResponse } from "./contract";
import { serviceSelects } from "./labels";
import { kubectlFor } from "./kubectl";
import { podOrdinal } from "./ordinals";
import { SERVICE_NAME_LABEL } from "./wellknown";

/**
 * Cluster DNS names and the records CoreDNS's kubernetes plugin answers for a StatefulSet
 * (plugin/kubernetes + plugin/backend_lookup.go, kubeadm's Corefile: `ttl 30`). On a real cluster
 * the dashboard cannot ask the cluster's DNS from outside, so it derives the same answers from the
 * Services and EndpointSlices it watches; the embedded cluster runs a real DNS server instead.
 */

/** The cluster's DNS domain (kubelet --cluster-domain, kubeadm's default). */
export const clusterDomain = "cluster.local";
/** kubeadm's default Corefile sets `ttl 30` in the kubernetes block. */
export const DNS_TTL = 30;
/** kube-dns's ClusterIP on a kubeadm cluster (the 10th address of 10.96.0.0/12): every pod's nameserver. */
export const CLUSTER_DNS_IP = "10.96.0.10";
/** The `kubernetes` Service's ClusterIP: the first address of the service range. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

export function serviceDnsName(service: string, namespace: string, domain = clusterDomain): string {
  return `${service}.${namespace}.svc.${domain}`;
}

/** `kubia-0.kubia.default.svc.cluster.local`: a StatefulSet pod's stable name (hostname.subdomain). */
export function podDnsName(podName: string, serviceName: string, namespace: string, domain = clusterDomain): string {
  return `${podName}.${serviceDnsName(serviceName, namespace, domain)}`;
}

/** A pod's DNS name from its own spec.hostname / spec.subdomain, when it has both. */
export function podDnsNameOf(pod: { metadata?: { namespace?: string }; spec?: { hostname?: string; subdomain?: string } }, domain = clusterDomain): string | undefined {
  const hostname = pod.spec?.hostname;
  const subdomain = pod.spec?.subdomain;
  const namespace = pod.metadata?.namespace;
  if (!hostname || !subdomain || !namespace) return undefined;
  return podDnsName(hostname, subdomain, namespace, domain);
}

/** plugin/kubernetes endpointHostname: the endpoint's hostname, else its IP with dashes. */
export function endpointLabel(ip: string, hostname: string | undefined): string {
  if (hostname) return hostname;
  return ip.includes(".") ? ip.replaceAll(".", "-") : ip.replaceAll(":", "-");
}

interface Target {
  ip: string;
  port: number; // -1: no ports declared (A records yes, SRV no)
  portName: string;
  protocol: string;
  /** SRV target, e.g. kubia-0.kubia.default.svc.cluster.local */
  domain: string;
  hostname?: string;
}

const isIPv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/** The Service's ClusterIPs, without "None" (a headless Service has none). */
export function clusterIPs(service: V1Service): string[] {
  const ips = service.spec?.clusterIPs?.length ? service.spec.clusterIPs : service.spec?.clusterIP ? [service.spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== "None");
}

/** A headless Service (clusterIP None): its name resolves to its endpoints, not to a virtual IP. */
export function isHeadless(service: V1Service): boolean {
  return service.spec?.clusterIP === "None";
}

/**
 * What a service name points at (findServices): for a headless service every ready endpoint
 * address × port (CoreDNS keeps only endpoints whose `conditions.ready` is unset or true — with
 * publishNotReadyAddresses the EndpointSlice controller marks them all ready), else the ClusterIP × service ports.
 */
function serviceTargets(service: V1Service, slices: V1EndpointSlice[], domain: string): Target[] {
  const name = service.metadata?.name ?? "";
  const namespace = service.metadata?.namespace ?? "";
  const base = serviceDnsName(name, namespace, domain);
  if (!isHeadless(service)) {
    const ports = service.spec?.ports?.length ? service.spec.ports : [{ port: -1, name: "", protocol: "TCP" }];
    return ports.flatMap((p) => clusterIPs(service).map((ip) => ({ ip, port: p.port, portName: p.name ?? "", protocol: p.protocol ?? "TCP", domain: base })));
  }
  const targets: Target[] = [];
  for (const slice of slices) {
    if (slice.metadata?.namespace !== namespace || slice.metadata?.labels?.[SERVICE_NAME_LABEL] !== name) continue;
    if (slice.addressType === "FQDN") continue;
    const ports = slice.ports?.length ? slice.ports : [{ port: -1, name: "", protocol: "TCP" }];
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const ip of endpoint.addresses ?? []) {
        const label = endpointLabel(ip, endpoint.hostname ?? undefined);
        for (const p of ports) {
          targets.push({
            ip,
            port: p.port ?? -1,
            portName: p.name ?? "",
            protocol: p.protocol ?? "TCP",
            domain: `${label}.${base}`,
            ...(endpoint.hostname ? { hostname: endpoint.hostname } : {}),
          });
        }
      }
    }
  }
  return targets;
}

/** plugin.SRV: weight = 100 / number of targets of the same priority (all 0 here), at least 1. */
function srvRecords(qname: string, targets: Target[]): DnsRecord[] {
  const weight = Math.max(1, Math.floor(100 / Math.max(1, targets.length)));
  const seen = new Set<string>();
  const records: DnsRecord[] = [];
  for (const t of targets) {
    if (t.port === -1 || seen.has(`${t.domain}|${t.port}`)) continue;
    seen.add(`${t.domain}|${t.port}`);
    records.push({ name: qname, type: "SRV", ttl: DNS_TTL, data: `0 ${weight} ${t.port} ${t.domain}.` });
  }
  return records;
}

/** plugin.A: one record per distinct IPv4 address, named as asked. */
function aRecords(qname: string, targets: Target[]): DnsRecord[] {
  const ips = [...new Set(targets.map((t) => t.ip).filter(isIPv4))];
  return ips.map((ip) => ({ name: qname, type: "A", ttl: DNS_TTL, data: ip }));
}

/** Named ports as SRV query names: `_http._tcp.kubia.default.svc.cluster.local`. */
function namedPorts(targets: Target[]): { name: string; protocol: string }[] {
  const seen = new Map<string, { name: string; protocol: string }>();
  for (const t of targets) {
    if (t.portName && t.port !== -1) seen.set(`${t.portName}/${t.protocol}`, { name: t.portName, protocol: t.protocol });
  }
  return [...seen.values()];
}

function byOrdinalThenName(stsName: string) {
  const key = (hostname: string) => podOrdinal(hostname, stsName) ?? Number.MAX_SAFE_INTEGER;
  return (a: string, b: string) => key(a) - key(b) || a.localeCompare(b);
}

/** The command that prints the SRV records from inside the cluster, as in Kubernetes in Action. */
export function digCommand(qname: string, namespace: string): string {
  return kubectlFor.digSrv(namespace, qname);
}

export interface DeriveDnsInput {
  statefulSet: V1StatefulSet;
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
  domain?: string;
}

/**
 * What CoreDNS would answer for a StatefulSet, derived from watched objects: the governing
 * service's SRV records (all ports, then each named port), its A records, one A record per pod
 * hostname, and the A record of a ClusterIP service that selects the same pods (`kubia-public`).
 */
export function deriveDnsRecords({ statefulSet, services, endpointSlices, domain = clusterDomain }: DeriveDnsInput): DnsResponse {
  const namespace = statefulSet.metadata?.namespace ?? "default";
  const stsName = statefulSet.metadata?.name ?? "";
  const serviceName = statefulSet.spec?.serviceName || undefined;
  const inNamespace = services.filter((s) => s.metadata?.namespace === namespace);
  const governing = serviceName ? inNamespace.find((s) => s.metadata?.name === serviceName) : undefined;
  const podLabels = statefulSet.spec?.template?.metadata?.labels ?? {};
  const clusterIp = inNamespace.find((s) => s !== governing && !isHeadless(s) && s.spec?.type !== "ExternalName" && clusterIPs(s).length > 0 && serviceSelects(s, podLabels));

  const records: DnsRecord[] = [];
  const qname = serviceName ? serviceDnsName(serviceName, namespace, domain) : serviceDnsName(stsName, namespace, domain);
  if (governing && serviceName) {
    const targets = serviceTargets(governing, endpointSlices, domain);
    records.push(...srvRecords(qname, targets));
    for (const port of namedPorts(targets)) {
      const portName = `_${port.name}._${port.protocol.toLowerCase()}.${qname}`;
      records.push(...srvRecords(portName, targets.filter((t) => t.portName === port.name && t.protocol === port.protocol)));
    }
    records.push(...aRecords(qname, targets));
    if (isHeadless(governing)) {
      const hostnames = [...new Set(targets.flatMap((t) => (t.hostname ? [t.hostname] : [])))].sort(byOrdinalThenName(stsName));
      for (const hostname of hostnames) records.push(...aRecords(`${hostname}.${qname}`, targets.filter((t) => t.hostname === hostname)));
    }
  }
  if (clusterIp) {
    const name = serviceDnsName(clusterIp.metadata!.name!, namespace, domain);
    records.push(...aRecords(name, serviceTargets(clusterIp, [], domain)));
  }
  return {
    source: "derived",
    ...(serviceName ? { headlessService: serviceName } : {}),
    ...(clusterIp ? { clusterIpService: { name: clusterIp.metadata!.name!, clusterIP: clusterIPs(clusterIp)[0] } } : {}),
    records,
    dig: digCommand(qname, namespace),
  };
}

/** A record as dig prints it in the ANSWER section. */
export function digLine(record: DnsRecord): string {
  const name = record.name.endsWith(".") ? record.name : `${record.name}.`;
  return `${name}\t${record.ttl}\tIN\t${record.type}\t${record.data}`;
}
