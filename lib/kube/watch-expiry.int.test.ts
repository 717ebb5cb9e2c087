import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { StreamChange, StreamStatus } from "@/lib/k8s/contract";
import * as streamRoute from "@/app/api/stream/route";
import { loadKubeConfig } from "./config";
import { clientState, freshIndex, indexObjects, waitForConvergence } from "./testing/convergence";
import { allWatching, eventually, isReady, readyKubiaPods, SseClient, startEmbedded, TEST_HOST, type EmbeddedHarness } from "./testing/embedded";

/**
 * Watch expiry and missed events: the dashboard talks to the embedded cluster through a proxy
 * that can stall its watches (events are lost) and then end them cleanly, like an API server's
 * watch timeout. The cluster keeps a tiny watch history, so by then the informer's
 * resourceVersion is too old: the re-watch gets a 410 Expired, the informer relists, and the
 * hub's diff must turn the missed changes into the right ADDED/MODIFIED/DELETED — no ghost pod,
 * no duplicate, nothing stale — for the hub and for a stream client alike.
 */
let h: EmbeddedHarness;

beforeAll(async () => {
  h = await startEmbedded({ speed: 50, viaProxy: true, cluster: { watchHistory: 40 } });
  await readyKubiaPods(h.runtime, 2);
});

afterAll(async () => {
  await h?.close();
});

function direct() {
  const kc = loadKubeConfig({ mode: "embedded", kubeconfigPath: h.cluster.kubeconfigPath, namespace: "default", maxReplicas: 50 });
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

async function clusterPodsReady(n: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pods = h.cluster.ctx.store.list("pods", { namespace: "default" }).items.filter((p) => /^kubia-\d+$/.test(p.metadata.name!));
    if (pods.length === n && pods.every((p) => isReady(p as never))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the cluster did not reach ${n} ready kubia pods`);
}

describe("watch expiry (410) with missed events", () => {
  it("relists after a 410 and converges: no ghost, no duplicate, no stale object — in the hub and in a stream client", async () => {
    const abort = new AbortController();
    const res = await streamRoute.GET(new Request(`http://${TEST_HOST}/api/stream`, { headers: { host: TEST_HOST }, signal: abort.signal }));
    const client = new SseClient(res.body!);
    await client.waitFor((frames) => frames.some((f) => f.event === "snapshot"));
    const proxy = h.proxy!;
    const listsBefore = h.runtime.informers.get("pods")!.stats.lists;
    const oldPods = new Map(h.runtime.hub.list("pods").map((p) => [p.metadata!.name!, p.metadata!.uid!]));

    // The dashboard's watches stall: from here on it misses every event.
    proxy.holdWatches();
    const { core, apps } = direct();
    await apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: "default", body: { spec: { replicas: 4 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await clusterPodsReady(4);
    await core.deleteNamespacedPod({ name: "kubia-0", namespace: "default", body: { gracePeriodSeconds: 0 } });
    await apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: "default", body: { spec: { replicas: 1 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await clusterPodsReady(1);
    // More writes than the history holds, so the informer's resourceVersion is surely expired.
    for (let i = 0; i < 60; i++) await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: `filler-${i}` }, data: { i: String(i) } } });
    expect(h.cluster.ctx.store.oldestWatchableVersion).toBeGreaterThan(Number(h.runtime.hub.get("pods", "default", "kubia-1")!.metadata!.resourceVersion));
    // The hub still shows the old world (it has seen nothing).
    expect(h.runtime.hub.get("pods", "default", "kubia-1")).toBeDefined();
    expect(h.runtime.hub.get("pods", "default", "kubia-0")?.metadata?.uid).toBe(oldPods.get("kubia-0"));
    expect(h.runtime.hub.get("pods", "default", "kubia-3")).toBeUndefined();

    // The API server ends the stalled watches (its timeout): re-watch from an expired version → 410 → relist.
    const expiredBefore = proxy.expiredWatches;
    proxy.endWatches();
    const diff = await waitForConvergence(() => indexObjects(h.runtime.hub.snapshot().objects), () => freshIndex(h.cluster), 20_000);
    expect(diff, "hub vs a fresh list").toEqual([]);
    expect(proxy.expiredWatches, "the re-watch was answered with 410 Expired").toBeGreaterThan(expiredBefore);
    expect(h.runtime.informers.get("pods")!.stats.lists, "the pods informer relisted").toBeGreaterThan(listsBefore);

    const pods = h.runtime.hub.list("pods").filter((p) => /^kubia-\d+$/.test(p.metadata!.name!));
    expect(pods.map((p) => p.metadata!.name)).toEqual(["kubia-0"]);
    expect(pods[0].metadata!.uid, "kubia-0 is the new incarnation").not.toBe(oldPods.get("kubia-0"));

    // The stream client got exactly the changes that turn its old picture into the new one.
    const clientDiff = await waitForConvergence(() => indexObjects(clientState(client.frames)!.objects), () => freshIndex(h.cluster), 10_000);
    expect(clientDiff, "stream client vs a fresh list").toEqual([]);
    const podChanges = client.frames
      .filter((f) => f.event === "change")
      .map((f) => JSON.parse(f.data) as StreamChange)
      .filter((c) => c.kind === "pods" && /^kubia-\d+$/.test(c.object.metadata?.name ?? ""));
    const deletedNames = podChanges.filter((c) => c.type === "DELETED").map((c) => c.object.metadata!.name);
    expect(deletedNames).toContain("kubia-1");
    expect(podChanges.some((c) => c.type === "ADDED" && c.object.metadata?.name === "kubia-3"), "kubia-3 never existed for the dashboard").toBe(false);

    // And afterwards: exactly one watch per kind open through the proxy, live again.
    await eventually("every informer watching", () => allWatching(h.runtime));
    const open = proxy.openWatches();
    expect([...open.values()].every((n) => n === 1), JSON.stringify([...open])).toBe(true);
    expect(open.size).toBe(h.runtime.informers.size);
    await apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: "default", body: { spec: { replicas: 2 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await readyKubiaPods(h.runtime, 2);
    abort.abort();
    await client.close();
  });

  it("a burst of 410s (every watch ended again and again while writes continue) never duplicates or loses a pod", async () => {
    const { apps } = direct();
    for (let round = 0; round < 5; round++) {
      h.proxy!.holdWatches();
      await apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: "default", body: { spec: { replicas: round % 2 ? 3 : 2 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
      await new Promise((resolve) => setTimeout(resolve, 300));
      h.proxy!.endWatches();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await clusterPodsReady(2);
    const diff = await waitForConvergence(() => indexObjects(h.runtime.hub.snapshot().objects), () => freshIndex(h.cluster), 20_000);
    expect(diff).toEqual([]);
    // The quick succession of endings put some informers in back-off: each gets back to exactly one watch.
    await eventually("every informer watching again", () => allWatching(h.runtime));
    expect([...h.proxy!.openWatches().values()].every((n) => n === 1)).toBe(true);
  });
});

describe("a hung API server (network partition): connections stay open, nothing answers", () => {
  it("is reported on the stream within 4 s although no watch ends; after it heals the watches restart and converge", async () => {
    const abort = new AbortController();
    const res = await streamRoute.GET(new Request(`http://${TEST_HOST}/api/stream`, { headers: { host: TEST_HOST }, signal: abort.signal }));
    const client = new SseClient(res.body!);
    await client.waitFor((frames) => frames.some((f) => f.event === "snapshot"));
    const statusOf = (f: { event: string; data: string }) => (f.event === "status" ? (JSON.parse(f.data) as StreamStatus) : undefined);
    await eventually("every informer watching", () => allWatching(h.runtime));
    const seen = client.frames.length;
    const proxy = h.proxy!;
    const watchesStarted = [...h.runtime.informers.values()].map((i) => i.stats.watches);

    const partitionedAt = Date.now();
    proxy.partition(true);
    await client.waitFor((frames) => frames.slice(seen).some((f) => statusOf(f)?.connected === false), 4_000, "a disconnected status during the partition");
    const detectedMs = Date.now() - partitionedAt;
    // No watch ended or restarted: the silence was noticed by the health check, not by a failing watch.
    expect([...h.runtime.informers.values()].map((i) => i.stats.watches), "watches started during the partition").toEqual(watchesStarted);
    expect(allWatching(h.runtime), "the silent watches are still open").toBe(true);

    // The cluster moves on where the dashboard cannot see it.
    const { apps } = direct();
    await apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: "default", body: { spec: { replicas: 3 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await clusterPodsReady(3);

    const healedAt = Date.now();
    proxy.partition(false);
    await client.waitFor((frames) => statusOf(frames.findLast((f) => f.event === "status")!)?.connected === true, 15_000, "a connected status after the partition");
    const recoveredMs = Date.now() - healedAt;
    const diff = await waitForConvergence(() => indexObjects(h.runtime.hub.snapshot().objects), () => freshIndex(h.cluster), 15_000);
    expect(diff, "hub vs a fresh list").toEqual([]);
    const clientDiff = await waitForConvergence(() => indexObjects(clientState(client.frames)!.objects), () => freshIndex(h.cluster), 10_000);
    expect(clientDiff, "stream client vs a fresh list").toEqual([]);
    await eventually("every informer watching", () => allWatching(h.runtime));
    expect([...proxy.openWatches().values()].every((n) => n === 1)).toBe(true);
    console.log(`[resilience] partition reported after ${detectedMs} ms; connected again ${recoveredMs} ms after it healed; converged`);

    await apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: "default", body: { spec: { replicas: 2 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    await readyKubiaPods(h.runtime, 2);
    abort.abort();
    await client.close();
  });
});
