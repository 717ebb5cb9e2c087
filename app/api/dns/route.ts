import type { DnsResponse } from "@/lib/k8s/contract";
import { dnsRecords } from "@/lib/kube/actions/dns";
import { badRequest } from "@/lib/kube/errors";
import { handle } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { parseName } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** DNS records of a StatefulSet's pods and services. Query: ?statefulset=name */
export async function GET(request: Request) {
  const handler = async ({ statefulset }: { statefulset?: string }): Promise<DnsResponse> => {
    if (statefulset === undefined) throw badRequest("statefulset: required", "statefulset");
    const name = parseName(statefulset, "statefulset", "label");
    const playground = getRuntime();
    await playground.whenSettled(5_000);
    return dnsRecords(playground, name);
  };
  return handle(request, handler, { query: ["statefulset"] });
}
