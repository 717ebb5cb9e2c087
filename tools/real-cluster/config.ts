import os from "node:os";
import path from "node:path";

/**
 * Where the local control plane keeps its things, all outside the repository:
 * `${PLAYGROUND_REAL_DIR:-${XDG_CACHE_HOME:-~/.cache}/sts-playground/real-cluster}`
 *   bin/playground-cluster   the control plane's one binary (etcd, kube-apiserver, controller manager, scheduler, KWOK, provisioner)
 *   bin/kubectl              upstream's kubectl of the same Kubernetes release (built on its own: the tests need it first)
 *   go-build/                Go build cache (GOCACHE) of both
 *   build.log, build.stamp   the control plane's last build output and the hash of the sources it was built from
 *   kubectl-build.log, kubectl.stamp   the same for kubectl
 *   state/                   the running cluster: kubeconfig, state.json, logs/, pki/, etcd/
 */
export interface RealClusterPaths {
  base: string;
  moduleDir: string;
  binary: string;
  kubectl: string;
  goCache: string;
  buildLog: string;
  buildStamp: string;
  kubectlBuildLog: string;
  kubectlStamp: string;
  stateDir: string;
  stateFile: string;
  launchFile: string;
  kubeconfig: string;
  logsDir: string;
  supervisorLog: string;
}

export const REAL_CONTEXT = "real-playground";

/** `override` if set, else `${XDG_CACHE_HOME:-~/.cache}/sts-playground/<name>`: where a tool's builds and state are cached. */
export function playgroundCacheDir(env: NodeJS.ProcessEnv, override: string | undefined, name: string): string {
  const cacheHome = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.resolve(override || path.join(cacheHome, "sts-playground", name));
}

export function realClusterPaths(env: NodeJS.ProcessEnv = process.env): RealClusterPaths {
  const base = playgroundCacheDir(env, env.PLAYGROUND_REAL_DIR, "real-cluster");
  return {
    base,
    moduleDir: path.resolve(import.meta.dirname),
    binary: path.join(base, "bin", "playground-cluster"),
    kubectl: path.join(base, "bin", "kubectl"),
    goCache: path.join(base, "go-build"),
    buildLog: path.join(base, "build.log"),
    buildStamp: path.join(base, "build.stamp"),
    kubectlBuildLog: path.join(base, "kubectl-build.log"),
    kubectlStamp: path.join(base, "kubectl.stamp"),
    // PLAYGROUND_REAL_INSTANCE: one checkout's own cluster beside others sharing the cached binary.
    ...instanceFiles(env.PLAYGROUND_REAL_INSTANCE ? path.join(base, env.PLAYGROUND_REAL_INSTANCE) : base),
  };
}

/** Where one running instance keeps its state, logs and kubeconfig, below `base`. */
function instanceFiles(base: string): Pick<RealClusterPaths, "stateDir" | "stateFile" | "launchFile" | "kubeconfig" | "logsDir" | "supervisorLog"> {
  const stateDir = path.join(base, "state");
  return {
    stateDir,
    stateFile: path.join(stateDir, "state.json"),
    launchFile: path.join(base, "launch.json"),
    kubeconfig: path.join(stateDir, "kubeconfig"),
    logsDir: path.join(stateDir, "logs"),
    supervisorLog: path.join(base, "supervisor.log"),
  };
}

/**
 * A separate instance of the control plane: the shared binary (built once, cached outside the
 * repo) with its own state directory, so its processes, ports (picked free) and etcd never touch
 * a cluster another suite or a developer is using, and `down` stops only this one.
 */
export function realClusterInstancePaths(instance: string, env: NodeJS.ProcessEnv = process.env): RealClusterPaths {
  const shared = realClusterPaths(env);
  const name = env.PLAYGROUND_REAL_INSTANCE ? `${env.PLAYGROUND_REAL_INSTANCE}-${instance}` : instance;
  return { ...shared, ...instanceFiles(path.join(shared.base, name)) };
}

/** Timing knobs of the fake kubelets and the node lifecycle controller (see README.md). */
export interface RealClusterSettings {
  nodes: number;
  /** Factor applied to a pod's deletionGracePeriodSeconds before KWOK removes it (> 0). */
  graceScale: number;
  /** kube-controller-manager --node-monitor-grace-period, seconds. */
  nodeGraceSeconds: number;
  leaseSeconds: number;
  podCreateMs: number;
  podReadyMs: number;
  startupTimeoutSeconds: number;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, valid: (n: number) => boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !valid(value)) throw new Error(`${name}=${raw} is not valid`);
  return value;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): RealClusterSettings {
  const positive = (n: number) => n > 0;
  const nonNegative = (n: number) => n >= 0;
  return {
    nodes: numberFrom(env, "PLAYGROUND_REAL_NODES", 3, (n) => Number.isInteger(n) && n >= 1),
    graceScale: numberFrom(env, "PLAYGROUND_REAL_GRACE_SCALE", 1, positive),
    nodeGraceSeconds: numberFrom(env, "PLAYGROUND_REAL_NODE_GRACE_SECONDS", 20, positive),
    leaseSeconds: numberFrom(env, "PLAYGROUND_REAL_LEASE_SECONDS", 20, (n) => Number.isInteger(n) && n >= 4),
    podCreateMs: numberFrom(env, "PLAYGROUND_REAL_POD_CREATE_MS", 1000, nonNegative),
    podReadyMs: numberFrom(env, "PLAYGROUND_REAL_POD_READY_MS", 1000, nonNegative),
    startupTimeoutSeconds: numberFrom(env, "PLAYGROUND_REAL_STARTUP_TIMEOUT_SECONDS", 240, positive),
  };
}

/** The supervisor's flags for these settings. */
export function supervisorArgs(paths: RealClusterPaths, s: RealClusterSettings): string[] {
  return [
    "run",
    "--state-dir", paths.stateDir,
    "--nodes", String(s.nodes),
    "--grace-scale", String(s.graceScale),
    "--node-monitor-grace-period", `${s.nodeGraceSeconds}s`,
    "--lease-duration-seconds", String(s.leaseSeconds),
    "--pod-create-delay", `${s.podCreateMs}ms`,
    "--pod-ready-delay", `${s.podReadyMs}ms`,
    "--startup-timeout", `${s.startupTimeoutSeconds}s`,
  ];
}
