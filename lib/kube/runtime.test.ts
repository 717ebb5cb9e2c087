import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { disposeRuntime, getRuntime } from "./runtime";
import { startFakeApiServer, statusBody, writeKubeconfig, type FakeApiServer, type RecordedRequest } from "./testing/fake-apiserver";

/**
 * The runtime's informers over real HTTP (client-node's Watch and our list requests) against a
 * scripted API server: forbidden cluster-scoped kinds, 410 relists, restarts after failures.
 */
let server: FakeApiServer;

const isWatch = (r: RecordedRequest) => new URL(r.path, "http://x").searchParams.get("watch") === "true";
const pathOf = (r: RecordedRequest) => new URL(r.path, "http://x").pathname;
const podList = (rv: string, names: string[]) =>
  JSON.stringify({
    kind: "PodList",
    apiVersion: "v1",
    metadata: { resourceVersion: rv },
    items: names.map((name) => ({ metadata: { name, namespace: "sts-playground", resourceVersion: rv, uid: `uid-${name}` } })),
  });

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeEach(async () => {
  disposeRuntime();
  server = await startFakeApiServer();
  process.env.PLAYGROUND_KUBECONFIG = writeKubeconfig(server.url, "runtime-test-token-000000");
  process.env.PLAYGROUND_NAMESPACE = "sts-playground";
});

afterEach(async () => {
  disposeRuntime();
  await server.close();
  delete process.env.PLAYGROUND_KUBECONFIG;
  delete process.env.PLAYGROUND_NAMESPACE;
});

describe("runtime against an API server", () => {
  it("creates the namespace when absent, and opens exactly one watch per kind", async () => {
    server.setHandler((req, res) => {
      if (req.method === "GET" && pathOf(req) === "/api/v1/namespaces/sts-playground" && !isWatch(req)) {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(statusBody(404, "NotFound", 'namespaces "sts-playground" not found'));
        return true;
      }
      if (req.method === "POST" && pathOf(req) === "/api/v1/namespaces") {
        res.writeHead(201, { "Content-Type": "application/json" });
        res.end(req.body);
        return true;
      }
    });
    const runtime = getRuntime();
    await runtime.whenSettled(5_000);
    await runtime.ready;
    const created = server.requests.find((r) => r.method === "POST" && pathOf(r) === "/api/v1/namespaces");
    expect(JSON.parse(created!.body).metadata.name).toBe("sts-playground");
    expect(runtime.hub.streamStatus().connected).toBe(true);
    const watches = server.requests.filter(isWatch).map(pathOf).sort();
    expect(watches).toEqual(
      [
        "/api/v1/namespaces/sts-playground/events",
        "/api/v1/namespaces/sts-playground/persistentvolumeclaims",
        "/api/v1/namespaces/sts-playground/pods",
        "/api/v1/namespaces/sts-playground/services",
        "/api/v1/nodes",
        "/api/v1/persistentvolumes",
        "/apis/apps/v1/namespaces/sts-playground/statefulsets",
        "/apis/discovery.k8s.io/v1/namespaces/sts-playground/endpointslices",
      ].sort(),
    );
    expect(runtime.clusterInfo()).toMatchObject({ mode: "real", namespace: "sts-playground", context: "fake-context", speed: 1 });
    expect(runtime.clusterInfo().capabilities).toMatchObject({ nodeFailure: false, faults: false, dnsServer: false, nodes: true, persistentVolumes: true });
  });

  it("works without nodes and PVs when a namespace-scoped Role forbids them", async () => {
    server.setHandler((req, res) => {
      const p = pathOf(req);
      if (p === "/api/v1/nodes" || p === "/api/v1/persistentvolumes") {
        res.writeHead(403, { "Content-Type": "application/json" });
        res.end(statusBody(403, "Forbidden", `${p.split("/").at(-1)} is forbidden: User "system:serviceaccount:sts-playground:sts-playground" cannot list resource`));
        return true;
      }
    });
    const runtime = getRuntime();
    await runtime.whenSettled(5_000);
    expect(runtime.clusterInfo().capabilities).toMatchObject({ nodes: false, persistentVolumes: false });
    expect(runtime.hub.streamStatus().connected).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Tried once each, never again.
    expect(server.requests.filter((r) => pathOf(r) === "/api/v1/nodes")).toHaveLength(1);
  });

  it("relists after a 410 on the watch and converges (a pod deleted meanwhile disappears)", async () => {
    let lists = 0;
    server.setHandler((req, res) => {
      if (pathOf(req) !== "/api/v1/namespaces/sts-playground/pods") return false;
      if (!isWatch(req)) {
        lists++;
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(lists === 1 ? podList("10", ["kubia-0", "kubia-1"]) : podList("20", ["kubia-0"]));
        return true;
      }
      if (lists === 1) {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version: 10 (15)" } }) + "\n");
        return true;
      }
      return false;
    });
    const runtime = getRuntime();
    await eventually(() => lists >= 2 && runtime.hub.list("pods").length === 1);
    expect(runtime.hub.list("pods").map((p) => p.metadata?.name)).toEqual(["kubia-0"]);
    const podWatchVersions = () =>
      server.requests.filter((r) => isWatch(r) && pathOf(r).endsWith("/pods")).map((r) => new URL(r.path, "http://x").searchParams.get("resourceVersion"));
    await eventually(() => podWatchVersions().length === 2);
    expect(podWatchVersions()).toEqual(["10", "20"]);
  });

  it("restarts with back-off after the watch fails, reporting the error meanwhile", async () => {
    let failures = 0;
    server.setHandler((req, res) => {
      if (pathOf(req) === "/api/v1/namespaces/sts-playground/services" && isWatch(req) && failures < 3) {
        failures++;
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(statusBody(500, "InternalError", "etcd is sad"));
        return true;
      }
    });
    const runtime = getRuntime();
    await eventually(() => runtime.hub.streamStatus().kinds.services.error !== undefined);
    expect(runtime.hub.streamStatus().connected).toBe(false);
    await eventually(() => runtime.hub.streamStatus().connected, 10_000);
    expect(failures).toBe(3);
    expect(runtime.informers.get("services")!.stats.openWatches).toBe(1);
  });

  it("reuses one runtime per process (hot reload safe)", () => {
    expect(getRuntime()).toBe(getRuntime());
  });
});
