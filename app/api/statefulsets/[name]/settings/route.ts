import type { ActionResponse } from "@/lib/k8s/contract";
import { updateStatefulSetSettings } from "@/lib/kube/actions/settings";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { maxReplicasFromEnv } from "@/lib/kube/settings";
import { parseName, statefulSetSettingsSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** A lesson's change to a StatefulSet. Body: exactly one of { image } (allow-listed), { partition }, { whenScaled }, { readinessProbe: "file" | "none" }. */
export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return handle(request, async (): Promise<ActionResponse> => {
    const name = parseName((await params).name, "name", "label");
    const settings = await readJson(request, statefulSetSettingsSchema(maxReplicasFromEnv()));
    return { action: await updateStatefulSetSettings(getRuntime(), name, settings as Parameters<typeof updateStatefulSetSettings>[2]) };
  });
}
