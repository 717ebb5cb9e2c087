import type { ActionResponse } from "@/lib/k8s/contract";
import { createDemo, createParallelDemo, resetDemo } from "@/lib/kube/actions/demo";
import { handle, readJson } from "@/lib/kube/http";
import { getRuntime } from "@/lib/kube/runtime";
import { demoRequestSchema } from "@/lib/kube/validation";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Create the book's demo if absent, reset it, or add the ordering lesson's Parallel set. Body: { action: "create" | "reset" | "parallel" } */
export async function POST(request: Request) {
  return handle(request, async (): Promise<ActionResponse> => {
    const { action } = await readJson(request, demoRequestSchema);
    const playground = getRuntime();
    const run = { create: createDemo, reset: resetDemo, parallel: createParallelDemo }[action];
    return { action: await run(playground) };
  });
}
