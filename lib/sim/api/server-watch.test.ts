import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, readWatchEvents, startTestApi } from "./testing/kit";

let t: Awaited<ReturnType<typeof startTestApi>>;
beforeEach(async () => {
  t = await startTestApi({ bookmarkIntervalMs: 100 });
});
afterEach(async () => {
  await t.api.stop();
});

const PODS = "/api/v1/namespaces/default/pods";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

function createPod(name: string, labels: Record<string, string> = { app: "web" }) {
  return t.ctx.store.create("pods", { ...pod(name), metadata: { name, namespace: "default", labels } });
}

describe("watch", () => {
  it("starts with ADDED for what exists when no resourceVersion is given, then streams changes", async () => {
    createPod("a");
    const events = readWatchEvents(`${t.api.url}${PODS}?watch=true`, 4);
    await new Promise((r) => setTimeout(r, 100));
    createPod("b");
    t.ctx.store.delete("pods", "default", "a");
    const got = await events;
    // A pod deleted with grace 0 is marked (deletionTimestamp) before it goes, as on kube-apiserver.
    expect(got.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["ADDED", "a"],
      ["ADDED", "b"],
      ["MODIFIED", "a"],
      ["DELETED", "a"],
    ]);
    expect(got[0].object).toMatchObject({ kind: "Pod", apiVersion: "v1" });
  });

  it("replays from a resourceVersion and filters by label selector (a relabel leaves as DELETED)", async () => {
    const a = createPod("a");
    createPod("b", { app: "other" });
    const events = readWatchEvents(`${t.api.url}${PODS}?watch=1&resourceVersion=${a.metadata.resourceVersion}&labelSelector=app%3Dweb`, 2);
    await new Promise((r) => setTimeout(r, 100));
    const current = t.ctx.store.get("pods", "default", "a");
    t.ctx.store.update("pods", { ...current, metadata: { ...current.metadata, labels: { app: "gone" } } });
    createPod("c");
    const got = await events;
    expect(got.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["DELETED", "a"],
      ["ADDED", "c"],
    ]);
  });

  it("answers a too old resourceVersion with an ERROR event carrying a 410 Expired Status", async () => {
    for (let i = 0; i < 2100; i++) {
      const p = createPod(`p${i}`);
      t.ctx.store.delete("pods", "default", p.metadata.name!);
    }
    const got = await readWatchEvents(`${t.api.url}${PODS}?watch=true&resourceVersion=3`, 1);
    expect(got[0].type).toBe("ERROR");
    expect(got[0].object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    expect(got[0].object.message).toMatch(/^too old resource version: 3 \(\d+\)$/);
  });

  it("sends BOOKMARK events when asked and ends at timeoutSeconds", async () => {
    const start = Date.now();
    const got = await readWatchEvents(`${t.api.url}${PODS}?watch=true&resourceVersion=${t.ctx.store.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`, 100, {}, 5000);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(got.length).toBeGreaterThanOrEqual(3);
    expect(got.every((e) => e.type === "BOOKMARK")).toBe(true);
    expect(got[0].object).toMatchObject({ kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(t.ctx.store.resourceVersion) } });
  });

  it("marks the end of initial events for sendInitialEvents=true", async () => {
    createPod("a");
    const got = await readWatchEvents(`${t.api.url}${PODS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, 2);
    expect(got[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "a" } } });
    expect(got[1]).toMatchObject({ type: "BOOKMARK", object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } } });
  });

  it("streams Tables for kubectl get -w: column definitions only in the first event", async () => {
    createPod("a");
    const events = readWatchEvents(`${t.api.url}${PODS}?watch=true`, 2, { accept: TABLE });
    await new Promise((r) => setTimeout(r, 100));
    createPod("b");
    const got = await events;
    expect(got[0].object.kind).toBe("Table");
    expect(got[0].object.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"]);
    expect(got[1].object.columnDefinitions).toBeNull();
    expect(got[1].object.rows[0].cells.slice(0, 3)).toEqual(["b", "0/1", "Pending"]);
    expect(got[1].object.rows[0].object).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "b" } });
  });

  it("watches one object on its item path and via the legacy /watch/ prefix", async () => {
    createPod("a");
    createPod("b");
    const item = await readWatchEvents(`${t.api.url}${PODS}/b?watch=true`, 1);
    expect(item.map((e) => e.object.metadata.name)).toEqual(["b"]);
    const legacy = await readWatchEvents(`${t.api.url}/api/v1/watch/namespaces/default/pods`, 2);
    expect(legacy.map((e) => e.object.metadata.name)).toEqual(["a", "b"]);
  });

  it("ends open watches when the server stops", async () => {
    const events = readWatchEvents(`${t.api.url}${PODS}?watch=true`, 10, {}, 10_000);
    await new Promise((r) => setTimeout(r, 100));
    const start = Date.now();
    await t.api.stop();
    await events;
    expect(Date.now() - start).toBeLessThan(2000);
    t = await startTestApi();
  });
});

describe("tables", () => {
  it("prints pods the way kubectl does, with includeObject", async () => {
    createPod("a");
    const table = (await t.call("GET", PODS, { headers: { accept: TABLE } })).body;
    expect(table).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    expect(table.rows[0].cells.slice(0, 4)).toEqual(["a", "0/1", "Pending", "0"]);
    const full = (await t.call("GET", `${PODS}?includeObject=Object`, { headers: { accept: TABLE } })).body;
    expect(full.rows[0].object).toMatchObject({ kind: "Pod", spec: { containers: [{ name: "c" }] } });
    expect((await t.call("GET", `${PODS}?includeObject=Nope`, { headers: { accept: TABLE } })).status).toBe(400);
    const one = (await t.call("GET", `${PODS}/a`, { headers: { accept: TABLE } })).body;
    expect(one.rows).toHaveLength(1);
  });

  it("refuses a media type it cannot produce", async () => {
    const res = await t.call("GET", PODS, { headers: { accept: "text/html" } });
    expect(res.status).toBe(406);
  });
});
