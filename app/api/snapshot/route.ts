import type { Snapshot } from "@/lib/k8s/contract";
import { handle } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Every watched object of the namespace, the watch status, recent actions and the stream id to resume after. */
export async function GET(request: Request) {
  return handle(request, async (): Promise<Snapshot> => {
    const playground = getRuntime();
    await playground.whenSettled(5_000);
    return playground.hub.snapshot();
  });
}
