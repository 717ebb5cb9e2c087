import http from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";

/**
 * A minimal stand-in for an API server, for unit tests of lib/kube and the routes that must not
 * depend on the embedded cluster: it records every request (method, path, headers, body) and
 * answers through a handler the test provides. Lists answer empty and watches stay open unless the
 * handler says otherwise.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type FakeHandler = (req: RecordedRequest, res: http.ServerResponse) => boolean | void;

export interface FakeApiServer {
  url: string;
  requests: RecordedRequest[];
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

export function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message });
}

export async function startFakeApiServer(handler?: FakeHandler): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  let current = handler;
  const openWatches = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(recorded);
      if (current?.(recorded, res)) return;
      const url = new URL(recorded.path, "http://x");
      res.setHeader("Content-Type", "application/json");
      if (url.searchParams.get("watch") === "true") {
        res.writeHead(200);
        res.flushHeaders();
        openWatches.add(res);
        res.on("close", () => openWatches.delete(res));
        return;
      }
      if (recorded.method === "GET") {
        res.end(JSON.stringify({ kind: "List", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: [] }));
        return;
      }
      res.writeHead(404);
      res.end(statusBody(404, "NotFound", "not found"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(h) {
      current = h;
    },
    async close() {
      for (const res of openWatches) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a kubeconfig for `server` (plain http, as kubectl accepts it) with a bearer token; returns its path. */
export function writeKubeconfig(server: string, token: string, extraUserFields = ""): string {
  const dir = mkdtempSync(path.join(tmpdir(), "kube-test-"));
  const file = path.join(dir, "kubeconfig");
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${server}
users:
- name: tester
  user:
    token: ${token}
${extraUserFields}
contexts:
- name: fake-context
  context:
    cluster: fake
    user: tester
current-context: fake-context
`,
  );
  return file;
}
