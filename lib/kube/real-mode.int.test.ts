import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ActionResponse, ApiError, DnsResponse, Snapshot } from "@/lib/k8s/contract";
import { clusterOptionsFromEnv, startCluster } from "@/lib/sim/cluster";
import * as demoRoute from "@/app/api/demo/route";
import * as dnsRoute from "@/app/api/dns/route";
import * as failRoute from "@/app/api/nodes/[name]/fail/route";
import * as faultsRoute from "@/app/api/faults/route";
import * as snapshotRoute from "@/app/api/snapshot/route";
import { disposeRuntime, getRuntime, type PlaygroundRuntime } from "./runtime";

/**
 * "Real cluster" mode (PLAYGROUND_KUBECONFIG + PLAYGROUND_NAMESPACE) pointed at the embedded
 * cluster's API server, used here as any cluster: the playground namespace is created on first
 * use, the demo goes into it, DNS records are derived from EndpointSlices, and the embedded-only
 * operations are refused without reaching the API server.
 */
type Cluster = Awaited<ReturnType<typeof startCluster>>;
const HOST = "127.0.0.1:3000";
let dataDir: string;
let cluster: Cluster;
let runtime: PlaygroundRuntime;

const req = (method: string, url: string, body?: unknown) =>
  new Request(`http://${HOST}${url}`, {
    method,
    headers: { host: HOST, ...(method === "GET" ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function json<T>(res: Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "playground-real-"));
  cluster = await startCluster(clusterOptionsFromEnv({ PLAYGROUND_API_PORT: "0", PLAYGROUND_DNS_PORT: "0", PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: "50", PLAYGROUND_SEED_DEMO: "0" }));
  disposeRuntime();
  delete process.env.PLAYGROUND_EMBEDDED_KUBECONFIG;
  delete process.env.PLAYGROUND_MODE;
  process.env.PLAYGROUND_KUBECONFIG = cluster.kubeconfigPath;
  process.env.PLAYGROUND_NAMESPACE = "sts-playground";
  runtime = getRuntime();
  await runtime.whenSettled(30_000);
  await runtime.ready;
});

afterAll(async () => {
  disposeRuntime();
  delete process.env.PLAYGROUND_KUBECONFIG;
  delete process.env.PLAYGROUND_NAMESPACE;
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("real-cluster mode", () => {
  it("creates the playground namespace and reports a real cluster without embedded extras", async () => {
    expect(cluster.ctx.store.tryGet("namespaces", undefined, "sts-playground")).toBeDefined();
    const snap = await json<Snapshot>(snapshotRoute.GET(req("GET", "/api/snapshot")));
    expect(snap.cluster).toMatchObject({ mode: "real", namespace: "sts-playground", context: "playground", speed: 1 });
    expect(snap.cluster.capabilities).toMatchObject({ nodeFailure: false, faults: false, dnsServer: false });
    expect(snap.objects.statefulsets).toEqual([]);
  });

  it("creates the demo in the playground namespace only, and derives its DNS records", async () => {
    const res = await json<ActionResponse>(demoRoute.POST(req("POST", "/api/demo", { action: "create" })));
    expect(res.action.message).toMatch(/created/);
    expect(res.action.kubectl).toContain("-n sts-playground");
    expect(cluster.ctx.store.tryGet("statefulsets", "default", "kubia")).toBeUndefined();
    const ok = await runtime.hub.waitFor(
      () =>
        runtime.hub.list("endpointslices").some((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready).length === 2 && s.metadata?.labels?.["kubernetes.io/service-name"] === "kubia"),
      30_000,
    );
    expect(ok).toBe(true);
    const dns = await json<DnsResponse>(dnsRoute.GET(req("GET", "/api/dns?statefulset=kubia")));
    expect(dns.source).toBe("derived");
    const srv = dns.records.filter((r) => r.type === "SRV" && r.name === "kubia.sts-playground.svc.cluster.local").map((r) => r.data);
    expect(srv).toEqual(expect.arrayContaining([expect.stringMatching(/ kubia-0\.kubia\.sts-playground\.svc\.cluster\.local\.$/), expect.stringMatching(/ kubia-1\.kubia\.sts-playground\.svc\.cluster\.local\.$/)]));
    expect(dns.records.find((r) => r.name === "kubia-0.kubia.sts-playground.svc.cluster.local")?.data).toBe(runtime.hub.get("pods", "sts-playground", "kubia-0")?.status?.podIP);
  });

  it("refuses embedded-only operations with 403, never 5xx", async () => {
    const node = runtime.hub.list("nodes")[0]?.metadata?.name ?? "k8s-node1";
    const fail = await json<ApiError>(failRoute.POST(req("POST", `/api/nodes/${node}/fail`, {}), { params: Promise.resolve({ name: node }) }), 403);
    expect(fail.error.message).toMatch(/embedded/);
    await json<ApiError>(faultsRoute.GET(req("GET", "/api/faults")), 403);
    expect(cluster.ctx.store.tryGet("nodes", undefined, node)?.metadata?.annotations?.["playground.k8s.io/down"]).toBeUndefined();
  });
});
