import type { ActionResponse } from "@/lib/k8s/contract";
import { createDemo, resetDemo } from "@/lib/kube/actions/demo";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { demoRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Create the book's demo if absent, or reset it. Body: { action: "create" | "reset" } */
export async function POST(request: Request) {
  return handle(request, async (): Promise<ActionResponse> => {
    const { action } = await readJson(request, demoRequestSchema);
    const playground = getRuntime();
    return { action: action === "create" ? await createDemo(playground) : await resetDemo(playground) };
  });
}
