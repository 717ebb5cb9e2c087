/**
 * The 1,000-pod run of `npm run bench`: an embedded cluster of PLAYGROUND_NODES nodes at
 * PLAYGROUND_SPEED, a Parallel StatefulSet with a volume claim template scaled 0 → N, then
 * - seconds until N pods are Ready (the StatefulSet's readyReplicas),
 * - the process's CPU share and memory while all N run and nothing changes (idle),
 * - `kubectl get pods` of all N (wall time, with a warm discovery cache).
 * In-process (startCluster), so the CPU share is the embedded cluster's own.
 * `node --cpu-prof --import tsx bench/pods.ts` profiles it on its own.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { V1StatefulSet } from "@kubernetes/client-node";
import { demoObjects } from "../lib/k8s/demo";
import { startCluster } from "../lib/sim/cluster";
import type { StoredObject } from "../lib/sim/store/store";

export interface PodsResult {
  nodes: number;
  speed: number;
  pods: number;
  /** null: not all Ready within the time limit (then `ready` says how many were). */
  secondsToReady: number | null;
  ready: number;
  idleCpuPercent: number;
  rssMiB: number;
  heapMiB: number;
  kubectlGetPodsMs: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function crowd(replicas: number): V1StatefulSet {
  const set = structuredClone(demoObjects("default").statefulSet);
  set.metadata = { name: "crowd", namespace: "default", labels: { app: "crowd" } };
  set.spec = { ...set.spec!, serviceName: "crowd", replicas, podManagementPolicy: "Parallel", selector: { matchLabels: { app: "crowd" } } };
  set.spec.template.metadata = { labels: { app: "crowd" } };
  return set;
}

export async function runPods(opts: { nodes: number; speed: number; pods: number; timeoutMs?: number; idleMs?: number; kubectl?: string }): Promise<PodsResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-pods-"));
  const cluster = await startCluster({ apiPort: 0, dnsPort: 0, dataDir, speed: opts.speed, nodes: opts.nodes, seedDemo: false });
  const store = cluster.ctx.store;
  try {
    const svc = { ...demoObjects("default").services[0], metadata: { name: "crowd", namespace: "default", labels: { app: "crowd" } } };
    svc.spec = { ...svc.spec, selector: { app: "crowd" } };
    store.create("services", svc as unknown as StoredObject);
    store.create("statefulsets.apps", crowd(0) as unknown as StoredObject);
    const set = store.get("statefulsets.apps", "default", "crowd") as unknown as V1StatefulSet;
    const started = performance.now();
    store.update("statefulsets.apps", { ...set, spec: { ...set.spec!, replicas: opts.pods } } as unknown as StoredObject);
    const readyNow = () => (store.tryGet("statefulsets.apps", "default", "crowd") as unknown as V1StatefulSet | undefined)?.status?.readyReplicas ?? 0;
    const deadline = started + (opts.timeoutMs ?? 120_000);
    while (readyNow() < opts.pods && performance.now() < deadline) {
      await sleep(50);
      if (process.env.BENCH_VERBOSE) console.error(`${Math.round(performance.now() - started)} ms: ${readyNow()} ready, ${store.count("pods")} pods`);
    }
    const ready = readyNow();
    const secondsToReady = ready >= opts.pods ? Math.round((performance.now() - started) / 10) / 100 : null;
    await sleep(2_000); // let the last status writes and events settle
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await sleep(opts.idleMs ?? 10_000);
    const cpu = process.cpuUsage(cpuBefore);
    const idleCpuPercent = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 1000) / 10;
    const mem = process.memoryUsage();
    let kubectlGetPodsMs: number | null = null;
    if (opts.kubectl) {
      try {
        const args = ["--kubeconfig", cluster.kubeconfigPath, "--cache-dir", path.join(dataDir, "kube-cache"), "get", "pods", "-n", "default"];
        // Asynchronously: the cluster runs in this process, and a synchronous child would block it.
        const run = () => promisify(execFile)(opts.kubectl!, args, { maxBuffer: 64 * 2 ** 20 });
        await run(); // warms the discovery cache
        const t = performance.now();
        const out = (await run()).stdout;
        const listed = out.trim().split("\n").length - 1;
        kubectlGetPodsMs = listed >= opts.pods ? Math.round(performance.now() - t) : null;
      } catch (e) {
        console.error(`bench: kubectl get pods failed: ${(e as Error).message}`);
      }
    }
    return { nodes: opts.nodes, speed: opts.speed, pods: opts.pods, secondsToReady, ready, idleCpuPercent, rssMiB: Math.round(mem.rss / 2 ** 20), heapMiB: Math.round(mem.heapUsed / 2 ** 20), kubectlGetPodsMs };
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** BENCH_PROFILE=<file>: a CPU profile of the whole run (open it in Chrome DevTools). */
async function profiled<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!file) return run();
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await run();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await profiled(process.env.BENCH_PROFILE, () =>
    runPods({
    nodes: Number(process.env.PLAYGROUND_NODES ?? 10),
    speed: Number(process.env.PLAYGROUND_SPEED ?? 100),
    pods: Number(process.env.BENCH_PODS ?? 1000),
    kubectl: process.env.PLAYGROUND_KUBECTL ?? "kubectl",
    timeoutMs: Number(process.env.BENCH_TIMEOUT_MS ?? 120_000),
    idleMs: Number(process.env.BENCH_IDLE_MS ?? 10_000),
  }));
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
