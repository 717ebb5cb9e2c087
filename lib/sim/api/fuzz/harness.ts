import { request } from "node:http";
import { createStrategies } from "../../strategies";
import { RESOURCES, resourceKey } from "../../store/resources";
import type { RunningCluster } from "../../cluster";
import { decodeError } from "../decode";
import { modelOf } from "../fields";
import type { FuzzRequest } from "./requests";

/**
 * The invariants of the embedded API server's fuzz, checked against a running cluster:
 *  - no 5xx other than 429/503, and every non-streaming request answered (within 10 s);
 *  - another client keeps being answered within 1 s while the fuzz runs;
 *  - the process's heap stays under HEAP_BOUND_BYTES;
 *  - the stored state stays valid: every object passes the decoding of its kind and its validation.
 */

/** The memory ceiling the fuzz holds the process to (heap used, checked after every batch). */
export const HEAP_BOUND_BYTES = 768 * 1024 * 1024;
const PROBE_DEADLINE_MS = 1000;
const REQUEST_DEADLINE_MS = 10_000;
/** How long a streaming request (watch, followed log, proxy, exec) runs before the fuzz hangs up. */
const STREAM_MS = 150;

export interface FuzzStats {
  requests: number;
  byContentType: Record<string, number>;
  byStatus: Record<string, number>;
  maxHeapBytes: number;
  slowestProbeMs: number;
}

export function newStats(): FuzzStats {
  return { requests: 0, byContentType: {}, byStatus: {}, maxHeapBytes: 0, slowestProbeMs: 0 };
}

/**
 * Sends one request through node:http, so the path reaches the server as written (fetch would
 * resolve `..` and refuse TRACE); returns its status (0 when a streaming request was cut off by us).
 */
export function send(apiUrl: string, r: FuzzRequest, stats: FuzzStats): Promise<number> {
  const key = r.body === undefined ? "(no body)" : (r.contentType ?? "(none)");
  stats.byContentType[key] = (stats.byContentType[key] ?? 0) + 1;
  stats.requests += 1;
  const { hostname, port } = new URL(apiUrl);
  const describe = `${r.method} ${r.path.slice(0, 200)} (${r.contentType})`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (status: number | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (status instanceof Error) reject(status);
      else resolve(status);
    };
    const headers: Record<string, string> = { "user-agent": "fuzz" };
    if (r.contentType) headers["content-type"] = r.contentType;
    // Node's client sends a DELETE body neither chunked nor with a length unless told.
    if (r.body !== undefined) headers["content-length"] = String(Buffer.byteLength(r.body));
    const req = request({ host: hostname, port, method: r.method, path: r.path, headers }, (res) => {
      res.on("data", () => {});
      res.on("end", () => {
        stats.byStatus[res.statusCode!] = (stats.byStatus[res.statusCode!] ?? 0) + 1;
        finish(res.statusCode!);
      });
      res.on("error", () => finish(r.streaming ? 0 : new Error(`${describe}: response broken off`)));
    });
    const timer = setTimeout(() => finish(r.streaming ? 0 : new Error(`${describe}: no answer within 10 s`)), r.streaming ? STREAM_MS : REQUEST_DEADLINE_MS);
    // The server may answer (413, 429) and close before the whole body is written: not a failure.
    req.on("error", (e) => finish(r.streaming || settled ? 0 : new Error(`${describe}: ${e.message}`)));
    req.end(r.body);
  });
}

export function acceptableStatus(status: number): boolean {
  return status < 500 || status === 503 || status === 429 || status === 0;
}

/**
 * Another client's request while the fuzz runs: answered within a second. On a machine shared
 * with other work a single slow answer can be the scheduler's doing, so a slow probe is repeated
 * twice at once; only three slow answers in a row count as a server that stopped answering.
 */
export async function probe(apiUrl: string, stats: FuzzStats): Promise<void> {
  const timings: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    const res = await fetch(`${apiUrl}/api/v1/namespaces/default/pods?limit=1`, { headers: { "user-agent": "probe" }, signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`another client got ${res.status}`);
    timings.push(Math.round(ms));
    if (ms <= PROBE_DEADLINE_MS) {
      stats.slowestProbeMs = Math.max(stats.slowestProbeMs, ms);
      return;
    }
  }
  throw new Error(`another client waited over ${PROBE_DEADLINE_MS} ms three times in a row (${timings.join(", ")} ms)`);
}

export function checkHeap(stats: FuzzStats): void {
  const heap = process.memoryUsage().heapUsed;
  stats.maxHeapBytes = Math.max(stats.maxHeapBytes, heap);
  if (heap > HEAP_BOUND_BYTES) throw new Error(`heap ${Math.round(heap / 2 ** 20)} MiB over the ${HEAP_BOUND_BYTES / 2 ** 20} MiB bound`);
}

/** Every stored object decodes as its kind and passes its kind's validation. */
export function invalidStoredObjects(cluster: RunningCluster): string[] {
  const { store } = cluster.ctx;
  const strategies = createStrategies(store);
  const out: string[] = [];
  for (const rt of RESOURCES) {
    if (rt.group === "events.k8s.io") continue; // stored as core Events
    const key = resourceKey(rt);
    for (const obj of store.list(key).items) {
      const where = `${key} ${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
      const decode = decodeError(modelOf(rt), obj);
      if (decode) out.push(`${where}: ${decode}`);
      try {
        strategies.get(key)?.validate?.(structuredClone(obj), structuredClone(obj));
      } catch (e) {
        out.push(`${where}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
