import type { ActionResponse } from "@/lib/k8s/contract";
import { recoverNode } from "@/lib/kube/actions/embedded";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { emptyRequestSchema, parseName } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Bring a failed node back (embedded cluster only). Body: {} or none. */
export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(request, async (): Promise<ActionResponse> => {
    const name = parseName((await params).name, "name", "subdomain");
    await readJson(request, emptyRequestSchema);
    return { action: await recoverNode(getRuntime(), name) };
  });
}
