import type { SimContext } from "../../context";
import { createStrategies } from "../../strategies";
import { createTestContext } from "../../testing/context";
import { createNodeRuntime, type NodeRuntime } from "../../node/runtime";
import type { RequestLimits } from "../limits";
import { type ApiServer, startApiServer } from "../server";

/** A decoded API response body; tests read arbitrary fields of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any API object, read by assertions
export type Json = any;

/** An API server over a test context (manual clock, no controllers) for handler tests. */
export async function startTestApi(opts: { proxy?: NodeRuntime["proxy"]; bookmarkIntervalMs?: number; limits?: Partial<RequestLimits> } = {}): Promise<{
  ctx: ReturnType<typeof createTestContext>;
  api: ApiServer;
  call(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: Json; text: string; headers: Headers }>;
}> {
  const ctx = createTestContext();
  for (const name of ["default", "kube-system"]) ctx.store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  const api = await startApiServer(ctx as SimContext, { port: 0, strategies: createStrategies(ctx.store), node: { ...createNodeRuntime(ctx as SimContext), ...(opts.proxy ? { proxy: opts.proxy } : {}) }, bookmarkIntervalMs: opts.bookmarkIntervalMs, limits: opts.limits });
  const call = async (method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) => {
    const body = init.body === undefined ? undefined : typeof init.body === "string" || Buffer.isBuffer(init.body) ? init.body : JSON.stringify(init.body);
    const res = await fetch(api.url + path, { method, body: body as BodyInit | undefined, headers: { "content-type": "application/json", ...(init.headers ?? {}) } });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as Json, text, headers: res.headers };
  };
  return { ctx, api, call };
}

/** Reads newline-delimited watch events from a streaming response until `count` arrived or the stream ends. */
export async function readWatchEvents(url: string, count: number, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<{ type: string; object: Json }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { type: string; object: Json }[] = [];
  try {
    const res = await fetch(url, { headers, signal: controller.signal });
    const reader = res.body!.getReader();
    let buffer = "";
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) events.push(JSON.parse(line));
      }
    }
  } catch (e) {
    if ((e as Error).name !== "AbortError") throw e;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

export function pod(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "web" } },
    spec: { containers: [{ name: "c", image: "luksa/kubia-pet", ports: [{ containerPort: 8080 }] }] },
    ...extra,
  };
}

export function statefulSet(name: string, replicas = 2): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name },
    spec: {
      serviceName: name,
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "luksa/kubia-pet" }] } },
    },
  };
}
