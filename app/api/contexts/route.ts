import { listContexts, switchContext } from "@/lib/kube/contexts";
import { handle, readJson } from "@/lib/kube/http";
import { useContextRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The kubeconfig's context names (never a server or credential), which one is in use, and whether switching is possible. */
export async function GET(request: Request) {
  return handle(request, async () => listContexts());
}

/** Switch to another context of the kubeconfig, explicitly. Body: { context: string }. The namespace stays the same. */
export async function POST(request: Request) {
  return handle(request, async () => {
    const { context } = await readJson(request, useContextRequestSchema);
    return switchContext(context);
  });
}
