import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/k8s/contract";
import { clientState, diffIndex, indexObjects } from "./testing/convergence";
import { connectInspector, type Inspector } from "./testing/inspector";
import { launchPlayground, rssBytes, type LaunchedPlayground } from "./testing/launcher";
import { openWatchesByResource, WATCHED_RESOURCES } from "./testing/metrics";
import { SseParser, type SseFrame } from "./testing/sse-client";

/**
 * Soak (`npm run test:soak`): ONE real server — `scripts/playground.ts` with the embedded cluster
 * and `next start` — under 100 concurrent event-stream clients and 10 actions per second (scale
 * up/down alternately, snapshot reads, pod data reads through the pod proxy, DNS and cluster reads)
 * for 60 s, all on loopback. Asserted:
 * - zero errors: no 4xx/5xx or failed request, no stream that ended, errored or skipped a message
 *   (every client's event ids are contiguous from its first frame to its last);
 * - every client converges to the same state as a fresh /api/snapshot at the end;
 * - still exactly one watch per kind towards the API server (its /metrics gauge);
 * - no leak: after the clients leave, zero hub subscribers, no extra timers, and the Next server's
 *   heap after a forced GC within BASELINE_TOLERANCE of the baseline, not counting the bounded
 *   replay buffer (at most 4096 messages / 32 MiB by design) and the watched objects the cluster
 *   legitimately added (events); and, measured with the clients connected, no growth over the
 *   second half of the run beyond SECOND_HALF_TOLERANCE (a leak grows with time, warm-up does
 *   not); RSS is reported (V8 keeps freed pages, so RSS is not expected to shrink).
 * Figures are printed. SOAK_SECONDS / SOAK_CLIENTS / SOAK_RATE override the defaults.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 100);
const RATE = Number(process.env.SOAK_RATE ?? 10);
/** Heap growth allowed after the run, beyond the replay buffer and the grown object cache. */
const BASELINE_TOLERANCE_BYTES = 16 * 1024 * 1024;
/** Heap growth allowed over the second half of the run (clients connected; one-time warm-up is over by then). */
const SECOND_HALF_TOLERANCE_BYTES = 6 * 1024 * 1024;
/** How many clients keep full frames to compare states at the end (the others keep ids only). */
const FULL_CLIENTS = 5;

let app: LaunchedPlayground;
let inspector: Inspector;

interface ServerState {
  subscribers: number;
  bufferedChars: number;
  bufferLength: number;
  cacheJsonChars: number;
  timeouts: number;
}

const SERVER_STATE_EXPR = `(() => {
  const r = globalThis[Symbol.for("sts-playground.runtime")];
  const snap = r ? r.hub.snapshot() : undefined;
  return {
    subscribers: r ? r.hub.subscriberCount : -1,
    bufferedChars: r ? r.hub.bufferedBytes : -1,
    bufferLength: r ? r.hub.buffer.length : -1,
    cacheJsonChars: snap ? JSON.stringify(snap.objects).length : -1,
    timeouts: process.getActiveResourcesInfo().filter((t) => t === "Timeout").length,
  };
})()`;

async function measure(label: string): Promise<{ heap: number; rss: number; state: ServerState }> {
  const heap = await inspector.heapUsedAfterGc();
  const state = await inspector.evaluate<ServerState>(SERVER_STATE_EXPR);
  const rss = rssBytes(app.nextPid());
  console.log(`[soak] ${label}: heap ${mib(heap)} MiB after GC, RSS ${mib(rss)} MiB, ${state.subscribers} subscribers, replay buffer ${state.bufferLength} msgs / ${mib(state.bufferedChars)} MiB, cache ${mib(state.cacheJsonChars)} MiB JSON, ${state.timeouts} timers`);
  return { heap, rss, state };
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One event-stream client over real HTTP, checking its id sequence as frames arrive. */
class StreamClient {
  readonly frames: SseFrame[] = [];
  firstId?: number;
  lastId?: number;
  count = 0;
  problems: string[] = [];
  private readonly abort = new AbortController();
  private ended = false;
  private leaving = false;
  private pump?: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly keepFrames: boolean,
  ) {}

  async open(): Promise<void> {
    const res = await fetch(`${this.url}/api/stream`, { signal: this.abort.signal, headers: { accept: "text/event-stream" } });
    if (res.status !== 200 || !res.headers.get("content-type")?.startsWith("text/event-stream")) throw new Error(`stream answered ${res.status}`);
    const reader = res.body!.getReader();
    const parser = new SseParser();
    this.pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const frame of parser.push(value)) this.onFrame(frame);
        }
        if (!this.leaving) this.problems.push("the stream ended");
      } catch (err) {
        if (!this.leaving) this.problems.push(`stream error: ${(err as Error).message}`);
      } finally {
        this.ended = true;
      }
    })();
  }

  private onFrame(frame: SseFrame): void {
    const id = Number(frame.id);
    if (this.count === 0 && frame.event !== "snapshot") this.problems.push(`first frame is ${frame.event}, not a snapshot`);
    if (this.lastId !== undefined && id !== this.lastId + 1) this.problems.push(`id ${id} after ${this.lastId} (missed or duplicated messages)`);
    if (this.firstId === undefined) this.firstId = id;
    this.lastId = id;
    this.count++;
    if (this.keepFrames) this.frames.push(frame);
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  async close(): Promise<void> {
    this.leaving = true;
    this.abort.abort();
    await this.pump;
  }
}

interface ActionStats {
  sent: number;
  statuses: Map<number, number>;
  latencies: number[];
  failures: string[];
}

beforeAll(async () => {
  app = await launchPlayground({ speed: 20, inspect: true });
  inspector = await connectInspector(await app.nextInspectorUrl());
}, 180_000);

afterAll(async () => {
  inspector?.close();
  await app?.stop();
}, 60_000);

describe(`soak: ${CLIENTS} event-stream clients and ${RATE} actions/s for ${SECONDS} s on one server`, () => {
  it("zero errors, one watch per kind, every client converged, memory back to baseline", async () => {
    const url = app.url;
    // Warm up every route once, let the server's caches fill, then take the baseline.
    for (const path of ["/api/snapshot", "/api/cluster", "/api/dns?statefulset=kubia", "/api/pods/kubia-0/data", "/api/faults"]) {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
    const warm = new StreamClient(url, false);
    await warm.open();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await warm.close();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const baseline = await measure("baseline");
    expect(baseline.state.subscribers).toBe(0);

    // 100 clients, opened a few at a time as browsers arriving in a classroom would.
    const clients = Array.from({ length: CLIENTS }, (_, i) => new StreamClient(url, i < FULL_CLIENTS));
    for (let i = 0; i < clients.length; i += 10) await Promise.all(clients.slice(i, i + 10).map((c) => c.open()));

    // 10 actions per second, on schedule (not waiting for the previous one), for SECONDS.
    const stats = new Map<string, ActionStats>();
    const plan: { kind: string; method: string; path: string; body?: unknown }[] = [
      { kind: "scale-up", method: "POST", path: "/api/statefulsets/kubia/scale", body: { replicas: 3 } },
      { kind: "snapshot", method: "GET", path: "/api/snapshot" },
      { kind: "pod-data", method: "GET", path: "/api/pods/kubia-0/data" },
      { kind: "dns", method: "GET", path: "/api/dns?statefulset=kubia" },
      { kind: "snapshot", method: "GET", path: "/api/snapshot" },
      { kind: "scale-down", method: "POST", path: "/api/statefulsets/kubia/scale", body: { replicas: 2 } },
      { kind: "snapshot", method: "GET", path: "/api/snapshot" },
      { kind: "pod-data", method: "GET", path: "/api/pods/kubia-1/data" },
      { kind: "cluster", method: "GET", path: "/api/cluster" },
      { kind: "snapshot", method: "GET", path: "/api/snapshot" },
    ];
    const inFlight = new Set<Promise<void>>();
    const act = async (step: (typeof plan)[number]) => {
      const s: ActionStats = stats.get(step.kind) ?? { sent: 0, statuses: new Map(), latencies: [], failures: [] };
      stats.set(step.kind, s);
      s.sent++;
      const started = performance.now();
      try {
        const res = await fetch(url + step.path, {
          method: step.method,
          headers: step.body ? { "content-type": "application/json" } : {},
          body: step.body ? JSON.stringify(step.body) : undefined,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        s.latencies.push(performance.now() - started);
        s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 400) s.failures.push(`${step.kind} ${res.status} ${text.slice(0, 200)}`);
      } catch (err) {
        s.failures.push(`${step.kind} failed: ${(err as Error).message}`);
      }
    };
    const started = Date.now();
    const total = SECONDS * RATE;
    let halfway: Awaited<ReturnType<typeof measure>> | undefined;
    for (let i = 0; i < total; i++) {
      // Halfway, with every client connected: a leak shows as growth between here and the end.
      if (i === Math.floor(total / 2)) halfway = await measure("halfway, clients connected");
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const p = act(plan[i % plan.length]).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    const elapsed = (Date.now() - started) / 1000;
    const end = await measure("end, clients connected");

    // Settle at 2 replicas, then check every client against a fresh snapshot.
    await fetch(`${url}/api/statefulsets/kubia/scale`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"replicas":2}' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const watches = await openWatchesByResource(app.apiUrl);
    let fresh: Snapshot | undefined;
    let diffs: string[][] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      fresh = (await (await fetch(`${url}/api/snapshot`)).json()) as Snapshot;
      const freshIndex = indexObjects(fresh.objects);
      diffs = clients.slice(0, FULL_CLIENTS).map((c) => diffIndex(indexObjects(clientState(c.frames)!.objects), freshIndex));
      const allAtSnapshot = clients.every((c) => (c.lastId ?? 0) >= fresh!.eventId);
      if (allAtSnapshot && diffs.every((d) => d.length === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const openAtEnd = clients.filter((c) => c.isOpen).length;
    const streamProblems = clients.flatMap((c, i) => c.problems.map((p) => `client ${i}: ${p}`));
    const messages = clients.map((c) => c.count);
    await Promise.all(clients.map((c) => c.close()));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await measure("after the clients left");

    const failures = [...stats.values()].flatMap((s) => s.failures);
    const report = [...stats].map(([kind, s]) => `  ${kind}: ${s.sent} sent, statuses ${[...s.statuses].map(([k, v]) => `${k}×${v}`).join(" ")}, p50 ${percentile(s.latencies, 50).toFixed(0)} ms, p95 ${percentile(s.latencies, 95).toFixed(0)} ms`);
    // Legitimate growth: the replay buffer (bounded) and the watched objects' cache (≈3× its JSON size in memory).
    const explainedBetween = (a: ServerState, b: ServerState) => Math.max(0, b.bufferedChars - a.bufferedChars) + Math.max(0, b.cacheJsonChars - a.cacheJsonChars) * 3;
    const heapGrowth = after.heap - baseline.heap;
    const explained = explainedBetween(baseline.state, after.state);
    const secondHalf = end.heap - halfway!.heap - explainedBetween(halfway!.state, end.state);
    console.log(
      [
        `[soak] ${CLIENTS} clients × ${elapsed.toFixed(1)} s, ${total} actions (${(total / elapsed).toFixed(1)}/s):`,
        ...report,
        `  stream messages per client: min ${Math.min(...messages)}, max ${Math.max(...messages)}, total ${messages.reduce((a, b) => a + b, 0)}; open at the end ${openAtEnd}/${CLIENTS}; stream problems ${streamProblems.length}`,
        `  watches towards the API server: ${[...watches].map(([k, v]) => `${k}=${v}`).join(" ")}`,
        `  heap after GC: baseline ${mib(baseline.heap)} MiB → after ${mib(after.heap)} MiB (growth ${mib(heapGrowth)} MiB, of which replay buffer + grown cache ≈ ${mib(explained)} MiB; tolerance ${mib(BASELINE_TOLERANCE_BYTES)} MiB)`,
        `  heap over the second half, clients connected: ${mib(halfway!.heap)} → ${mib(end.heap)} MiB, unexplained growth ${mib(secondHalf)} MiB (tolerance ${mib(SECOND_HALF_TOLERANCE_BYTES)} MiB)`,
        `  RSS: baseline ${mib(baseline.rss)} MiB → after ${mib(after.rss)} MiB; timers ${baseline.state.timeouts} → ${after.state.timeouts}; subscribers after ${after.state.subscribers}`,
      ].join("\n"),
    );

    expect(failures, "failed actions").toEqual([]);
    expect(streamProblems, "stream problems").toEqual([]);
    expect(openAtEnd, "clients still connected at the end").toBe(CLIENTS);
    expect(diffs.flat(), "client state vs a fresh snapshot").toEqual([]);
    expect(clients.every((c) => (c.lastId ?? 0) >= fresh!.eventId), "every client caught up with the latest event").toBe(true);
    for (const resource of WATCHED_RESOURCES) expect(watches.get(resource), `watches on ${resource}`).toBe(1);
    expect(watches.size, "no other watches").toBe(WATCHED_RESOURCES.length);
    expect(after.state.subscribers, "hub subscribers after the clients left").toBe(0);
    expect(after.state.timeouts, "timers after the clients left").toBeLessThanOrEqual(baseline.state.timeouts + 5);
    expect(heapGrowth - explained, "heap growth not explained by bounded buffers").toBeLessThan(BASELINE_TOLERANCE_BYTES);
    expect(secondHalf, "heap growth over the second half of the run").toBeLessThan(SECOND_HALF_TOLERANCE_BYTES);
  }, (SECONDS + 180) * 1000);
});
