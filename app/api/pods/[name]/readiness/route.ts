import type { ActionResponse } from "@/lib/k8s/contract";
import { setReadinessFile } from "@/lib/kube/actions/pod-exec";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { parseName, podReadinessRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The readiness lesson's exec in the pod's container: { ready: false } creates the probe's file, { ready: true } removes it. */
export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(request, async (): Promise<ActionResponse> => {
    const name = parseName((await params).name, "name", "label");
    const { ready } = await readJson(request, podReadinessRequestSchema);
    return { action: await setReadinessFile(getRuntime(), name, ready) };
  });
}
