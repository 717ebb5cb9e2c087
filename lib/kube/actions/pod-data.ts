import "server-only";
import type { PodDataResponse } from "@/lib/k8s/contract";
import { KubeApiError, parseKubeStatus } from "../errors";
import { kubeRequest, type KubeRequest } from "../request";
import type { PlaygroundRuntime } from "../runtime";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { runAction } from "./record";

/**
 * The kubia app of a pod, reached through the API server's `pods/proxy` subresource (the pod's
 * first container port, as the API server picks it): GET answers the pod's name and the data on
 * its volume, POST stores the body there. Only pods of the playground namespace, a bounded answer,
 * and a timeout (a broken pod network must not hang the dashboard).
 */
export const POD_PROXY_TIMEOUT_MS = 5_000;
export const POD_PROXY_MAX_BYTES = 64 * 1024;

function proxyPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/proxy/`;
}

async function callPod(runtime: PlaygroundRuntime, pod: string, req: Omit<KubeRequest, "path">): Promise<PodDataResponse> {
  const res = await kubeRequest(runtime.kc, {
    ...req,
    path: proxyPath(runtime.namespace, pod),
    timeoutMs: POD_PROXY_TIMEOUT_MS,
    maxResponseBytes: POD_PROXY_MAX_BYTES,
  });
  // A Status body is the API server speaking (pod not found, not running, unreachable), not the app.
  const status = res.contentType.includes("application/json") ? parseKubeStatus(res.body) : undefined;
  if (status && (status as { kind?: string }).kind === "Status" && res.status >= 400) {
    throw new KubeApiError(res.status, status, `the pod proxy answered ${res.status}`);
  }
  return { pod, status: res.status, body: res.truncated ? `${res.body}\n…(truncated)` : res.body };
}

export function readPodData(runtime: PlaygroundRuntime, pod: string): Promise<PodDataResponse> {
  return callPod(runtime, pod, { method: "GET" });
}

/** Writes a line to the pod's volume; recorded as an action so the console strip shows the equivalent command. */
export async function writePodData(runtime: PlaygroundRuntime, pod: string, data: string): Promise<PodDataResponse> {
  let response: PodDataResponse | undefined;
  await runAction(
    runtime,
    { action: "write-data", target: `pod/${pod}`, kubectl: kubectlFor.writeData(runtime.namespace, pod, data) },
    async () => {
      response = await callPod(runtime, pod, { method: "POST", body: data, contentType: "text/plain; charset=utf-8" });
      return `the kubia app of ${pod} answered ${response.status}`;
    },
  );
  return response!;
}
