import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionResponse, ApiError, StreamStatus } from "@/lib/k8s/contract";
import { startCluster } from "@/lib/sim/cluster";
import * as demoRoute from "@/app/api/demo/route";
import * as podRoute from "@/app/api/pods/[name]/route";
import * as pvcRoute from "@/app/api/pvcs/[name]/route";
import * as snapshotRoute from "@/app/api/snapshot/route";
import * as scaleRoute from "@/app/api/statefulsets/[name]/scale/route";
import * as streamRoute from "@/app/api/stream/route";
import { clientState, diffIndex, freshIndex, indexObjects, waitForConvergence } from "./testing/convergence";
import { openWatchesByResource, WATCHED_RESOURCES } from "./testing/metrics";
import {
  allWatching,
  apiRequest,
  eventually,
  isReady,
  kubiaPods,
  nameParams,
  readyKubiaPods,
  SseClient,
  startEmbedded,
  TEST_HOST,
  until,
  type EmbeddedHarness,
  type SseFrame,
} from "./testing/embedded";

/**
 * Faults the dashboard must survive, against the embedded cluster in this process (50× speed):
 * an API server outage in the middle of a stream (with changes made while the dashboard could
 * not see them), event-stream clients that leave and come back with Last-Event-ID, and
 * conflicting actions sent at the same time.
 */
let h: EmbeddedHarness;

beforeAll(async () => {
  h = await startEmbedded({ speed: 50 });
  await readyKubiaPods(h.runtime, 2);
});

afterAll(async () => {
  await h?.close();
});

interface OpenStream {
  client: SseClient;
  close(): Promise<void>;
}

async function openStream(headers: Record<string, string> = {}, query = ""): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await streamRoute.GET(new Request(`http://${TEST_HOST}/api/stream${query}`, { headers: { host: TEST_HOST, ...headers }, signal: abort.signal }));
  expect(res.status).toBe(200);
  const client = new SseClient(res.body!);
  return {
    client,
    async close() {
      abort.abort();
      await client.close();
    },
  };
}

const statusOf = (f: SseFrame) => (f.event === "status" ? (JSON.parse(f.data) as StreamStatus) : undefined);

async function scale(replicas: number): Promise<Response> {
  return scaleRoute.POST(apiRequest("POST", "/api/statefulsets/kubia/scale", { replicas }), nameParams("kubia"));
}

async function errorOf(res: Response): Promise<ApiError["error"]> {
  return ((await res.json()) as ApiError).error;
}

describe("API server outage in the middle of a stream", () => {
  it("reports disconnected within 2 s, backs off while down, and converges to exactly the cluster's state after the restart", async () => {
    const { client, close } = await openStream();
    await client.waitFor((frames) => frames.some((f) => f.event === "snapshot"), 10_000, "the first snapshot");
    const seen = client.frames.length;

    // Outage: the API server goes away (state kept in the data directory).
    const stoppedAt = Date.now();
    await h.stopCluster();
    await client.waitFor((frames) => frames.slice(seen).some((f) => statusOf(f)?.connected === false), 2_000, "a disconnected status event");
    const detectedMs = Date.now() - stoppedAt;
    const down = client.frames.slice(seen).map(statusOf).find((s) => s?.connected === false)!;
    expect(Object.values(down.kinds).some((k) => k.error && /unreachable|ECONNREFUSED|ECONNRESET/.test(k.error))).toBe(true);

    // An action during the outage is a clear 503, not a 500 and not a hang.
    const during = await scale(3);
    expect(during.status).toBe(503);
    const duringError = await errorOf(during);
    expect(duringError.reason).toBe("ServiceUnavailable");
    expect(duringError.message).toMatch(/unreachable/);

    // Back-off: a few attempts per kind over 4 s (250 ms doubling, ±20 %), not a busy loop, not silence.
    const errorsBefore = new Map([...h.runtime.informers].map(([kind, i]) => [kind, i.stats.errors]));
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    for (const [kind, informer] of h.runtime.informers) {
      const attempts = informer.stats.errors - errorsBefore.get(kind)!;
      expect(attempts, `${kind} retries in 4 s`).toBeGreaterThanOrEqual(2);
      expect(attempts, `${kind} retries in 4 s`).toBeLessThanOrEqual(8);
    }

    // While the dashboard is cut off, the cluster changes: the same data directory served on other
    // ports (the dashboard cannot see it) scales kubia to 3 and force-deletes kubia-0.
    const hidden = await startCluster({ apiPort: 0, dnsPort: 0, dataDir: h.dataDir, speed: 50 });
    const oldUid = hidden.ctx.store.get("pods", "default", "kubia-0").metadata.uid;
    const sts = hidden.ctx.store.get("statefulsets.apps", "default", "kubia");
    hidden.ctx.store.update("statefulsets.apps", { ...sts, spec: { ...sts.spec!, replicas: 3 } });
    hidden.ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 });
    const hiddenReady = async () => {
      for (let i = 0; i < 300; i++) {
        const pods = hidden.ctx.store.list("pods", { namespace: "default" }).items.filter((p) => /^kubia-\d$/.test(p.metadata.name!));
        if (pods.length === 3 && pods.every((p) => isReady(p as never)) && pods.find((p) => p.metadata.name === "kubia-0")?.metadata.uid !== oldUid) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("the hidden cluster did not settle");
    };
    await hiddenReady();
    await hidden.stop();

    // Recovery on the original ports: the stream says connected again and the state converges.
    await h.startClusterAgain();
    await client.waitFor((frames) => statusOf(frames.findLast((f) => f.event === "status")!)?.connected === true, 20_000, "a connected status event");
    await readyKubiaPods(h.runtime, 3);
    expect(h.runtime.hub.get("pods", "default", "kubia-0")?.metadata?.uid).not.toBe(oldUid);

    const hubDiff = await waitForConvergence(() => indexObjects(h.runtime.hub.snapshot().objects), () => freshIndex(h.cluster), 15_000);
    expect(hubDiff, "hub cache vs a fresh list").toEqual([]);
    const clientDiff = await waitForConvergence(() => indexObjects(clientState(client.frames)!.objects), () => freshIndex(h.cluster), 15_000);
    expect(clientDiff, "what the stream client holds vs a fresh list").toEqual([]);
    expect(client.done, "the stream stayed open through the outage").toBe(false);
    await eventually("every informer watching", () => allWatching(h.runtime));
    // Seen from the API server (its /metrics gauge): exactly one watch per kind, no leftover from before the outage.
    let watches = await openWatchesByResource(h.cluster.apiUrl);
    for (let i = 0; i < 50 && [...watches.values()].some((n) => n !== 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // a watch being re-established right now
      watches = await openWatchesByResource(h.cluster.apiUrl);
    }
    for (const resource of WATCHED_RESOURCES) expect(watches.get(resource), resource).toBe(1);
    expect(watches.size).toBe(WATCHED_RESOURCES.length);
    console.log(`[resilience] outage detected on the stream after ${detectedMs} ms; converged after restart (${client.frames.length} frames)`);
    await close();

    await scale(2);
    await readyKubiaPods(h.runtime, 2);
  });
});

describe("event-stream reconnect with Last-Event-ID", () => {
  it("replays every message after the id, once, in order — the same messages a client that stayed connected got", async () => {
    const control = await openStream();
    await control.client.waitFor((frames) => frames.some((f) => f.event === "snapshot"), 10_000, "the control client's snapshot");
    const leaving = await openStream();
    await leaving.client.waitFor((frames) => frames.some((f) => f.event === "snapshot"), 10_000, "a snapshot");
    const lastId = leaving.client.lastId!;
    await leaving.close();

    // Changes while it is away: scale up, delete a pod (it comes back with a new uid), scale down.
    expect((await scale(3)).status).toBe(200);
    await readyKubiaPods(h.runtime, 3);
    const oldUid = h.runtime.hub.get("pods", "default", "kubia-1")!.metadata!.uid;
    expect((await podRoute.DELETE(apiRequest("DELETE", "/api/pods/kubia-1", {}), nameParams("kubia-1"))).status).toBe(200);
    await until(h.runtime, "kubia-1 back with a new uid", () => {
      const p = h.runtime.hub.get("pods", "default", "kubia-1");
      return !!p && p.metadata?.uid !== oldUid && isReady(p);
    });
    expect((await scale(2)).status).toBe(200);
    await readyKubiaPods(h.runtime, 2);
    const endId = h.runtime.hub.eventId;
    expect(endId - Number(lastId)).toBeGreaterThan(10);

    // The browser's EventSource sends the header itself; the page's own reconnects use the query.
    for (const via of ["header", "query"] as const) {
      const back = via === "header" ? await openStream({ "last-event-id": lastId }) : await openStream({}, `?lastEventId=${lastId}`);
      await back.client.waitFor((frames) => frames.some((f) => Number(f.id) >= endId), 10_000, `replay up to ${endId}`);
      const replay = back.client.frames.filter((f) => Number(f.id) <= endId);
      expect(replay.some((f) => f.event === "snapshot"), via).toBe(false);
      const ids = replay.map((f) => Number(f.id));
      expect(ids[0], via).toBe(Number(lastId) + 1);
      ids.forEach((id, i) => expect(id, `${via}: contiguous ids`).toBe(ids[0] + i));
      await control.client.waitFor((frames) => frames.some((f) => Number(f.id) >= endId), 10_000);
      const stayed = control.client.frames.filter((f) => Number(f.id) > Number(lastId) && Number(f.id) <= endId);
      expect(replay, `${via}: the replay equals what a connected client received`).toEqual(stayed);
      // Snapshot-before-leaving + replay = the cluster now.
      const resumed = clientState([...leaving.client.frames, ...back.client.frames])!;
      const diff = await waitForConvergence(() => indexObjects(resumed.objects), async () => indexObjects(h.runtime.hub.snapshot().objects), 5_000);
      expect(diff, via).toEqual([]);
      await back.close();
    }
    await control.close();
  });

  it("gets a fresh snapshot when the id is older than the replay buffer or from another server process", async () => {
    const first = await openStream();
    await first.client.waitFor((frames) => frames.some((f) => f.event === "snapshot"));
    const lastId = first.client.lastId!;
    await first.close();
    // Push the id out of the bounded replay buffer (4096 messages) with dashboard action messages.
    for (let i = 0; i < 4200; i++) h.runtime.hub.recordAction({ id: `filler-${i}`, at: new Date().toISOString(), action: "test", target: "none", kubectl: "true", ok: true });
    for (const id of [lastId, String(h.runtime.hub.idBase - 5), String(h.runtime.hub.eventId + 1000), "not-a-number"]) {
      const back = await openStream({ "last-event-id": id });
      await back.client.waitFor((frames) => frames.length > 0);
      expect(back.client.frames[0].event, `Last-Event-ID ${id}`).toBe("snapshot");
      const snap = JSON.parse(back.client.frames[0].data);
      expect(snap.eventId).toBe(h.runtime.hub.eventId);
      expect(diffIndex(indexObjects(snap.objects), indexObjects(h.runtime.hub.snapshot().objects))).toEqual([]);
      await back.close();
    }
  });
});

describe("concurrent conflicting actions", () => {
  it("two browsers scaling at once to different values: both answered, the StatefulSet ends at one of them and the pods follow", async () => {
    const [a, b] = await Promise.all([scale(4), scale(1)]);
    for (const res of [a, b]) expect([200, 409], String(res.status)).toContain(res.status);
    await until(h.runtime, "the hub sees the final spec", () => [1, 4].includes(h.runtime.hub.get("statefulsets", "default", "kubia")?.spec?.replicas ?? -1));
    const replicas = h.cluster.ctx.store.get("statefulsets.apps", "default", "kubia").spec as { replicas: number };
    await readyKubiaPods(h.runtime, replicas.replicas, 60_000);
    const names = kubiaPods(h.runtime).map((p) => p.metadata!.name).sort();
    expect(names).toEqual(Array.from({ length: replicas.replicas }, (_, i) => `kubia-${i}`));
  });

  it("a burst of ten scale requests with different values never answers 5xx and converges to the last one applied", async () => {
    const values = [3, 0, 5, 2, 4, 1, 3, 2, 5, 2];
    const answers = await Promise.all(values.map((v) => scale(v)));
    for (const res of answers) expect(res.status).toBeLessThan(500);
    const spec = () => (h.cluster.ctx.store.get("statefulsets.apps", "default", "kubia").spec as { replicas: number }).replicas;
    expect(values).toContain(spec());
    await readyKubiaPods(h.runtime, spec(), 60_000);
    expect((await scale(2)).status).toBe(200);
    await readyKubiaPods(h.runtime, 2, 60_000);
  });

  it("deleting a pod that is already gone answers 404 NotFound with the Kubernetes message, never 500", async () => {
    const res = await podRoute.DELETE(apiRequest("DELETE", "/api/pods/kubia-9", { force: true }), nameParams("kubia-9"));
    expect(res.status).toBe(404);
    const error = await errorOf(res);
    expect(error.reason).toBe("NotFound");
    expect(error.message).toBe('pods "kubia-9" not found');
  });

  it("two force deletes of the same pod at once: one deletes it, the other is 200 or a clear 404; exactly one new kubia-1 follows", async () => {
    await readyKubiaPods(h.runtime, 2);
    const oldUid = h.runtime.hub.get("pods", "default", "kubia-1")!.metadata!.uid;
    const answers = await Promise.all([0, 1].map(() => podRoute.DELETE(apiRequest("DELETE", "/api/pods/kubia-1", { force: true }), nameParams("kubia-1"))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([200, 404]).toContain(statuses[1]);
    for (const res of answers.filter((r) => r.status === 404)) {
      const error = await errorOf(res);
      expect(error.reason).toBe("NotFound");
      expect(error.message).toContain("kubia-1");
    }
    // A third force delete after it is gone (and possibly already recreated) must not fail with 5xx either.
    const third = await podRoute.DELETE(apiRequest("DELETE", "/api/pods/kubia-1", { force: true }), nameParams("kubia-1"));
    expect(third.status).toBeLessThan(500);
    await until(h.runtime, "kubia-1 recreated", () => {
      const p = h.runtime.hub.get("pods", "default", "kubia-1");
      return !!p && p.metadata?.uid !== oldUid && isReady(p);
    });
    await readyKubiaPods(h.runtime, 2);
    expect(kubiaPods(h.runtime).filter((p) => p.metadata?.name === "kubia-1")).toHaveLength(1);
  });

  it("two graceful deletes at once: both answered without 5xx (the second sees it Terminating or gone); the pod comes back once", async () => {
    const oldUid = h.runtime.hub.get("pods", "default", "kubia-0")!.metadata!.uid;
    const answers = await Promise.all([0, 1].map(() => podRoute.DELETE(apiRequest("DELETE", "/api/pods/kubia-0", {}), nameParams("kubia-0"))));
    for (const res of answers) expect([200, 404, 409]).toContain(res.status);
    expect(answers.some((r) => r.status === 200)).toBe(true);
    await until(h.runtime, "kubia-0 back", () => {
      const p = h.runtime.hub.get("pods", "default", "kubia-0");
      return !!p && p.metadata?.uid !== oldUid && isReady(p);
    });
    await readyKubiaPods(h.runtime, 2);
  });

  it("deleting a PVC twice (in use, then already Terminating) and a missing PVC: clear answers, never 5xx", async () => {
    const answers = await Promise.all([0, 1].map(() => pvcRoute.DELETE(apiRequest("DELETE", "/api/pvcs/data-kubia-1", {}), nameParams("data-kubia-1"))));
    for (const res of answers) expect([200, 404, 409]).toContain(res.status);
    await until(h.runtime, "data-kubia-1 Terminating (pvc-protection while kubia-1 uses it)", () => !!h.runtime.hub.get("persistentvolumeclaims", "default", "data-kubia-1")?.metadata?.deletionTimestamp);
    const missing = await pvcRoute.DELETE(apiRequest("DELETE", "/api/pvcs/data-kubia-77", {}), nameParams("data-kubia-77"));
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).message).toBe('persistentvolumeclaims "data-kubia-77" not found');
  });

  it("two demo resets at once: both answered without 5xx, and the demo ends at its starting point", async () => {
    const started = Date.now();
    const answers = await Promise.all([0, 1].map(() => demoRoute.POST(apiRequest("POST", "/api/demo", { action: "reset" }))));
    for (const res of answers) {
      const body = (await res.json()) as ActionResponse | ApiError;
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    console.log(`[resilience] two concurrent demo resets answered in ${Date.now() - started} ms (${answers.map((r) => r.status).join(", ")})`);
    await readyKubiaPods(h.runtime, 2, 60_000);
    expect(h.runtime.hub.get("statefulsets", "default", "kubia")?.spec?.replicas).toBe(2);
    const snap = await snapshotRoute.GET(apiRequest("GET", "/api/snapshot"));
    expect(snap.status).toBe(200);
  });
});
