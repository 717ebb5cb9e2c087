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
import { hasProductionBuild, launchPlayground, ROOT, rssBytes, type LaunchedPlayground } from "../lib/kube/testing/launcher";
import { apiServerConnections, firstLoadJs, launchBrowser, measureLatency, measureLongTasks, measureTabs, scaleOnApiServer } from "./browser";
import { runPods } from "./pods";
import { SseParser, type SseFrame } from "../lib/kube/testing/sse-client";
import { CHANGES_EVENT } from "../lib/k8s/contract";
import { createVolumeData } from "../lib/sim/node/volumes";
import { attachPersistence } from "../lib/sim/persistence";
import { Store, type StoredObject } from "../lib/sim/store/store";

/** BENCH_SMOKE=1: everything once, small (the test suite runs it to prove the bench still runs). */
const SMOKE = process.env.BENCH_SMOKE === "1";
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 2 : 20));
const FANOUT_CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? (SMOKE ? 5 : 200));
const PAGES = Number(process.env.BENCH_PAGES ?? (SMOKE ? 2 : 20));
const TABS = Number(process.env.BENCH_TABS ?? (SMOKE ? 3 : 20));
const PODS = Number(process.env.BENCH_PODS ?? (SMOKE ? 20 : 1000));
const IDLE_MS = SMOKE ? 1_000 : 10_000;
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(ROOT, "bench", "results");

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
    // Batches stay whole (one frame, one arrival time): 200 clients expanding them in this process
    // would measure the bench's own parsing, not the server's delivery.
    const parser = new SseParser({ batches: true });
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
      // Each frame is looked at once, however many chunks arrive before the one that matches.
      let next = fromIndex;
      const check = () => {
        let hit: { at: number } | undefined;
        while (!hit && next < this.frames.length) if (predicate(this.frames[next++].frame)) hit = this.frames[next - 1];
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

/** The StatefulSet change carrying spec.replicas = n, alone or in a batch (cheap pre-filter before JSON.parse). */
function isKubiaAt(n: number) {
  type Change = { object: { metadata?: { name?: string }; spec?: { replicas?: number } } };
  const matches = (change: Change) => change.object.metadata?.name === "kubia" && change.object.spec?.replicas === n;
  return (f: SseFrame) => {
    if ((f.event !== "change" && f.event !== CHANGES_EVENT) || !f.data.includes('"kind":"statefulsets"')) return false;
    const parsed = JSON.parse(f.data) as Change | Change[];
    return Array.isArray(parsed) ? parsed.some(matches) : matches(parsed);
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
  const perClient: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(RUNS / 2)); i++) {
    const target = i % 2 === 0 ? 3 : 2;
    const arrivals = clients.map((c) => c.waitFor(c.frames.length, isKubiaAt(target)));
    const { sentAt } = await scale(app.url, target);
    const times = await Promise.all(arrivals);
    perClient.push(...times.map((t) => t - sentAt));
    lastClient.push(Math.max(...times) - sentAt);
    spread.push(Math.max(...times) - Math.min(...times));
    await waitForReadyPods(app.url, target);
  }
  const serverRssMiB = Math.round(rssBytes(app.nextPid()) / 2 ** 20);
  for (const c of clients) c.close();
  return { clients: FANOUT_CLIENTS, scaleToLastClientMs: summarize(lastClient), firstToLastClientMs: summarize(spread), perClientMs: summarize(perClient), serverRssMiB };
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

type Results = {
  at: string;
  machine: string;
  scale: { scaleToStreamMs: Summary; scaleAnswerMs: Summary };
  snapshot: { snapshotMs: Summary; snapshotBytes: number };
  fanOut: { clients: number; scaleToLastClientMs: Summary; firstToLastClientMs: Summary; perClientMs: Summary; serverRssMiB: number };
  store: { inMemory: { writesPerSecond: number; writes: number }; persistedWithFsync: { writesPerSecond: number; writes: number } };
  browser: Awaited<ReturnType<typeof benchBrowser>>;
  pods: Awaited<ReturnType<typeof runPods>>;
  podsPage: Awaited<ReturnType<typeof benchPodsPage>>;
};

function markdown(r: Results): string {
  const row = (name: string, s: Summary) => `| ${name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.max} |`;
  const b = r.browser;
  const ratio = (a: number, c: number) => (c > 0 ? `${Math.round((a / c) * 100) / 100}×` : "—");
  return [
    `# Benchmarks (${r.at})`,
    "",
    `${r.machine}. Real server (scripts/playground.ts: embedded cluster + next start) on loopback, headless Chromium on the production build. Reported, never asserted.`,
    "",
    "| measure (ms) | n | p50 | p95 | max |",
    "|---|---|---|---|---|",
    row("API change → DOM, 1 page (stream)", b.stream1.latency),
    row(`API change → DOM, ${b.streamN.pages} pages, each its own context (stream)`, b.streamN.latency),
    row("API change → DOM, 1 page (baseline: polling every 2 s)", b.poll1.latency),
    row(`API change → DOM, ${b.pollN.pages} pages (baseline: polling every 2 s)`, b.pollN.latency),
    row("scale POST → StatefulSet change on an SSE client", r.scale.scaleToStreamMs),
    row("scale POST → HTTP answer", r.scale.scaleAnswerMs),
    row(`GET /api/snapshot (${Math.round(r.snapshot.snapshotBytes / 1024)} KiB)`, r.snapshot.snapshotMs),
    row(`scale POST → change on each of ${r.fanOut.clients} SSE clients`, r.fanOut.perClientMs),
    row(`scale POST → change on the last of ${r.fanOut.clients} SSE clients`, r.fanOut.scaleToLastClientMs),
    "",
    "| browser | stream | baseline (polling) | stream ÷ baseline |",
    "|---|---|---|---|",
    `| change → screen p50, 1 page (ms) | ${b.stream1.latency.p50} | ${b.poll1.latency.p50} | ${ratio(b.stream1.latency.p50, b.poll1.latency.p50)} |`,
    `| change → screen p95, ${b.streamN.pages} pages (ms) | ${b.streamN.latency.p95} | ${b.pollN.latency.p95} | ${ratio(b.streamN.latency.p95, b.pollN.latency.p95)} |`,
    `| API-server requests/s idle, ${b.streamN.pages} pages | ${b.streamN.apiServerRequestsPerSecond} | ${b.pollN.apiServerRequestsPerSecond} | ${ratio(b.streamN.apiServerRequestsPerSecond, b.pollN.apiServerRequestsPerSecond)} |`,
    `| dashboard requests/s idle, ${b.streamN.pages} pages | ${b.streamN.dashboardRequestsPerSecond} | ${b.pollN.dashboardRequestsPerSecond} | ${ratio(b.streamN.dashboardRequestsPerSecond, b.pollN.dashboardRequestsPerSecond)} |`,
    `| API-server connections, 1 → ${b.streamN.pages} pages | ${b.stream1.apiServerConnections} → ${b.streamN.apiServerConnections} | ${b.poll1.apiServerConnections} → ${b.pollN.apiServerConnections} | |`,
    "",
    "| page | figure |",
    "|---|---|",
    `| tabs of one browser that load / follow a change | ${b.tabs.loaded} / ${b.tabs.live} of ${b.tabs.tabs} (event streams opened: ${b.tabs.streams}, snapshot loads: ${b.tabs.snapshotLoads}) |`,
    `| full snapshots loaded from the server per page load (followers copy the leader's) | ${b.snapshotLoadsPerPage} |`,
    `| first-load JS (gzip) | ${Math.round(b.firstLoadJs.gzipBytes / 1024)} KiB in ${b.firstLoadJs.files} files (${Math.round(b.firstLoadJs.rawBytes / 1024)} KiB raw) |`,
    `| dashboard server memory with ${r.fanOut.clients} SSE clients | ${r.fanOut.serverRssMiB} MiB RSS |`,
    "",
    `| embedded cluster, ${r.pods.pods}-pod Parallel StatefulSet with a claim template, ${r.pods.nodes} nodes, speed ${r.pods.speed} | figure |`,
    "|---|---|",
    `| 0 → ${r.pods.pods} Ready | ${r.pods.secondsToReady === null ? `not reached (${r.pods.ready} Ready)` : `${r.pods.secondsToReady} s`} |`,
    `| idle CPU with all running | ${r.pods.idleCpuPercent} % of a core |`,
    `| memory | ${r.pods.rssMiB} MiB RSS (${r.pods.heapMiB} MiB heap) |`,
    `| kubectl get pods | ${r.pods.kubectlGetPodsMs === null ? "—" : `${r.pods.kubectlGetPodsMs} ms`} |`,
    `| page while ${r.podsPage.pods} pods are created: long tasks > 50 ms / > 100 ms / longest | ${r.podsPage.longTasks.count} / ${r.podsPage.longTasks.over100} / ${r.podsPage.longTasks.longestMs} ms |`,
    "",
    "| embedded store writes | writes | writes/s |",
    "|---|---|---|",
    `| in memory | ${r.store.inMemory.writes} | ${r.store.inMemory.writesPerSecond} |`,
    `| with crash-safe persistence (group-committed fsync) | ${r.store.persistedWithFsync.writes} | ${r.store.persistedWithFsync.writesPerSecond} |`,
    "",
  ].join("\n");
}

async function benchBrowser(app: LaunchedPlayground) {
  const browser = await launchBrowser();
  try {
    const firstLoad = await firstLoadJs(app.url);
    const latency = async (pages: number, mode: "stream" | "poll", runs: number) => {
      const r = await measureLatency(browser, app, { pages, mode, runs, idleMs: IDLE_MS });
      return { ...r, latency: summarize(r.latenciesMs) };
    };
    console.log("bench: browser, 1 page…");
    const stream1 = await latency(1, "stream", RUNS);
    const poll1 = await latency(1, "poll", Math.max(2, Math.floor(RUNS / 2)));
    console.log(`bench: browser, ${PAGES} pages…`);
    const streamN = await latency(PAGES, "stream", Math.max(2, Math.floor(RUNS / 4)));
    const pollN = await latency(PAGES, "poll", Math.max(2, Math.floor(RUNS / 4)));
    console.log(`bench: browser, ${TABS} tabs…`);
    const tabs = await measureTabs(browser, app, TABS);
    const strip = <T extends { latenciesMs: number[] }>({ latenciesMs, ...rest }: T) => ({ ...rest, n: latenciesMs.length });
    return {
      firstLoadJs: firstLoad,
      stream1: strip(stream1),
      poll1: strip(poll1),
      streamN: strip(streamN),
      pollN: strip(pollN),
      tabs,
      snapshotLoadsPerPage: tabs.snapshotLoads / Math.max(1, tabs.loaded) + (tabs.streams > 0 ? 1 / Math.max(1, tabs.loaded) : 0),
    };
  } finally {
    await browser.close();
  }
}

/** The page on a StatefulSet growing to PODS pods (PLAYGROUND_NODES=10, speed 100): its long tasks. */
async function benchPodsPage() {
  const app = await launchPlayground({ speed: 100, env: { PLAYGROUND_NODES: "10", PLAYGROUND_SEED_DEMO: "0" } });
  const browser = await launchBrowser();
  try {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "crowd", labels: { app: "crowd" } }, spec: { clusterIP: "None", selector: { app: "crowd" }, ports: [{ port: 80 }] } };
    const post = async (path: string, body: object) => {
      const res = await fetch(`${app.apiUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    };
    await post("/api/v1/namespaces/default/services", svc);
    const sts = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "crowd" },
      spec: {
        serviceName: "crowd",
        replicas: 0,
        podManagementPolicy: "Parallel",
        selector: { matchLabels: { app: "crowd" } },
        template: { metadata: { labels: { app: "crowd" } }, spec: { containers: [{ name: "kubia", image: "luksa/kubia-pet", volumeMounts: [{ name: "data", mountPath: "/var/data" }] }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } }],
      },
    };
    await post("/apis/apps/v1/namespaces/default/statefulsets", sts);
    const longTasks = await measureLongTasks(browser, app, "crowd", async () => {
      await scaleOnApiServer(app, PODS, "crowd");
      await sleep(SMOKE ? 3_000 : 30_000);
    });
    return { pods: PODS, longTasks, apiServerConnections: apiServerConnections(app) };
  } finally {
    await browser.close();
    await app.stop();
  }
}

async function main(): Promise<void> {
  if (!hasProductionBuild()) {
    console.log("bench: no production build, running `next build` first…");
    const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  console.log("bench: embedded store…");
  const store = await benchStore();
  console.log(`bench: ${PODS} pods in the embedded cluster…`);
  const pods = await runPods({ nodes: 10, speed: 100, pods: PODS, idleMs: IDLE_MS, timeoutMs: SMOKE ? 60_000 : 120_000, kubectl: process.env.PLAYGROUND_KUBECTL ?? "kubectl" });
  const app = await launchPlayground({ speed: 20 });
  let results: Results;
  try {
    await waitForReadyPods(app.url, 2);
    console.log("bench: scale → stream…");
    const scaleResults = await benchScaleToStream(app);
    console.log("bench: snapshot…");
    const snapshot = await benchSnapshot(app);
    console.log(`bench: fan-out to ${FANOUT_CLIENTS} clients…`);
    const fanOut = await benchFanOut(app);
    const browser = await benchBrowser(app);
    results = {
      at: new Date().toISOString(),
      machine: "",
      scale: scaleResults,
      snapshot,
      fanOut,
      store,
      browser,
      pods,
      podsPage: undefined as never,
    };
  } finally {
    await app.stop();
  }
  console.log(`bench: the page while ${PODS} pods are created…`);
  results.podsPage = await benchPodsPage();
  results.machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at the end (other work on the machine skews the figures)`;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, "latest.json"), JSON.stringify(results, null, 2) + "\n");
  const md = markdown(results);
  fs.writeFileSync(path.join(RESULTS_DIR, "latest.md"), md);
  console.log(md);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
