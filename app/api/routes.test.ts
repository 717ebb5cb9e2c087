import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { disposeRuntime } from "@/lib/kube/runtime";
import { sessionValue, SESSION_COOKIE } from "@/lib/kube/security";
import { startFakeApiServer, statusBody, writeKubeconfig, type FakeApiServer } from "@/lib/kube/testing/fake-apiserver";
import * as catchAll from "./[...path]/route";
import * as cluster from "./cluster/route";
import * as contexts from "./contexts/route";
import * as demo from "./demo/route";
import * as dns from "./dns/route";
import * as faults from "./faults/route";
import * as history from "./history/route";
import * as nodeFail from "./nodes/[name]/fail/route";
import * as nodeRecover from "./nodes/[name]/recover/route";
import * as pod from "./pods/[name]/route";
import * as podData from "./pods/[name]/data/route";
import * as podReadiness from "./pods/[name]/readiness/route";
import * as pvc from "./pvcs/[name]/route";
import * as snapshot from "./snapshot/route";
import * as speed from "./speed/route";
import * as scale from "./statefulsets/[name]/scale/route";
import * as settings from "./statefulsets/[name]/settings/route";
import * as stream from "./stream/route";

/**
 * The route handlers called directly (no Next server): security checks, validation and namespace
 * confinement, with no cluster at all or against a fake API server that records what reaches it.
 */
type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Route {
  label: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  handler: Handler;
  name?: string;
  body?: string;
  query?: string;
}

const ROUTES: Route[] = [
  { label: "snapshot", method: "GET", path: "/api/snapshot", handler: snapshot.GET as Handler },
  { label: "stream", method: "GET", path: "/api/stream", handler: stream.GET as Handler },
  { label: "cluster", method: "GET", path: "/api/cluster", handler: cluster.GET as Handler },
  { label: "scale", method: "POST", path: "/api/statefulsets/kubia/scale", handler: scale.POST as Handler, name: "kubia", body: '{"replicas":1}' },
  { label: "settings", method: "POST", path: "/api/statefulsets/kubia/settings", handler: settings.POST as Handler, name: "kubia", body: '{"partition":1}' },
  { label: "delete pod", method: "DELETE", path: "/api/pods/kubia-0", handler: pod.DELETE as Handler, name: "kubia-0", body: '{"force":true}' },
  { label: "read data", method: "GET", path: "/api/pods/kubia-0/data", handler: podData.GET as Handler, name: "kubia-0" },
  { label: "write data", method: "POST", path: "/api/pods/kubia-0/data", handler: podData.POST as Handler, name: "kubia-0", body: '{"data":"hello"}' },
  { label: "pod readiness", method: "POST", path: "/api/pods/kubia-0/readiness", handler: podReadiness.POST as Handler, name: "kubia-0", body: '{"ready":false}' },
  { label: "delete pvc", method: "DELETE", path: "/api/pvcs/data-kubia-0", handler: pvc.DELETE as Handler, name: "data-kubia-0", body: "{}" },
  { label: "demo", method: "POST", path: "/api/demo", handler: demo.POST as Handler, body: '{"action":"create"}' },
  { label: "fail node", method: "POST", path: "/api/nodes/node-1/fail", handler: nodeFail.POST as Handler, name: "node-1", body: "{}" },
  { label: "recover node", method: "POST", path: "/api/nodes/node-1/recover", handler: nodeRecover.POST as Handler, name: "node-1", body: "{}" },
  { label: "get faults", method: "GET", path: "/api/faults", handler: faults.GET as Handler },
  { label: "set faults", method: "PUT", path: "/api/faults", handler: faults.PUT as Handler, body: '{"brokenPodNetwork":true}' },
  { label: "history", method: "GET", path: "/api/history", handler: history.GET as Handler },
  { label: "get speed", method: "GET", path: "/api/speed", handler: speed.GET as Handler },
  { label: "set speed", method: "PUT", path: "/api/speed", handler: speed.PUT as Handler, body: '{"speed":0.25}' },
  { label: "dns", method: "GET", path: "/api/dns", handler: dns.GET as Handler, query: "statefulset=kubia" },
  { label: "contexts", method: "GET", path: "/api/contexts", handler: contexts.GET as Handler },
  { label: "use context", method: "POST", path: "/api/contexts", handler: contexts.POST as Handler, body: '{"context":"fake-context"}' },
];

const HOST = "127.0.0.1:3000";

function call(route: Route, overrides: { headers?: Record<string, string>; name?: string; body?: string; query?: string } = {}) {
  const query = overrides.query ?? route.query;
  const url = `http://${HOST}${route.path}${query ? `?${query}` : ""}`;
  const body = overrides.body ?? route.body;
  const headers: Record<string, string> = { host: HOST, ...(route.method !== "GET" ? { "content-type": "application/json" } : {}), ...overrides.headers };
  const controller = new AbortController();
  const request = new Request(url, { method: route.method, headers, body: route.method === "GET" ? undefined : body, signal: controller.signal });
  const params = Promise.resolve(route.name !== undefined || overrides.name !== undefined ? { name: overrides.name ?? route.name!, path: "" } : {});
  return { promise: route.handler(request, { params: params as Promise<Record<string, string>> }), controller };
}

/** The whole answer as text; for the event stream, the first frames only (then the request is aborted). */
async function answer(route: Route, overrides: Parameters<typeof call>[1] = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const { promise, controller } = call(route, overrides);
  const res = await promise;
  let text: string;
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const reader = res.body!.getReader();
    text = "";
    while (!text.includes("event: snapshot")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    await reader.cancel();
  } else {
    text = await res.text();
  }
  return { status: res.status, text, headers: res.headers };
}

const ENV_KEYS = ["PLAYGROUND_TOKEN", "PLAYGROUND_KUBECONFIG", "PLAYGROUND_CONTEXT", "PLAYGROUND_NAMESPACE", "PLAYGROUND_MODE", "PLAYGROUND_EMBEDDED_KUBECONFIG", "KUBECONFIG", "PLAYGROUND_LOG"];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

function resetEnv() {
  for (const key of ENV_KEYS) delete process.env[key];
}

beforeEach(() => {
  disposeRuntime();
  resetEnv();
});

afterAll(() => {
  disposeRuntime();
  for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
});

describe("without a configured cluster", () => {
  it.each(ROUTES.map((r) => [r.label, r] as const))("%s answers 503 ServiceUnavailable JSON, not a crash", async (_, route) => {
    const { status, text } = await answer(route);
    expect(status).toBe(503);
    expect(JSON.parse(text).error.reason).toBe("ServiceUnavailable");
  });

  it("unknown API paths answer a JSON 404", async () => {
    const route: Route = { label: "unknown", method: "GET", path: "/api/v1/namespaces/kube-system/secrets", handler: catchAll.GET as Handler };
    const { status, text } = await answer(route);
    expect(status).toBe(404);
    expect(JSON.parse(text).error.reason).toBe("NotFound");
  });
});

describe("request security on every route", () => {
  const mutating = ROUTES.filter((r) => r.method !== "GET");

  it.each(ROUTES.map((r) => [r.label, r] as const))("%s refuses cross-site requests", async (_, route) => {
    expect((await answer(route, { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await answer(route, { headers: { origin: "http://evil.example" } })).status).toBe(403);
  });

  it.each(mutating.map((r) => [r.label, r] as const))("%s requires application/json (415)", async (_, route) => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", ""]) {
      const { status, text } = await answer(route, { headers: { "content-type": type } });
      expect(status, type).toBe(415);
      expect(JSON.parse(text).error.reason).toBe("UnsupportedMediaType");
    }
  });

  it.each(ROUTES.map((r) => [r.label, r] as const))("%s answers only on loopback Host names without a token", async (_, route) => {
    expect((await answer(route, { headers: { host: "evil.example:3000" } })).status).toBe(403);
  });

  it.each(ROUTES.map((r) => [r.label, r] as const))("%s requires the token when PLAYGROUND_TOKEN is set", async (_, route) => {
    process.env.PLAYGROUND_TOKEN = "a-long-enough-access-token-42";
    const lan = { host: "192.168.1.10:3000" };
    const none = await answer(route, { headers: lan });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).error.reason).toBe("Unauthorized");
    expect((await answer(route, { headers: { ...lan, authorization: "Bearer nope" } })).status).toBe(401);
    // With the token the request gets past security (503: still no cluster configured).
    expect((await answer(route, { headers: { ...lan, authorization: "Bearer a-long-enough-access-token-42" } })).status).toBe(503);
    const cookie = `${SESSION_COOKIE}=${sessionValue("a-long-enough-access-token-42")}`;
    expect((await answer(route, { headers: { ...lan, cookie } })).status).toBe(503);
  });
});

describe("input validation and namespace confinement", () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer();
  });
  afterAll(async () => {
    disposeRuntime();
    await server.close();
  });
  beforeEach(() => {
    process.env.PLAYGROUND_KUBECONFIG = writeKubeconfig(server.url, "token-for-confinement-tests");
    process.env.PLAYGROUND_NAMESPACE = "sts-playground";
  });
  afterEach(() => {
    disposeRuntime();
  });

  const named = ROUTES.filter((r) => r.name !== undefined);
  const SMUGGLED = ["kube-system/kubia", "..", "../kube-system", "kubia%2F..%2Fkube-system", "kubia/../../kube-system", "KUBIA", "kubia?namespace=x", "kubia;ns=x", "", " kubia"];

  it.each(named.map((r) => [r.label, r] as const))("%s refuses smuggled names with 400 naming the field, before reaching the cluster", async (_, route) => {
    const before = server.requests.filter((r) => r.method !== "GET").length;
    for (const name of SMUGGLED) {
      const { status, text } = await answer(route, { name });
      expect(status, name).toBe(400);
      expect(JSON.parse(text).error.field, name).toBe("name");
    }
    expect(server.requests.filter((r) => r.method !== "GET").length).toBe(before);
  });

  it.each(ROUTES.filter((r) => r.method !== "GET").map((r) => [r.label, r] as const))("%s refuses a namespace in the body", async (_, route) => {
    const body = JSON.stringify({ ...JSON.parse(route.body ?? "{}"), namespace: "kube-system" });
    const { status, text } = await answer(route, { body });
    expect(status).toBe(400);
    expect(JSON.parse(text).error.field).toBe("namespace");
  });

  it.each(ROUTES.map((r) => [r.label, r] as const))("%s refuses a namespace query parameter", async (_, route) => {
    const { status, text } = await answer(route, { query: [route.query, "namespace=kube-system"].filter(Boolean).join("&") });
    expect(status).toBe(400);
    expect(JSON.parse(text).error.field).toBe("namespace");
  });

  it("validates replicas against PLAYGROUND_MAX_REPLICAS", async () => {
    const route = ROUTES.find((r) => r.label === "scale")!;
    for (const body of ['{"replicas":51}', '{"replicas":-1}', '{"replicas":2.5}', '{"replicas":"2"}', "{}", '{"replicas":2,"extra":1}']) {
      const { status, text } = await answer(route, { body });
      expect(status, body).toBe(400);
      expect(JSON.parse(text).error.field).toBeDefined();
    }
  });

  it("accepts only allow-listed images and exactly one setting", async () => {
    const route = ROUTES.find((r) => r.label === "settings")!;
    const bodies = ['{"image":"evil/miner"}', '{"image":"luksa/kubia-pet-peers","partition":1}', "{}", '{"partition":-1}', '{"partition":51}', '{"whenScaled":"Keep"}', '{"whenDeleted":"Delete"}'];
    for (const body of bodies) {
      const { status } = await answer(route, { body });
      expect(status, body).toBe(400);
    }
  });

  it("every request that reached the API server stayed in the configured namespace", async () => {
    for (const route of ROUTES) await answer(route);
    const paths = server.requests.map((r) => new URL(r.path, "http://x").pathname);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      const inNamespace = p.startsWith("/api/v1/namespaces/sts-playground") || p.startsWith("/apis/apps/v1/namespaces/sts-playground/") || p.startsWith("/apis/discovery.k8s.io/v1/namespaces/sts-playground/");
      const clusterScopedRead = ["/api/v1/nodes", "/api/v1/persistentvolumes"].includes(p);
      // The runtime's health check (lib/kube/health.ts) reads /readyz, a non-resource URL.
      const healthCheck = p === "/readyz";
      expect(inNamespace || clusterScopedRead || healthCheck, p).toBe(true);
    }
    // Node and fault operations are embedded-only: on a real cluster they never reach the API server.
    expect(server.requests.some((r) => r.method === "PATCH" && r.path.startsWith("/api/v1/nodes"))).toBe(false);
  });
});

describe("credentials never leave the server", () => {
  const TOKEN = "FAKE-TOKEN-7f3a9c1e5d2b4a6890e1c3d5f7a9b2c4";
  const KEY_DATA = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tZmFrZWtleWRhdGE=";
  let server: FakeApiServer;

  beforeAll(async () => {
    // A hostile or misconfigured API server that quotes the credentials it received in every error.
    server = await startFakeApiServer((req, res) => {
      const url = new URL(req.path, "http://x");
      const auth = String(req.headers.authorization ?? "");
      if (url.searchParams.get("watch") === "true") return false;
      const raw = auth.replace(/^Bearer /, "");
      res.writeHead(403, { "Content-Type": "application/json", "X-Echo": auth });
      res.end(statusBody(403, "Forbidden", `user with token ${raw} (header "${auth}") cannot ${req.method} ${url.pathname}; key ${KEY_DATA}`));
      return true;
    });
  });
  afterAll(async () => {
    disposeRuntime();
    await server.close();
  });

  it("no response body or header, and no log line, contains the kubeconfig's token or key", async () => {
    process.env.PLAYGROUND_KUBECONFIG = writeKubeconfig(server.url, TOKEN, `    client-key-data: ${KEY_DATA}`);
    process.env.PLAYGROUND_LOG = "1";
    const logged: string[] = [];
    const spies = (["log", "warn", "error", "info"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(" "));
      }),
    );
    try {
      const texts: string[] = [];
      for (const route of ROUTES) {
        const { text, headers, status } = await answer(route);
        expect(status, route.label).toBeLessThan(600);
        texts.push(text, JSON.stringify([...headers]));
      }
      // Let the informers fail and log a few times too.
      await new Promise((resolve) => setTimeout(resolve, 300));
      texts.push((await answer(ROUTES[0])).text);
      const everything = [...texts, ...logged].join("\n");
      expect(server.requests.length).toBeGreaterThan(0);
      expect(everything).toContain("Forbidden");
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(KEY_DATA);
      expect(everything).not.toContain(TOKEN.slice(0, 24));
      // The kubeconfig's context name is shown, its server's credentials are not.
      expect(everything).toContain("fake-context");
    } finally {
      for (const spy of spies) spy.mockRestore();
      disposeRuntime();
    }
  });
});
