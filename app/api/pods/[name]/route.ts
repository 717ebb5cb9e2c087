import type { ActionResponse } from "@/lib/k8s/contract";
import { deletePod } from "@/lib/kube/actions/workloads";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { deletePodRequestSchema, parseName } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Delete a pod: graceful, with a grace period, or force (grace period 0). Body: { force?, gracePeriodSeconds? } */
export async function DELETE(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(request, async (): Promise<ActionResponse> => {
    const name = parseName((await params).name, "name", "label");
    const options = await readJson(request, deletePodRequestSchema);
    return { action: await deletePod(getRuntime(), name, options) };
  });
}
