import "server-only";
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeApiError, PlaygroundError, parseKubeStatus } from "./errors";

/**
 * A raw request to the API server with the kubeconfig's transport and credentials (CA, client
 * certificate, bearer token, exec plugin, proxy) — for what the generated client cannot do:
 * a timeout, a bounded response size, the real status code of a proxied pod, and the embedded
 * cluster's own `playground.k8s.io` endpoints.
 */
export interface KubeRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute API path, e.g. `/api/v1/namespaces/default/pods`. Query parameters go in `query`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface KubeResponse {
  status: number;
  contentType: string;
  body: string;
  /** The response was longer than maxResponseBytes and was cut. */
  truncated: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export async function kubeRequest(kc: KubeConfig, req: KubeRequest): Promise<KubeResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new PlaygroundError(503, "ServiceUnavailable", "no current cluster in the kubeconfig");
  const url = new URL(cluster.server.replace(/\/+$/, "") + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const options: https.RequestOptions = {
    method: req.method ?? "GET",
    headers: {
      Accept: "application/json",
      ...(req.body !== undefined ? { "Content-Type": req.contentType ?? "application/json" } : {}),
    },
  };
  await kc.applyToHTTPSOptions(options);
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const transport = url.protocol === "http:" ? http : https;

  return new Promise<KubeResponse>((resolve, reject) => {
    const request = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on("data", (chunk: Buffer) => {
        if (truncated) return;
        if (size + chunk.length > maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size));
          size = maxBytes;
          truncated = true;
          // Stop reading: the rest of a huge answer is not worth the memory.
          res.destroy();
          finish();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          body: Buffer.concat(chunks).toString("utf8"),
          truncated,
        });
      };
      res.on("end", finish);
      res.on("error", (err) => {
        if (!finished) {
          clearTimeout(timer);
          reject(err);
        }
      });
    });
    const timer = setTimeout(() => {
      const err = new Error(`request timed out after ${timeoutMs} ms`);
      err.name = "AbortError";
      request.destroy(err);
    }, timeoutMs);
    request.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}

/** kubeRequest for JSON APIs: parses the answer, turns a non-2xx into a KubeApiError keeping the Status reason and message. */
export async function kubeJson<T>(kc: KubeConfig, req: KubeRequest): Promise<T> {
  const res = await kubeRequest(kc, req);
  if (res.status < 200 || res.status > 299) {
    throw new KubeApiError(res.status, parseKubeStatus(res.body), `the API server answered ${res.status} to ${req.method ?? "GET"} ${req.path}`);
  }
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw new PlaygroundError(502, "BadGateway", `the API server sent invalid JSON for ${req.path}`);
  }
}
