import { handle, jsonTextResponse } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Replay: the namespace's watch events since the server started (bounded in number and age), over the state before them. */
export async function GET(request: Request) {
  return handle(request, async () => {
    const playground = getRuntime();
    await playground.whenSettled(5_000);
    return jsonTextResponse(playground.history.toJson(playground.hub.recentActions()));
  });
}
