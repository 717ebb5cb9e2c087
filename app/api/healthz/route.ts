import { healthAnswer } from "@/lib/kube/healthz";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Liveness / readiness for kubelet probes and the image's HEALTHCHECK: no token needed, nothing revealed. */
export async function GET(request: Request) {
  return healthAnswer(request);
}
