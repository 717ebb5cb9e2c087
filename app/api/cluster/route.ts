import type { ClusterInfo } from "@/lib/k8s/contract";
import { handle } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Which cluster, namespace and context (a name, never a credential), and what it can do. */
export async function GET(request: Request) {
  return handle(request, async (): Promise<ClusterInfo> => {
    const playground = getRuntime();
    await playground.whenSettled(5_000);
    return playground.clusterInfo();
  });
}
