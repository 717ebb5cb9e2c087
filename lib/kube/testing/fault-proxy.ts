import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy between the dashboard and an API server that can lose watch events on purpose:
 * `holdWatches()` stops forwarding what open watches receive (the events are dropped, as on a
 * stalled connection), `endWatches()` then ends those watches cleanly, as an API server does at a
 * watch timeout. The informer re-watches from the last resourceVersion it saw, which by then may
 * be older than the server's history: the 410 path. Everything else passes through untouched.
 */
export interface FaultProxy {
  url: string;
  /** Watch requests seen, and the ones open now, per API path (without the query). */
  watchesOpened: Map<string, number>;
  openWatches(): Map<string, number>;
  /** Every request that went through, in order (method and path with query). */
  requests: { method: string; path: string }[];
  /** ERROR events with code 410 the upstream sent on watches (forwarded or not). */
  expiredWatches: number;
  holdWatches(): void;
  releaseWatches(): void;
  /** A network partition: open watches go silent, new requests are accepted and never answered. */
  partition(on: boolean): void;
  /** Ends every open watch cleanly (a terminated chunked response), dropping anything held. */
  endWatches(): void;
  close(): Promise<void>;
}

interface TrackedWatch {
  path: string;
  end(): void;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const watches = new Set<TrackedWatch>();
  const watchesOpened = new Map<string, number>();
  let holding = false;
  let partitioned = false;
  let expired = 0;
  const stranded = new Set<http.ServerResponse>();
  const requests: { method: string; path: string }[] = [];

  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "GET", path: req.url ?? "/" });
    if (requests.length > 100_000) requests.splice(0, 50_000);
    if (partitioned) {
      // Swallow the request: the client waits until its own timeout gives up.
      stranded.add(res);
      res.on("close", () => stranded.delete(res));
      req.resume();
      return;
    }
    const url = new URL(req.url ?? "/", "http://proxy");
    const isWatch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
    const upstreamReq = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        if (!isWatch) {
          upstreamRes.pipe(res);
          return;
        }
        res.flushHeaders();
        watchesOpened.set(url.pathname, (watchesOpened.get(url.pathname) ?? 0) + 1);
        const tracked: TrackedWatch = {
          path: url.pathname,
          end: () => {
            watches.delete(tracked);
            upstreamRes.destroy();
            res.end();
          },
        };
        watches.add(tracked);
        upstreamRes.on("data", (chunk: Buffer) => {
          if (chunk.toString("utf8").includes('"code":410')) expired++;
          if (!holding) res.write(chunk);
        });
        upstreamRes.on("end", () => {
          watches.delete(tracked);
          res.end();
        });
        upstreamRes.on("error", () => {
          watches.delete(tracked);
          res.destroy();
        });
        res.on("close", () => {
          watches.delete(tracked);
          upstreamRes.destroy();
        });
      },
    );
    upstreamReq.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.destroy();
    });
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    watchesOpened,
    openWatches() {
      const open = new Map<string, number>();
      for (const w of watches) open.set(w.path, (open.get(w.path) ?? 0) + 1);
      return open;
    },
    get expiredWatches() {
      return expired;
    },
    holdWatches() {
      holding = true;
    },
    releaseWatches() {
      holding = false;
    },
    partition(on: boolean) {
      partitioned = on;
      holding = on;
      if (!on) for (const res of [...stranded]) res.destroy();
    },
    endWatches() {
      for (const w of [...watches]) w.end();
      holding = false;
    },
    async close() {
      for (const res of [...stranded]) res.destroy();
      for (const w of [...watches]) w.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
