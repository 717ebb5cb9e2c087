import type { PodDataResponse } from "@/lib/k8s/contract";
import { readPodData, writePodData } from "@/lib/kube/actions/pod-data";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { parseName, podDataRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Params = { params: Promise<{ name: string }> };

/** What the pod's kubia app answers: its name and the data on its volume (through the pod proxy). */
export async function GET(request: Request, { params }: Params) {
  return handle(request, async (): Promise<PodDataResponse> => {
    const name = parseName((await params).name, "name", "label");
    return readPodData(getRuntime(), name);
  });
}

/** Store a line on the pod's volume. Body: { data } */
export async function POST(request: Request, { params }: Params) {
  return handle(request, async (): Promise<PodDataResponse> => {
    const name = parseName((await params).name, "name", "label");
    const { data } = await readJson(request, podDataRequestSchema);
    return writePodData(getRuntime(), name, data);
  });
}
