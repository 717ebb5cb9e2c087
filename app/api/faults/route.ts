import type { FaultsState } from "@/lib/k8s/contract";
import { getFaults, setFaults } from "@/lib/kube/actions/embedded";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { faultsRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The embedded cluster's injected faults. */
export async function GET(request: Request) {
  return handle(request, async (): Promise<FaultsState> => {
    return getFaults(getRuntime());
  });
}

/** Change some faults. Body: any subset of FaultsState. */
export async function PUT(request: Request) {
  return handle(request, async (): Promise<FaultsState> => {
    const patch = await readJson(request, faultsRequestSchema);
    return setFaults(getRuntime(), patch);
  });
}
