import { timeField } from "../../k8s/time";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatusError } from "../store/errors";
import type { ProxyRequest } from "./deps";
import { pod, startTestApi, statefulSet } from "./testing/kit";

let t: Awaited<ReturnType<typeof startTestApi>>;
const proxied: { pod: string; port: string | undefined; req: ProxyRequest }[] = [];
beforeEach(async () => {
  proxied.length = 0;
  t = await startTestApi({
    proxy: async (p, port, req) => {
      if (p.metadata?.name === "down") throw new StatusError(503, "ServiceUnavailable", "error trying to reach service: dial tcp 10.1.1.9:8080: i/o timeout");
      proxied.push({ pod: p.metadata!.name!, port, req });
      return { status: 200, headers: { "x-app": "kubia" }, body: Buffer.from(`You've hit ${p.metadata?.name}\n`) };
    },
  });
});
afterEach(async () => {
  await t.api.stop();
});

const STS = "/apis/apps/v1/namespaces/default/statefulsets";
const PODS = "/api/v1/namespaces/default/pods";

function runningPod(name: string, ip: string, containers = ["c"]) {
  const created = t.ctx.store.create("pods", {
    ...pod(name),
    metadata: { name, namespace: "default", labels: { app: "web" } },
    spec: { nodeName: "k8s-node1", containers: containers.map((c) => ({ name: c, image: "luksa/kubia-pet", ports: [{ containerPort: 8080 }] })) },
  });
  return t.ctx.store.update(
    "pods",
    { ...created, status: { phase: "Running", podIP: ip, podIPs: [{ ip }], containerStatuses: containers.map((c) => ({ name: c, ready: true, restartCount: 0, image: "x", imageID: "", state: { running: { startedAt: timeField(Date.parse("2026-01-01T00:00:00Z")) } } })) } },
    { subresource: "status" },
  );
}

describe("scale", () => {
  it("reads and writes replicas through an autoscaling/v1 Scale", async () => {
    await t.call("POST", STS, { body: statefulSet("web") });
    const scale = (await t.call("GET", `${STS}/web/scale`)).body;
    expect(scale).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 2 }, status: { replicas: 0, selector: "app=web" } });
    const patched = await t.call("PATCH", `${STS}/web/scale`, { body: { spec: { replicas: 4 } }, headers: { "content-type": "application/merge-patch+json" } });
    expect(patched.body.spec.replicas).toBe(4);
    expect((await t.call("GET", `${STS}/web`)).body.spec.replicas).toBe(4);
    const put = await t.call("PUT", `${STS}/web/scale`, { body: { ...scale, spec: { replicas: 1 } } });
    expect(put.body).toMatchObject({ code: 409, reason: "Conflict" });
    const negative = await t.call("PATCH", `${STS}/web/scale`, { body: [{ op: "replace", path: "/spec/replicas", value: -1 }], headers: { "content-type": "application/json-patch+json" } });
    expect(negative.body.message).toBe('Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });
});

describe("logs", () => {
  it("reads a container's log, with tailLines and the kubelet's refusals", async () => {
    runningPod("a", "10.1.1.2");
    for (const line of ["one", "two", "three"]) t.ctx.logs.append("default", "a", "c", line);
    const all = await t.call("GET", `${PODS}/a/log`);
    expect(all.text).toBe("one\ntwo\nthree\n");
    expect(all.headers.get("content-type")).toContain("text/plain");
    expect((await t.call("GET", `${PODS}/a/log?tailLines=1`)).text).toBe("three\n");
    expect((await t.call("GET", `${PODS}/a/log?container=nope`)).body.message).toBe("container nope is not valid for pod a");
    runningPod("two", "10.1.1.3", ["x", "y"]);
    expect((await t.call("GET", `${PODS}/two/log`)).body.message).toBe("a container name must be specified for pod two, choose one of: [x y]");
    const created = t.ctx.store.create("pods", { ...pod("waiting"), metadata: { name: "waiting", namespace: "default" }, spec: { nodeName: "k8s-node1", containers: [{ name: "c", image: "x" }] } });
    t.ctx.store.update("pods", { ...created, status: { phase: "Pending", containerStatuses: [{ name: "c", ready: false, restartCount: 0, image: "x", imageID: "", state: { waiting: { reason: "ImagePullBackOff" } } }] } }, { subresource: "status" });
    const refused = await t.call("GET", `${PODS}/waiting/log`);
    expect(refused.body).toMatchObject({ code: 400, message: 'container "c" in pod "waiting" is waiting to start: trying and failing to pull image' });
  });

  it("follows a log until the pod is deleted", async () => {
    runningPod("a", "10.1.1.2");
    t.ctx.logs.append("default", "a", "c", "first");
    const res = await fetch(`${t.api.url}${PODS}/a/log?follow=true`);
    const reading = res.text();
    await new Promise((r) => setTimeout(r, 100));
    t.ctx.logs.append("default", "a", "c", "second");
    await new Promise((r) => setTimeout(r, 400));
    t.ctx.store.delete("pods", "default", "a", { gracePeriodSeconds: 0 });
    expect(await reading).toBe("first\nsecond\n");
  });
});

describe("proxy", () => {
  it("forwards pods/{name}[:port]/proxy/{path} with method, query and body", async () => {
    runningPod("a", "10.1.1.2");
    const res = await t.call("POST", `${PODS}/a:8080/proxy/data?x=1`, { body: "hello", headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(200);
    expect(res.text).toBe("You've hit a\n");
    expect(res.headers.get("x-app")).toBe("kubia");
    expect(proxied[0]).toMatchObject({ pod: "a", port: "8080", req: { method: "POST", path: "/data", query: "x=1" } });
    expect(proxied[0].req.body.toString()).toBe("hello");
    runningPod("down", "10.1.1.9");
    expect((await t.call("GET", `${PODS}/down/proxy/`)).body).toMatchObject({ code: 503, reason: "ServiceUnavailable" });
  });

  it("round-robins services/{name}:{port}/proxy over ready endpoints, 503 without any", async () => {
    runningPod("a", "10.1.1.2");
    runningPod("b", "10.1.2.2");
    t.ctx.store.create("services", { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
    const endpoint = (name: string, ip: string, ready: boolean) => ({ addresses: [ip], conditions: { ready }, targetRef: { kind: "Pod", name, namespace: "default" } });
    t.ctx.store.create("endpointslices.discovery.k8s.io", {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "web-abcde", namespace: "default", labels: { "kubernetes.io/service-name": "web" } },
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      endpoints: [endpoint("a", "10.1.1.2", true), endpoint("b", "10.1.2.2", true), endpoint("c", "10.1.3.2", false)],
    });
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push((await t.call("GET", "/api/v1/namespaces/default/services/web:http/proxy/")).text);
    expect(new Set(hits)).toEqual(new Set(["You've hit a\n", "You've hit b\n"]));
    expect(hits[0]).not.toBe(hits[1]);
    expect(proxied.every((p) => p.port === "8080")).toBe(true);
    expect((await t.call("GET", "/api/v1/namespaces/default/services/web:80/proxy/")).status).toBe(200);
    const unnamed = await t.call("GET", "/api/v1/namespaces/default/services/web/proxy/");
    expect(unnamed.body).toMatchObject({ code: 503, message: 'no endpoints available for service "web"' });
  });
});

describe("binding and eviction", () => {
  it("binds a pod once and evicts it gracefully", async () => {
    t.ctx.store.create("pods", { ...pod("a"), metadata: { name: "a", namespace: "default" } });
    const bound = await t.call("POST", `${PODS}/a/binding`, { body: { apiVersion: "v1", kind: "Binding", metadata: { name: "a" }, target: { kind: "Node", name: "k8s-node2" } } });
    expect(bound.status).toBe(201);
    const p = (await t.call("GET", `${PODS}/a`)).body;
    expect(p.spec.nodeName).toBe("k8s-node2");
    expect(p.status.conditions.find((c: { type: string }) => c.type === "PodScheduled").status).toBe("True");
    const again = await t.call("POST", `${PODS}/a/binding`, { body: { target: { kind: "Node", name: "k8s-node1" } } });
    expect(again.body.reason).toBe("Conflict");
    const evicted = await t.call("POST", `${PODS}/a/eviction`, { body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "a" } } });
    expect(evicted.status).toBe(201);
    expect((await t.call("GET", `${PODS}/a`)).body.metadata.deletionTimestamp).toBeTruthy();
  });
});

describe("playground.k8s.io", () => {
  it("advertises capabilities and reads and writes faults with validation", async () => {
    expect((await t.call("GET", "/apis/playground.k8s.io/v1")).body).toMatchObject({ kind: "APIResourceList", groupVersion: "playground.k8s.io/v1", resources: [] });
    expect((await t.call("GET", "/apis/playground.k8s.io/v1/capabilities")).body).toMatchObject({ nodeFailure: true, faults: true, speed: 1 });
    expect((await t.call("GET", "/apis/playground.k8s.io/v1/faults")).body).toEqual({ storageUnavailable: false, missingImages: [], brokenPodNetwork: false });
    const set = await t.call("PUT", "/apis/playground.k8s.io/v1/faults", { body: { brokenPodNetwork: true, missingImages: ["luksa/kubia-pet"] } });
    expect(set.body).toEqual({ storageUnavailable: false, missingImages: ["luksa/kubia-pet"], brokenPodNetwork: true });
    expect(t.ctx.faults.get().brokenPodNetwork).toBe(true);
    expect((await t.call("PUT", "/apis/playground.k8s.io/v1/faults", { body: { brokenPodNetwork: "yes" } })).status).toBe(400);
    expect((await t.call("PUT", "/apis/playground.k8s.io/v1/faults", { body: { nodeDown: true } })).status).toBe(400);
    expect((await t.call("PUT", "/apis/playground.k8s.io/v1/faults", { body: "[" })).status).toBe(400);
  });

  it("reads and changes the cluster clock's speed live, with validation", async () => {
    const speed = "/apis/playground.k8s.io/v1/speed";
    expect((await t.call("GET", speed)).body).toMatchObject({ speed: 1, paused: false, clusterTime: t.ctx.clock.now() });
    const slow = await t.call("PUT", speed, { body: { speed: 0.25 } });
    expect(slow.body).toMatchObject({ speed: 0.25, paused: false });
    t.ctx.clock.advance(4_000);
    expect((await t.call("GET", speed)).body.clusterTime).toBe(slow.body.clusterTime + 1_000);
    expect((await t.call("PUT", speed, { body: { paused: true } })).body).toMatchObject({ speed: 0.25, paused: true });
    const before = t.ctx.clock.now();
    t.ctx.clock.advance(60_000);
    expect(t.ctx.clock.now()).toBe(before);
    expect((await t.call("GET", "/apis/playground.k8s.io/v1/capabilities")).body).toMatchObject({ speed: 0.25 });
    for (const body of [{ speed: 0 }, { speed: -1 }, { speed: 101 }, { speed: "2" }, { paused: "yes" }, { rate: 2 }, "["]) {
      const res = await t.call("PUT", speed, { body });
      expect(res.status).toBe(400);
      expect(res.body.reason).toBe("BadRequest");
    }
    expect((await t.call("DELETE", speed)).status).toBe(405);
    expect(t.ctx.speed.state()).toMatchObject({ speed: 0.25, paused: true });
  });
});
