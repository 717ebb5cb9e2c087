/**
 * `npm run bench`: performance figures of the dashboard and its embedded cluster, reported (never
 * asserted). Results go to bench/results/latest.json and bench/results/latest.md.
 *
 * 1. scale → SSE: from sending POST /api/statefulsets/kubia/scale to the StatefulSet change
 *    arriving on an event-stream client (and to the HTTP answer), over N runs;
 * 2. GET /api/snapshot latency and size;
 * 3. watch fan-out: one change, 100 stream clients — when does the last one have it;
 * 4. the embedded store's write throughput, in memory and with crash-safe persistence (fsync).
 *
 * 1–3 run against the real server (scripts/playground.ts: embedded cluster + `next start`) on
 * loopback; a production build is made first when there is none. BENCH_RUNS scales the counts.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasProductionBuild, launchPlayground, ROOT, type LaunchedPlayground } from "../lib/kube/testing/launcher";
import { SseParser, type SseFrame } from "../lib/kube/testing/sse-client";
import { createVolumeData } from "../lib/sim/node/volumes";
import { attachPersistence } from "../lib/sim/persistence";
import { Store, type StoredObject } from "../lib/sim/store/store";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const FANOUT_CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 100);

interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const round = (v: number) => Math.round(v * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1]), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An event-stream client that records when each frame arrived. */
class TimedStream {
  readonly frames: { at: number; frame: SseFrame }[] = [];
  private readonly abort = new AbortController();
  private readonly waiters = new Set<() => void>();

  static async open(url: string): Promise<TimedStream> {
    const stream = new TimedStream();
    const res = await fetch(`${url}/api/stream`, { signal: stream.abort.signal });
    if (res.status !== 200) throw new Error(`stream: ${res.status}`);
    const reader = res.body!.getReader();
    const parser = new SseParser();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const at = performance.now();
          for (const frame of parser.push(value)) stream.frames.push({ at, frame });
          for (const w of [...stream.waiters]) w();
        }
      } catch {
        // closed
      }
    })();
    return stream;
  }

  /** The arrival time of the first frame after `fromIndex` matching `predicate`. */
  waitFor(fromIndex: number, predicate: (f: SseFrame) => boolean, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.frames.slice(fromIndex).find((f) => predicate(f.frame));
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit.at);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error("timed out waiting for a stream frame"));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.abort.abort();
  }
}

/** The StatefulSet change carrying spec.replicas = n (cheap pre-filter before JSON.parse). */
function isKubiaAt(n: number) {
  return (f: SseFrame) => {
    if (f.event !== "change" || !f.data.includes('"kind":"statefulsets"')) return false;
    const change = JSON.parse(f.data) as { object: { metadata?: { name?: string }; spec?: { replicas?: number } } };
    return change.object.metadata?.name === "kubia" && change.object.spec?.replicas === n;
  };
}

async function scale(url: string, replicas: number): Promise<{ sentAt: number; answeredAt: number; status: number }> {
  const sentAt = performance.now();
  const res = await fetch(`${url}/api/statefulsets/kubia/scale`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ replicas }) });
  await res.arrayBuffer();
  return { sentAt, answeredAt: performance.now(), status: res.status };
}

async function waitForReadyPods(url: string, n: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const snap = (await (await fetch(`${url}/api/snapshot`)).json()) as { objects: { pods: { metadata: { name: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } }[] } };
    const pods = snap.objects.pods.filter((p) => /^kubia-\d+$/.test(p.metadata.name));
    if (pods.length === n && pods.every((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))) return;
    await sleep(100);
  }
  throw new Error(`kubia did not reach ${n} ready pods`);
}

async function benchScaleToStream(app: LaunchedPlayground) {
  const stream = await TimedStream.open(app.url);
  await stream.waitFor(0, (f) => f.event === "snapshot");
  const toStream: number[] = [];
  const toAnswer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const target = i % 2 === 0 ? 3 : 2;
    const from = stream.frames.length;
    const arrival = stream.waitFor(from, isKubiaAt(target));
    const { sentAt, answeredAt, status } = await scale(app.url, target);
    if (status !== 200) throw new Error(`scale answered ${status}`);
    toStream.push((await arrival) - sentAt);
    toAnswer.push(answeredAt - sentAt);
    await waitForReadyPods(app.url, target);
  }
  stream.close();
  return { scaleToStreamMs: summarize(toStream), scaleAnswerMs: summarize(toAnswer) };
}

async function benchSnapshot(app: LaunchedPlayground) {
  const latencies: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS * 10; i++) {
    const started = performance.now();
    const res = await fetch(`${app.url}/api/snapshot`);
    const body = await res.arrayBuffer();
    latencies.push(performance.now() - started);
    bytes = body.byteLength;
  }
  return { snapshotMs: summarize(latencies), snapshotBytes: bytes };
}

async function benchFanOut(app: LaunchedPlayground) {
  const clients: TimedStream[] = [];
  for (let i = 0; i < FANOUT_CLIENTS; i += 10) clients.push(...(await Promise.all(Array.from({ length: Math.min(10, FANOUT_CLIENTS - i) }, () => TimedStream.open(app.url)))));
  await Promise.all(clients.map((c) => c.waitFor(0, (f) => f.event === "snapshot")));
  const lastClient: number[] = [];
  const spread: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(RUNS / 2)); i++) {
    const target = i % 2 === 0 ? 3 : 2;
    const arrivals = clients.map((c) => c.waitFor(c.frames.length, isKubiaAt(target)));
    const { sentAt } = await scale(app.url, target);
    const times = await Promise.all(arrivals);
    lastClient.push(Math.max(...times) - sentAt);
    spread.push(Math.max(...times) - Math.min(...times));
    await waitForReadyPods(app.url, target);
  }
  for (const c of clients) c.close();
  return { clients: FANOUT_CLIENTS, scaleToLastClientMs: summarize(lastClient), firstToLastClientMs: summarize(spread) };
}

async function benchStore() {
  const object = (i: number) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `bench-${i}`, namespace: "default" }, data: { v: "x".repeat(200) } }) as StoredObject;
  const run = async (persist: boolean) => {
    const store = new Store();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-bench-"));
    const persistence = persist ? await attachPersistence({ dataDir: dir, store, volumes: createVolumeData() }) : undefined;
    const n = persist ? 2_000 : 50_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const created = store.create("configmaps", object(i));
      if (i % 2 === 0) store.update("configmaps", { ...created, data: { v: "y" } });
    }
    const seconds = (performance.now() - started) / 1000;
    await persistence?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    const writes = n + Math.ceil(n / 2);
    return { writes, seconds: Math.round(seconds * 1000) / 1000, writesPerSecond: Math.round(writes / seconds) };
  };
  return { inMemory: await run(false), persistedWithFsync: await run(true) };
}

function markdown(results: Record<string, unknown>): string {
  const r = results as {
    at: string;
    machine: string;
    scale: { scaleToStreamMs: Summary; scaleAnswerMs: Summary };
    snapshot: { snapshotMs: Summary; snapshotBytes: number };
    fanOut: { clients: number; scaleToLastClientMs: Summary; firstToLastClientMs: Summary };
    store: { inMemory: { writesPerSecond: number; writes: number }; persistedWithFsync: { writesPerSecond: number; writes: number } };
  };
  const row = (name: string, s: Summary) => `| ${name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.max} |`;
  return [
    `# Benchmarks (${r.at})`,
    "",
    `${r.machine}. Real server (scripts/playground.ts: embedded cluster + next start) on loopback. Reported, never asserted.`,
    "",
    "| measure (ms) | n | p50 | p95 | max |",
    "|---|---|---|---|---|",
    row("scale POST → StatefulSet change on an SSE client", r.scale.scaleToStreamMs),
    row("scale POST → HTTP answer", r.scale.scaleAnswerMs),
    row(`GET /api/snapshot (${Math.round(r.snapshot.snapshotBytes / 1024)} KiB)`, r.snapshot.snapshotMs),
    row(`scale POST → change on the last of ${r.fanOut.clients} SSE clients`, r.fanOut.scaleToLastClientMs),
    row(`first → last of ${r.fanOut.clients} SSE clients`, r.fanOut.firstToLastClientMs),
    "",
    "| embedded store writes | writes | writes/s |",
    "|---|---|---|",
    `| in memory | ${r.store.inMemory.writes} | ${r.store.inMemory.writesPerSecond} |`,
    `| with crash-safe persistence (fsync per write) | ${r.store.persistedWithFsync.writes} | ${r.store.persistedWithFsync.writesPerSecond} |`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  if (!hasProductionBuild()) {
    console.log("bench: no production build, running `next build` first…");
    const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  console.log("bench: embedded store…");
  const store = await benchStore();
  const app = await launchPlayground({ speed: 20 });
  try {
    await waitForReadyPods(app.url, 2);
    console.log("bench: scale → stream…");
    const scaleResults = await benchScaleToStream(app);
    console.log("bench: snapshot…");
    const snapshot = await benchSnapshot(app);
    console.log(`bench: fan-out to ${FANOUT_CLIENTS} clients…`);
    const fanOut = await benchFanOut(app);
    const results = {
      at: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at the end (other work on the machine skews the figures)`,
      runs: RUNS,
      scale: scaleResults,
      snapshot,
      fanOut,
      store,
    };
    const dir = path.join(ROOT, "bench", "results");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "latest.json"), JSON.stringify(results, null, 2) + "\n");
    const md = markdown(results);
    fs.writeFileSync(path.join(dir, "latest.md"), md);
    console.log(md);
  } finally {
    await app.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
