import type { ActionResponse } from "@/lib/k8s/contract";
import { scaleStatefulSet } from "@/lib/kube/actions/workloads";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { maxReplicasFromEnv } from "@/lib/kube/settings";
import { parseName, scaleRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Scale a StatefulSet (scale subresource). Body: { replicas } */
export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(request, async (): Promise<ActionResponse> => {
    const name = parseName((await params).name, "name", "label");
    const { replicas } = await readJson(request, scaleRequestSchema(maxReplicasFromEnv()));
    return { action: await scaleStatefulSet(getRuntime(), name, replicas) };
  });
}
