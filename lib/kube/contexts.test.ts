import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as contextsRoute from "@/app/api/contexts/route";
import * as streamRoute from "@/app/api/stream/route";
import { disposeRuntime, getRuntime } from "./runtime";
import { startFakeApiServer, type FakeApiServer } from "./testing/fake-apiserver";

/**
 * The context picker's server side against two fake API servers: names only, an explicit switch
 * that keeps the namespace, ends the open streams (browsers reconnect to the new context) and
 * stops the old context's watches; refusals for unknown names, bad bodies and single-context modes.
 */
const HOST = "127.0.0.1:3000";
const ENV_KEYS = ["PLAYGROUND_MODE", "PLAYGROUND_KUBECONFIG", "PLAYGROUND_CONTEXT", "PLAYGROUND_NAMESPACE", "PLAYGROUND_EMBEDDED_KUBECONFIG", "PLAYGROUND_TOKEN", "KUBERNETES_SERVICE_HOST"] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let alpha: FakeApiServer;
let beta: FakeApiServer;
let kubeconfig: string;

function twoContextKubeconfig(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "contexts-")), "kubeconfig");
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- { name: a, cluster: { server: "${alpha.url}" } }
- { name: b, cluster: { server: "${beta.url}" } }
users:
- { name: u, user: { token: secret-token-123 } }
contexts:
- { name: alpha, context: { cluster: a, user: u, namespace: ignored-ns } }
- { name: "arn:aws:eks:eu-west-1:1:cluster/beta", context: { cluster: b, user: u } }
current-context: alpha
`,
  );
  return file;
}

const get = (route: { GET: (r: Request) => Promise<Response> }, p: string) => route.GET(new Request(`http://${HOST}${p}`, { headers: { host: HOST } }));
const post = (body: string) =>
  contextsRoute.POST(new Request(`http://${HOST}/api/contexts`, { method: "POST", headers: { host: HOST, "content-type": "application/json" }, body }));

beforeAll(async () => {
  alpha = await startFakeApiServer();
  beta = await startFakeApiServer();
  kubeconfig = twoContextKubeconfig();
});

afterAll(async () => {
  disposeRuntime();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await alpha.close();
  await beta.close();
});

beforeEach(() => {
  disposeRuntime();
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, { PLAYGROUND_KUBECONFIG: kubeconfig, PLAYGROUND_CONTEXT: "alpha", PLAYGROUND_NAMESPACE: "class-1" });
  alpha.requests.length = 0;
  beta.requests.length = 0;
});

afterEach(() => disposeRuntime());

describe("GET /api/contexts", () => {
  it("lists the context names only, the one in use, and the namespace that applies to all", async () => {
    const res = await get(contextsRoute, "/api/contexts");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ current: "alpha", contexts: ["alpha", "arn:aws:eks:eu-west-1:1:cluster/beta"], switchable: true, namespace: "class-1" });
    for (const secret of [alpha.url, beta.url, "secret-token-123", "ignored-ns"]) expect(text).not.toContain(secret);
  });

  it("offers nothing to switch to on the embedded cluster", async () => {
    for (const k of ENV_KEYS) delete process.env[k];
    process.env.PLAYGROUND_EMBEDDED_KUBECONFIG = kubeconfig;
    const body = await (await get(contextsRoute, "/api/contexts")).json();
    expect(body).toMatchObject({ contexts: [body.current], switchable: false, namespace: "default" });
    const refused = await post('{"context":"alpha"}');
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.reason).toBe("Conflict");
  });
});

describe("POST /api/contexts", () => {
  it("switches explicitly: same namespace, the open streams end, the old context's watches stop", async () => {
    const stream = await get(streamRoute, "/api/stream");
    const reader = stream.body!.getReader();
    let text = "";
    while (!text.includes("event: snapshot")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"context":"alpha"');
    expect(alpha.requests.some((r) => r.path.startsWith("/api/v1/namespaces/class-1/pods"))).toBe(true);

    const res = await post('{"context":"arn:aws:eks:eu-west-1:1:cluster/beta"}');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.list).toMatchObject({ current: "arn:aws:eks:eu-west-1:1:cluster/beta", namespace: "class-1" });
    expect(body.action).toMatchObject({ action: "use-context", ok: true, kubectl: "kubectl --context arn:aws:eks:eu-west-1:1:cluster/beta get statefulsets,pods,pvc -n class-1" });

    // The stream of the old context ends: EventSource reconnects, to the new one.
    for (;;) if ((await reader.read()).done) break;
    const runtime = getRuntime();
    expect(runtime.clusterInfo()).toMatchObject({ mode: "real", context: "arn:aws:eks:eu-west-1:1:cluster/beta", namespace: "class-1" });
    await runtime.whenSettled(5_000);
    expect(beta.requests.some((r) => r.path.startsWith("/api/v1/namespaces/class-1/pods"))).toBe(true);
    expect(beta.requests.every((r) => !r.path.includes("/namespaces/") || r.path.includes("/namespaces/class-1"))).toBe(true);
    const alphaCount = alpha.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alpha.requests.length).toBe(alphaCount);
    // Never switched back silently: the next request still sees the chosen context.
    expect((await (await get(contextsRoute, "/api/contexts")).json()).current).toBe("arn:aws:eks:eu-west-1:1:cluster/beta");
  });

  it.each([
    ['{"context":"gamma"}', 400, "context"],
    ['{"context":""}', 400, "context"],
    ['{"context":"alpha\\u0000"}', 400, "context"],
    ['{"context":"alpha","namespace":"kube-system"}', 400, undefined],
    ['{"context":7}', 400, "context"],
    ["[]", 400, "body"],
  ])("refuses %s without switching", async (body, status, field) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const error = (await res.json()).error;
    if (field) expect(error.field).toBe(field);
    expect(getRuntime().clusterInfo().context).toBe("alpha");
  });
});
