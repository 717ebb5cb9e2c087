import type {
  ActionResponse,
  ApiError,
  ContextList,
  DeletePodRequest,
  FaultsState,
  PodDataResponse,
  PodReadinessRequest,
  ScaleRequest,
  StatefulSetSettings,
} from "@/lib/k8s/contract";
import type { History } from "@/lib/k8s/replay";
import type { SpeedChange, SpeedState } from "@/lib/k8s/speed";

/**
 * The browser's calls to the dashboard's routes. Mutating calls always send a JSON body with
 * `Content-Type: application/json` (the server refuses anything else: a cross-site form cannot
 * send that without a CORS preflight). Failures throw ApiRequestError with the Kubernetes
 * `reason` and `message` the server passed through.
 */
/** The reason of the one failure the browser itself reports (the server never answered). */
export const NETWORK_ERROR_REASON = "NetworkError";

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly field?: string,
    /** For a NetworkError: the browser's own words, which the UI wraps in a translated sentence. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

function isApiError(body: unknown): body is ApiError {
  const error = (body as ApiError | undefined)?.error;
  return !!error && typeof error.reason === "string" && typeof error.message === "string";
}

async function parseError(res: Response): Promise<ApiRequestError> {
  const text = await res.text().catch(() => "");
  try {
    const body: unknown = JSON.parse(text);
    if (isApiError(body)) return new ApiRequestError(body.error.status ?? res.status, body.error.reason, body.error.message, body.error.field);
  } catch {
    // Not JSON: a proxy or a crashed server answered.
  }
  return new ApiRequestError(res.status, res.statusText || "Error", text.slice(0, 300) || `HTTP ${res.status}`);
}

export async function apiRequest<T>(path: string, init: { method?: "GET" | "POST" | "PUT" | "DELETE"; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: string | undefined;
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: init.signal, cache: "no-store", credentials: "same-origin" });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiRequestError(0, NETWORK_ERROR_REASON, `the dashboard server did not answer (${(err as Error).message})`, undefined, (err as Error).message);
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as T;
}

/** SWR fetcher. */
export const fetchJson = <T>(path: string): Promise<T> => apiRequest<T>(path);

const seg = encodeURIComponent;

export const api = {
  scale: (statefulSet: string, replicas: number) =>
    apiRequest<ActionResponse>(`/api/statefulsets/${seg(statefulSet)}/scale`, { method: "POST", body: { replicas } satisfies ScaleRequest }),
  deletePod: (pod: string, options: DeletePodRequest = {}) => apiRequest<ActionResponse>(`/api/pods/${seg(pod)}`, { method: "DELETE", body: options }),
  deletePvc: (pvc: string) => apiRequest<ActionResponse>(`/api/pvcs/${seg(pvc)}`, { method: "DELETE", body: {} }),
  readPodData: (pod: string) => apiRequest<PodDataResponse>(`/api/pods/${seg(pod)}/data`),
  writePodData: (pod: string, data: string) => apiRequest<PodDataResponse>(`/api/pods/${seg(pod)}/data`, { method: "POST", body: { data } }),
  failNode: (node: string) => apiRequest<ActionResponse>(`/api/nodes/${seg(node)}/fail`, { method: "POST", body: {} }),
  recoverNode: (node: string) => apiRequest<ActionResponse>(`/api/nodes/${seg(node)}/recover`, { method: "POST", body: {} }),
  podReadiness: (pod: string, ready: boolean) => apiRequest<ActionResponse>(`/api/pods/${seg(pod)}/readiness`, { method: "POST", body: { ready } satisfies PodReadinessRequest }),
  statefulSetSettings: (statefulSet: string, settings: StatefulSetSettings) =>
    apiRequest<ActionResponse>(`/api/statefulsets/${seg(statefulSet)}/settings`, { method: "POST", body: settings }),
  demo: (action: "create" | "reset" | "parallel") => apiRequest<ActionResponse>(`/api/demo`, { method: "POST", body: { action } }),
  faults: () => apiRequest<FaultsState>(`/api/faults`),
  setFaults: (patch: Partial<FaultsState>) => apiRequest<FaultsState>(`/api/faults`, { method: "PUT", body: patch }),
  useContext: (context: string) => apiRequest<{ list: ContextList }>(`/api/contexts`, { method: "POST", body: { context } }),
  setSpeed: (change: SpeedChange) => apiRequest<SpeedState>(`/api/speed`, { method: "PUT", body: change }),
  history: () => apiRequest<History>(`/api/history`),
};

/** What an alert shows for any thrown value. */
export function describeError(err: unknown): { reason: string; message: string; detail?: string } {
  if (err instanceof ApiRequestError) return { reason: err.reason, message: err.message, ...(err.detail !== undefined ? { detail: err.detail } : {}) };
  if (err instanceof Error) return { reason: err.name || "Error", message: err.message };
  return { reason: "Error", message: String(err) };
}
