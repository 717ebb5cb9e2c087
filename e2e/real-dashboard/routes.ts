/**
 * The dashboard's route handlers called in process, exactly as Next.js calls them: a Request with
 * what a same-origin browser sends (loopback Host, JSON content type on mutations), and the
 * dynamic segments as `params`. Nothing of the handlers or of lib/kube is mocked.
 */
import type { ActionResponse, ApiError, ClusterInfo, DnsResponse, FaultsState, Snapshot } from "@/lib/k8s/contract";
import * as catchAllRoute from "@/app/api/[...path]/route";
import * as clusterRoute from "@/app/api/cluster/route";
import * as demoRoute from "@/app/api/demo/route";
import * as dnsRoute from "@/app/api/dns/route";
import * as faultsRoute from "@/app/api/faults/route";
import * as failRoute from "@/app/api/nodes/[name]/fail/route";
import * as recoverRoute from "@/app/api/nodes/[name]/recover/route";
import * as podRoute from "@/app/api/pods/[name]/route";
import * as pvcRoute from "@/app/api/pvcs/[name]/route";
import * as snapshotRoute from "@/app/api/snapshot/route";
import * as scaleRoute from "@/app/api/statefulsets/[name]/scale/route";
import * as streamRoute from "@/app/api/stream/route";

const HOST = "127.0.0.1:3310";

export function request(method: string, url: string, body?: unknown): Request {
  return new Request(`http://${HOST}${url}`, {
    method,
    headers: { host: HOST, ...(method === "GET" ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const params = (name: string) => ({ params: Promise.resolve({ name }) });

export interface Answer<T> {
  status: number;
  body: T;
}

async function answer<T>(res: Promise<Response>): Promise<Answer<T>> {
  const r = await res;
  return { status: r.status, body: (await r.json()) as T };
}

/** Each route as a typed call; errors come back as { status, body: ApiError } to be asserted on. */
export const routes = {
  cluster: () => answer<ClusterInfo>(clusterRoute.GET(request("GET", "/api/cluster"))),
  snapshot: () => answer<Snapshot>(snapshotRoute.GET(request("GET", "/api/snapshot"))),
  demo: (action: "create" | "reset") => answer<ActionResponse | ApiError>(demoRoute.POST(request("POST", "/api/demo", { action }))),
  scale: (name: string, replicas: number) => answer<ActionResponse | ApiError>(scaleRoute.POST(request("POST", `/api/statefulsets/${name}/scale`, { replicas }), params(name))),
  deletePod: (name: string, body: { force?: boolean; gracePeriodSeconds?: number } = {}) =>
    answer<ActionResponse | ApiError>(podRoute.DELETE(request("DELETE", `/api/pods/${name}`, body), params(name))),
  deletePvc: (name: string) => answer<ActionResponse | ApiError>(pvcRoute.DELETE(request("DELETE", `/api/pvcs/${name}`, {}), params(name))),
  dns: (statefulset: string) => answer<DnsResponse | ApiError>(dnsRoute.GET(request("GET", `/api/dns?statefulset=${encodeURIComponent(statefulset)}`))),
  failNode: (name: string) => answer<ActionResponse | ApiError>(failRoute.POST(request("POST", `/api/nodes/${name}/fail`, {}), params(name))),
  recoverNode: (name: string) => answer<ActionResponse | ApiError>(recoverRoute.POST(request("POST", `/api/nodes/${name}/recover`, {}), params(name))),
  getFaults: () => answer<FaultsState | ApiError>(faultsRoute.GET(request("GET", "/api/faults"))),
  putFaults: (patch: Partial<FaultsState>) => answer<FaultsState | ApiError>(faultsRoute.PUT(request("PUT", "/api/faults", patch))),
  unknown: (method: "GET" | "POST", path: string) => answer<ApiError>(catchAllRoute[method](request(method, path, method === "GET" ? undefined : {}))),
  /** The event stream's Response (its body is read with lib/kube/testing/sse-client). */
  stream: () => streamRoute.GET(request("GET", "/api/stream")),
};

export function isApiError(body: unknown): body is ApiError {
  return typeof (body as ApiError | undefined)?.error?.reason === "string";
}

/** The action of a successful answer; a failed one throws with the route's reason and message. */
export function actionOf(res: Answer<ActionResponse | ApiError>): ActionResponse["action"] {
  if (isApiError(res.body)) throw new Error(`HTTP ${res.status} ${res.body.error.reason}: ${res.body.error.message}`);
  return res.body.action;
}
