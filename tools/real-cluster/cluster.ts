import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, closeSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Node } from "@kubernetes/client-node";
import { buildBinary, tail } from "./build";
import { REAL_CONTEXT, realClusterPaths, settingsFromEnv, supervisorArgs, type RealClusterPaths, type RealClusterSettings } from "./config";
import { isOurProcess, terminate } from "./processes";
import { NODE_DOWN_ANNOTATION } from "../../lib/k8s/wellknown";

/** What the supervisor (`playground-cluster run`) reports in state/state.json. */
export interface ClusterState {
  status: "starting" | "ready" | "failed" | "stopped";
  error?: string;
  pid: number;
  binary: string;
  children: Record<string, number>;
  server: string;
  kubeconfig: string;
  context: string;
  nodes: string[];
  downNodes: string[] | null;
  startedAt: string;
  readyAt?: string;
}

/** How tests and the dashboard reach the cluster. */
export interface ClusterEnv {
  PLAYGROUND_KUBECONFIG: string;
  PLAYGROUND_CONTEXT: string;
}

/** Recorded at launch so `up` knows whether a running cluster matches what is asked now. */
interface LaunchRecord {
  binaryStamp: string;
  settings: RealClusterSettings;
}

export function readState(paths: RealClusterPaths): ClusterState | null {
  try {
    return JSON.parse(readFileSync(paths.stateFile, "utf8")) as ClusterState;
  } catch {
    return null;
  }
}

export function clusterEnv(paths: RealClusterPaths = realClusterPaths()): ClusterEnv {
  return { PLAYGROUND_KUBECONFIG: paths.kubeconfig, PLAYGROUND_CONTEXT: REAL_CONTEXT };
}

/** The running cluster's state when its supervisor is alive and reported ready, else null. */
export function runningCluster(paths: RealClusterPaths): ClusterState | null {
  const state = readState(paths);
  if (!state || state.status !== "ready" || !isOurProcess(state.pid, paths.binary)) return null;
  return state;
}

function readLaunch(paths: RealClusterPaths): LaunchRecord | null {
  try {
    return JSON.parse(readFileSync(paths.launchFile, "utf8")) as LaunchRecord;
  } catch {
    return null;
  }
}

function currentStamp(paths: RealClusterPaths): string {
  return existsSync(paths.buildStamp) ? readFileSync(paths.buildStamp, "utf8").trim() : "";
}

export interface UpOptions {
  paths?: RealClusterPaths;
  settings?: RealClusterSettings;
  log?: (line: string) => void;
}

export interface UpResult extends ClusterEnv {
  reused: boolean;
  build: { skipped: boolean; seconds: number };
  startSeconds: number;
}

/**
 * Builds if needed, then starts the control plane unless an identical one is already running
 * and healthy. Unattended: no prompts, stale processes from earlier runs are stopped, and a
 * failure throws with the tails of the logs.
 */
export async function up(options: UpOptions = {}): Promise<UpResult> {
  const paths = options.paths ?? realClusterPaths();
  const settings = options.settings ?? settingsFromEnv();
  const log = options.log ?? ((line: string) => console.error(line));
  const build = await buildBinary(paths, log);
  const wanted: LaunchRecord = { binaryStamp: currentStamp(paths), settings };

  const running = runningCluster(paths);
  if (running && JSON.stringify(readLaunch(paths)) === JSON.stringify(wanted) && (await apiHealthy(paths))) {
    log(`real cluster already running: ${running.server} (supervisor pid ${running.pid})`);
    return { ...clusterEnv(paths), reused: true, build, startSeconds: 0 };
  }
  if (running) log("real cluster running with another binary or settings (or unhealthy): restarting it");
  await down({ paths, log: () => {} });

  const started = Date.now();
  const supervisorPid = launchSupervisor(paths, settings);
  writeFileSync(paths.launchFile, JSON.stringify(wanted, null, 2));
  await waitReady(paths, supervisorPid, settings.startupTimeoutSeconds * 1000 + 30_000);
  const startSeconds = (Date.now() - started) / 1000;
  log(`real cluster ready in ${startSeconds.toFixed(1)}s: ${readState(paths)?.server}`);
  return { ...clusterEnv(paths), reused: false, build, startSeconds };
}

function launchSupervisor(paths: RealClusterPaths, settings: RealClusterSettings): number {
  mkdirSync(paths.stateDir, { recursive: true });
  rmSync(paths.stateFile, { force: true });
  const logFd = openSync(paths.supervisorLog, "w");
  try {
    const child = spawn(paths.binary, supervisorArgs(paths, settings), {
      detached: true, // its own session: it outlives this script and ignores our terminal's ^C
      stdio: ["ignore", logFd, logFd],
    });
    if (!child.pid) throw new Error(`could not start ${paths.binary}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(logFd);
  }
}

async function waitReady(paths: RealClusterPaths, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = readState(paths);
    if (state?.pid === pid && state.status === "ready") return;
    const failure =
      state?.pid === pid && state.status === "failed"
        ? state.error
        : !isOurProcess(pid, paths.binary)
          ? "the supervisor exited"
          : Date.now() > deadline
            ? `not ready after ${timeoutMs / 1000}s`
            : null;
    if (failure) {
      await terminate(pid, paths.binary, 10_000);
      throw new Error(`real cluster failed to start: ${failure}\n${logTails(paths)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The supervisor's log and the last lines of every component's, for failure messages. */
export function logTails(paths: RealClusterPaths, lines = 15): string {
  const parts = [`--- ${paths.supervisorLog}\n${tail(paths.supervisorLog, 40)}`];
  if (existsSync(paths.logsDir)) {
    for (const file of readdirSync(paths.logsDir).sort()) {
      const full = path.join(paths.logsDir, file);
      parts.push(`--- ${full}\n${tail(full, lines)}`);
    }
  }
  return parts.join("\n");
}

/** Stops the supervisor (which stops its components), then any component left behind. */
export async function down(options: { paths?: RealClusterPaths; log?: (line: string) => void } = {}): Promise<void> {
  const paths = options.paths ?? realClusterPaths();
  const log = options.log ?? ((line: string) => console.error(line));
  const state = readState(paths);
  if (!state) {
    log("real cluster: nothing to stop");
    return;
  }
  await terminate(state.pid, paths.binary, 30_000);
  // Components die with the supervisor (Pdeathsig); this only catches what a crash left behind.
  for (const pid of Object.values(state.children ?? {})) await terminate(pid, paths.binary, 5_000);
  log(`real cluster stopped (supervisor pid ${state.pid})`);
}

export function kubeConfigFor(env: ClusterEnv): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(env.PLAYGROUND_KUBECONFIG);
  kc.setCurrentContext(env.PLAYGROUND_CONTEXT);
  return kc;
}

async function apiHealthy(paths: RealClusterPaths): Promise<boolean> {
  try {
    const nodes = await kubeConfigFor(clusterEnv(paths)).makeApiClient(CoreV1Api).listNode();
    return nodes.items.length > 0;
  } catch {
    return false;
  }
}

/** "2" and "k8s-node2" both name k8s-node2. */
export function nodeName(arg: string): string {
  return /^\d+$/.test(arg) ? `k8s-node${arg}` : arg;
}

/**
 * Fails (down=true) or recovers a node through its playground.k8s.io/down annotation: on this
 * cluster the supervisor then kills or restarts the node's KWOK "kubelet"; the embedded cluster
 * honours the same annotation.
 */
export async function setNodeDown(env: ClusterEnv, node: string, isDown: boolean): Promise<V1Node> {
  const core = kubeConfigFor(env).makeApiClient(CoreV1Api);
  const body = { metadata: { annotations: { [NODE_DOWN_ANNOTATION]: isDown ? "true" : null } } };
  return core.patchNode({ name: node, body }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
}

/** The node's Ready condition status ("True", "False", "Unknown"), or "Missing". */
export function nodeReadyStatus(node: V1Node): string {
  return node.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Missing";
}

export async function waitForNodeReadyStatus(env: ClusterEnv, node: string, wanted: string, timeoutMs: number): Promise<V1Node> {
  const core = kubeConfigFor(env).makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await core.readNode({ name: node });
    if (nodeReadyStatus(current) === wanted) return current;
    if (Date.now() > deadline) throw new Error(`node ${node} is Ready=${nodeReadyStatus(current)}, still not ${wanted} after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
