import "server-only";
import type { V1Pod, V1Service, V1StatefulSet } from "@kubernetes/client-node";
import type { DnsResponse } from "@/lib/k8s/contract";
import { deriveDnsRecords, podDnsName, serviceDnsName } from "@/lib/k8s/dns";
import { serviceSelects } from "@/lib/k8s/labels";
import { podOrdinal } from "@/lib/k8s/ordinals";
import { notFound, PlaygroundError } from "../errors";
import { queryDns, type DnsQuestion } from "../dns-client";
import type { PlaygroundRuntime } from "../runtime";

/**
 * The DNS records of a StatefulSet: the governing headless service's SRV and A records, one A
 * record per pod (`kubia-0.kubia.default.svc.cluster.local`) and the A record of a ClusterIP
 * service selecting the same pods. On the embedded cluster they come from its DNS server (what
 * `dig` prints); on a real cluster the dashboard cannot reach the cluster DNS from outside, so
 * they are derived from the watched Services and EndpointSlices as CoreDNS would answer.
 */
function statefulSetOf(runtime: PlaygroundRuntime, name: string): V1StatefulSet {
  const statefulSet = runtime.hub.get("statefulsets", runtime.namespace, name);
  if (!statefulSet) throw notFound(`statefulsets.apps "${name}" not found`);
  return statefulSet;
}

function namespacedServices(runtime: PlaygroundRuntime): V1Service[] {
  return runtime.hub.list("services").filter((s) => s.metadata?.namespace === runtime.namespace);
}

/** The questions dig would ask for this StatefulSet, from what the hub knows exists. */
export function dnsQuestions(statefulSet: V1StatefulSet, services: V1Service[], pods: V1Pod[]): { questions: DnsQuestion[]; qname: string; clusterIp?: V1Service } {
  const namespace = statefulSet.metadata!.namespace!;
  const stsName = statefulSet.metadata!.name!;
  const serviceName = statefulSet.spec?.serviceName || undefined;
  const governing = serviceName ? services.find((s) => s.metadata?.name === serviceName) : undefined;
  const labels = statefulSet.spec?.template?.metadata?.labels ?? {};
  const clusterIp = services.find(
    (s) => s !== governing && s.spec?.clusterIP && s.spec.clusterIP !== "None" && s.spec.type !== "ExternalName" && serviceSelects(s, labels),
  );
  const qname = serviceDnsName(serviceName ?? stsName, namespace);
  const questions: DnsQuestion[] = [];
  if (serviceName) {
    questions.push({ name: qname, type: "SRV" });
    for (const port of governing?.spec?.ports ?? []) {
      if (port.name) questions.push({ name: `_${port.name}._${(port.protocol ?? "TCP").toLowerCase()}.${qname}`, type: "SRV" });
    }
    questions.push({ name: qname, type: "A" });
    const own = pods
      .filter((p) => p.metadata?.namespace === namespace && podOrdinal(p.metadata.name ?? "", stsName) !== undefined)
      .sort((a, b) => podOrdinal(a.metadata!.name!, stsName)! - podOrdinal(b.metadata!.name!, stsName)!);
    for (const pod of own) questions.push({ name: podDnsName(pod.metadata!.name!, serviceName, namespace), type: "A" });
  }
  if (clusterIp) questions.push({ name: serviceDnsName(clusterIp.metadata!.name!, namespace), type: "A" });
  return { questions, qname, clusterIp };
}

/** Embedded cluster: ask its DNS server. */
export async function dnsFromServer(runtime: PlaygroundRuntime, name: string): Promise<DnsResponse> {
  const port = runtime.dnsPort;
  if (!port) throw new PlaygroundError(503, "ServiceUnavailable", "the embedded cluster's DNS server port is not known");
  const statefulSet = statefulSetOf(runtime, name);
  const { questions, qname, clusterIp } = dnsQuestions(statefulSet, namespacedServices(runtime), runtime.hub.list("pods"));
  const records = await queryDns("127.0.0.1", port, questions);
  const headless = statefulSet.spec?.serviceName || undefined;
  return {
    source: "dns-server",
    ...(headless ? { headlessService: headless } : {}),
    ...(clusterIp ? { clusterIpService: { name: clusterIp.metadata!.name!, clusterIP: clusterIp.spec!.clusterIP! } } : {}),
    records,
    dig: `dig @127.0.0.1 -p ${port} SRV ${qname}`,
  };
}

/** The records for the DNS panel: from the DNS server (embedded) or derived from EndpointSlices (real). */
export async function dnsRecords(runtime: PlaygroundRuntime, name: string): Promise<DnsResponse> {
  if (runtime.settings.mode === "embedded") return dnsFromServer(runtime, name);
  return deriveDnsRecords({
    statefulSet: statefulSetOf(runtime, name),
    services: namespacedServices(runtime),
    endpointSlices: runtime.hub.list("endpointslices").filter((s) => s.metadata?.namespace === runtime.namespace),
  });
}
