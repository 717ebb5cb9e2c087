import type { IncomingMessage, ServerResponse } from "node:http";
import { StatusError } from "../store/errors";

/**
 * The API server's protections against too much at once, with its defaults:
 * --max-requests-inflight 400 and --max-mutating-requests-inflight 200 (long-running requests —
 * watches, exec, followed logs, proxies — are not counted; beyond the bound a request gets the
 * filter's plain-text 429 with `Retry-After: 1`), a bound on open watches per client (keyed by
 * User-Agent, since every learner's client is on loopback), and a bound on what a watch may
 * have buffered for a consumer that stopped reading (then the watch is closed, as the watch cache
 * drops a blocked watcher; the client re-lists and watches again).
 */
export interface RequestLimits {
  maxInflight: number;
  maxMutatingInflight: number;
  maxWatchesPerClient: number;
  /** Bytes a watch may have queued for a client that does not read. */
  maxWatchBacklogBytes: number;
}

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function limitsFromEnv(): RequestLimits {
  return {
    maxInflight: envInt("PLAYGROUND_MAX_REQUESTS_INFLIGHT", 400),
    maxMutatingInflight: envInt("PLAYGROUND_MAX_MUTATING_REQUESTS_INFLIGHT", 200),
    maxWatchesPerClient: envInt("PLAYGROUND_MAX_WATCHES_PER_CLIENT", 200),
    maxWatchBacklogBytes: 8 * 1024 * 1024,
  };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Requests the max-inflight filter leaves alone (its longRunningRequestCheck). */
export function isLongRunning(method: string, url: URL): boolean {
  const q = url.searchParams;
  if (method === "GET" && (q.get("watch") === "true" || q.get("watch") === "1" || url.pathname.includes("/watch/"))) return true;
  if (/\/(exec|attach|portforward|proxy)(\/|$)/.test(url.pathname)) return true;
  return url.pathname.endsWith("/log") && (q.get("follow") === "true" || q.get("follow") === "1");
}

export class InflightGate {
  private readonly counts = { readonly: 0, mutating: 0 };
  private readonly watches = new Map<string, number>();

  constructor(readonly limits: RequestLimits) {}

  /** Admits a request or answers it with 429; the returned release runs when the response ends. */
  admit(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const method = req.method ?? "GET";
    if (isLongRunning(method, url) || url.pathname === "/healthz" || url.pathname === "/readyz" || url.pathname === "/livez") return true;
    const kind = MUTATING.has(method) ? "mutating" : "readonly";
    const max = kind === "mutating" ? this.limits.maxMutatingInflight : this.limits.maxInflight;
    if (this.counts[kind] >= max) {
      tooManyRequests(res);
      return false;
    }
    this.counts[kind] += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.counts[kind] -= 1;
    };
    res.on("close", release);
    res.on("finish", release);
    return true;
  }

  /** Opens a watch for the client of `req`, or throws the 429 the bound gives; returns its release. */
  openWatch(req: IncomingMessage): () => void {
    const client = String(req.headers["user-agent"] ?? "");
    const open = this.watches.get(client) ?? 0;
    if (open >= this.limits.maxWatchesPerClient) {
      throw new StatusError(429, "TooManyRequests", `too many watches open for this client (limit is ${this.limits.maxWatchesPerClient})`, { retryAfterSeconds: 1 });
    }
    this.watches.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.watches.get(client) ?? 1) - 1;
      if (left <= 0) this.watches.delete(client);
      else this.watches.set(client, left);
    };
  }

  get inflight(): number {
    return this.counts.readonly + this.counts.mutating;
  }
}

/** The max-inflight filter's answer: http.Error's plain text with Retry-After. */
export function tooManyRequests(res: ServerResponse): void {
  res.writeHead(429, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Retry-After": "1" });
  res.end("Too many requests, please try again later.\n");
}
