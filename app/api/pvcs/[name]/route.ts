import type { ActionResponse } from "@/lib/k8s/contract";
import { deletePvc } from "@/lib/kube/actions/workloads";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { emptyRequestSchema, parseName } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Delete a PersistentVolumeClaim (kept Terminating while a pod uses it). Body: {} or none. */
export async function DELETE(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(request, async (): Promise<ActionResponse> => {
    const name = parseName((await params).name, "name", "subdomain");
    await readJson(request, emptyRequestSchema);
    return { action: await deletePvc(getRuntime(), name) };
  });
}
