import "server-only";
import { errorResponse, jsonResponse, readQuery } from "./http";
import { getRuntime } from "./runtime";
import { isSettingsError } from "./settings";

/**
 * `GET /api/healthz`: 200 `{"status":"ok"}` once the server can reach its configuration, 503 when
 * it has none (a misconfigured pod must not become ready). Kubelet probes and Docker's HEALTHCHECK
 * cannot carry PLAYGROUND_TOKEN, so this answers without it — and therefore says nothing else: no
 * cluster, namespace, context or error text (those are in the server's log and in /api/cluster).
 * Calling it also starts the watches, so the first viewer finds them warm. The cluster being
 * unreachable does not make the dashboard unready: explaining that to the viewer is its job.
 */
export function healthAnswer(request: Request): Response {
  try {
    readQuery(request, []);
  } catch (err) {
    return errorResponse(err);
  }
  try {
    getRuntime();
    return jsonResponse({ status: "ok" });
  } catch (err) {
    if (!isSettingsError(err)) throw err;
    return jsonResponse({ status: "unavailable" }, 503);
  }
}
