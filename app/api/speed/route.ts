import type { SpeedState } from "@/lib/k8s/speed";
import { getSpeed, setSpeed } from "@/lib/kube/actions/embedded";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { speedRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The embedded cluster's clock: speed, pause, cluster time. */
export async function GET(request: Request) {
  return handle(request, async (): Promise<SpeedState> => {
    return getSpeed(getRuntime());
  });
}

/** Slow motion, live. Body: { speed?: number (0 < speed ≤ 100), paused?: boolean }. */
export async function PUT(request: Request) {
  return handle(request, async (): Promise<SpeedState> => {
    const change = await readJson(request, speedRequestSchema);
    return setSpeed(getRuntime(), change);
  });
}
