import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import { clusterOptionsFromEnv, startCluster, type ClusterOptions, type RunningCluster } from "@/lib/sim/cluster";
import { writeKubeconfig } from "@/lib/sim/kubeconfig";
import { disposeRuntime, getRuntime, type PlaygroundRuntime } from "../runtime";
import { startFaultProxy, type FaultProxy } from "./fault-proxy";

/**
 * Test harness for the fuzz, resilience and soak tests: the embedded cluster on ephemeral ports in
 * this process, the dashboard's runtime pointed at it (exactly as the launcher wires them), and a
 * way to stop and start the cluster again on the same ports and data directory (an API server
 * outage that keeps state).
 */
export const TEST_HOST = "127.0.0.1:3000";

export interface EmbeddedHarness {
  cluster: RunningCluster;
  runtime: PlaygroundRuntime;
  dataDir: string;
  /** The proxy the dashboard talks through, when asked for. */
  proxy?: FaultProxy;
  /** Stops the cluster (API server, DNS, controllers; state flushed). The runtime keeps running and retrying. */
  stopCluster(): Promise<void>;
  /** Starts it again on the same API/DNS ports and data directory. */
  startClusterAgain(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  speed?: number;
  /** Passed through to startCluster (e.g. a tiny watch history). */
  cluster?: Partial<ClusterOptions>;
  /** Put a FaultProxy between the dashboard and the API server. */
  viaProxy?: boolean;
}

export async function startEmbedded(options: HarnessOptions = {}): Promise<EmbeddedHarness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "playground-h-sec-"));
  const baseOptions = (apiPort: string, dnsPort: string): ClusterOptions => ({
    ...clusterOptionsFromEnv({ PLAYGROUND_API_PORT: apiPort, PLAYGROUND_DNS_PORT: dnsPort, PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: String(options.speed ?? 50) }),
    ...options.cluster,
  });
  let cluster = await startCluster(baseOptions("0", "0"));
  const apiPort = String(cluster.apiPort);
  const dnsPort = String(cluster.dnsPort);
  disposeRuntime();
  for (const key of ["PLAYGROUND_KUBECONFIG", "PLAYGROUND_CONTEXT", "PLAYGROUND_MODE", "PLAYGROUND_TOKEN", "PLAYGROUND_NAMESPACE"]) delete process.env[key];
  const proxy = options.viaProxy ? await startFaultProxy(cluster.apiUrl) : undefined;
  let kubeconfigPath = cluster.kubeconfigPath;
  if (proxy) {
    kubeconfigPath = path.join(dataDir, "kubeconfig-via-proxy");
    writeKubeconfig(kubeconfigPath, proxy.url);
  }
  process.env.PLAYGROUND_EMBEDDED_KUBECONFIG = kubeconfigPath;
  process.env.PLAYGROUND_DNS_PORT = dnsPort;
  const runtime = getRuntime();
  await runtime.whenSettled(30_000);
  let running = true;
  const harness: EmbeddedHarness = {
    get cluster() {
      return cluster;
    },
    runtime,
    dataDir,
    proxy,
    async stopCluster() {
      if (!running) return;
      running = false;
      await cluster.stop();
    },
    async startClusterAgain() {
      cluster = await startCluster(baseOptions(apiPort, dnsPort));
      running = true;
    },
    async close() {
      disposeRuntime();
      await proxy?.close();
      if (running) await cluster.stop();
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const isReady = (p: V1Pod): boolean =>
  !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

export function kubiaPods(runtime: PlaygroundRuntime): V1Pod[] {
  return runtime.hub.list("pods").filter((p) => p.metadata?.namespace === "default" && /^kubia-\d+$/.test(p.metadata.name ?? ""));
}

export async function until(runtime: PlaygroundRuntime, what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const ok = await runtime.hub.waitFor(predicate, timeoutMs);
  expect(ok, `timed out waiting for ${what}`).toBe(true);
}

export async function readyKubiaPods(runtime: PlaygroundRuntime, n: number, timeoutMs = 30_000): Promise<void> {
  await until(runtime, `${n} ready kubia pods`, () => kubiaPods(runtime).length === n && kubiaPods(runtime).every(isReady), timeoutMs);
}

/** A Request as a same-origin browser on the loopback dashboard would send it. */
export function apiRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://${TEST_HOST}${url}`, {
    method,
    headers: { host: TEST_HOST, ...(method === "GET" ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export const nameParams = (name: string) => ({ params: Promise.resolve({ name }) });

/**
 * What the dashboard could change in the cluster, read from the store itself (not through the
 * dashboard): StatefulSet specs, the set of pods and PVCs with their uids and deletion state,
 * services, node annotations, PVs, volume contents and faults. Status fields and events, which
 * controllers change on their own, are left out.
 */
export function mutableFingerprint(cluster: RunningCluster): string {
  const { store, volumes, faults, speed } = cluster.ctx;
  const meta = (o: { metadata: { name?: string; uid?: string; deletionTimestamp?: unknown; generation?: number } }) =>
    `${o.metadata.name}/${o.metadata.uid}/${o.metadata.deletionTimestamp ? "terminating" : "live"}`;
  const list = (resource: string, namespace?: string) =>
    store.list(resource, namespace ? { namespace } : {}).items.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  const fingerprint = {
    namespaces: list("namespaces").map(meta),
    statefulsets: list("statefulsets.apps").map((o) => ({ id: `${o.metadata.namespace}/${meta(o)}`, generation: o.metadata.generation, spec: (o as { spec?: unknown }).spec })),
    pods: list("pods").map((o) => `${o.metadata.namespace}/${meta(o)}`),
    pvcs: list("persistentvolumeclaims").map((o) => `${o.metadata.namespace}/${meta(o)}`),
    pvs: list("persistentvolumes").map(meta),
    services: list("services").map((o) => ({ id: `${o.metadata.namespace}/${meta(o)}`, spec: (o as { spec?: unknown }).spec })),
    configmaps: list("configmaps").map((o) => `${o.metadata.namespace}/${meta(o)}/${o.metadata.resourceVersion}`),
    nodes: list("nodes").map((o) => ({ id: meta(o), annotations: o.metadata.annotations, taints: (o as { spec?: { taints?: unknown } }).spec?.taints })),
    volumes: volumes.names().map((pv) => [pv, volumes.read(pv)]),
    faults: faults.get(),
    speed: { speed: speed.state().speed, paused: speed.state().paused },
  };
  return JSON.stringify(fingerprint, null, 1);
}

export { SseClient, type SseFrame } from "./sse-client";

/** Polls `predicate` until it holds (for state that changes without a hub event, e.g. informer stats). */
export async function eventually(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every informer has its one watch open (between restarts there is a moment with none). */
export function allWatching(runtime: PlaygroundRuntime): boolean {
  return [...runtime.informers.values()].every((i) => i.stats.openWatches === 1);
}
