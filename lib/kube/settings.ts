import { DNS1123_LABEL, DNS1123_LABEL_MAX_LENGTH } from "../k8s/names";
import { inClusterEnvironment, podNamespace, serviceAccountRoot } from "./in-cluster";

/**
 * Which cluster the dashboard talks to, decided from the environment alone (no `server-only`
 * marker) so the launcher script (scripts/playground.ts) applies the same rule before deciding
 * whether to start the embedded cluster. Its only I/O: the pod's namespace file, in a pod.
 *
 * - Real cluster: opt-in with PLAYGROUND_KUBECONFIG, PLAYGROUND_CONTEXT or PLAYGROUND_MODE=real.
 *   A plain KUBECONFIG in the shell does not switch modes on its own (a teacher's production
 *   kubeconfig must never be picked up by accident), but it is the file used when
 *   PLAYGROUND_KUBECONFIG is absent.
 * - In a pod (KUBERNETES_SERVICE_HOST/PORT set) with a real cluster requested and no
 *   PLAYGROUND_KUBECONFIG: the pod's ServiceAccount (in-cluster configuration), confined to the
 *   pod's own namespace unless PLAYGROUND_NAMESPACE says otherwise. A pod without
 *   PLAYGROUND_MODE=real runs the embedded cluster, like a laptop.
 * - Embedded: PLAYGROUND_EMBEDDED_KUBECONFIG, set by the launcher to <dataDir>/kubeconfig.
 */
export type Env = Record<string, string | undefined>;

export interface PlaygroundSettings {
  mode: "embedded" | "real";
  /** kubeconfig file(s): a path for embedded / PLAYGROUND_KUBECONFIG; undefined = client-node's default loading (KUBECONFIG, ~/.kube/config). */
  kubeconfigPath?: string;
  /** The kubeconfig context to use (real); undefined = the file's current-context. */
  context?: string;
  /** Real cluster through the pod's ServiceAccount: the mount prefix of its files ("" = /var/run/…). */
  inCluster?: { root: string };
  namespace: string;
  maxReplicas: number;
  /** The embedded cluster's DNS server port on 127.0.0.1, when known. */
  dnsPort?: number;
}

export const DEFAULT_REAL_NAMESPACE = "sts-playground";
export const EMBEDDED_NAMESPACE = "default";
export const DEFAULT_MAX_REPLICAS = 50;


export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SettingsError";
  }
}

/** By name, not instanceof (Next may load this module once per route bundle). */
export function isSettingsError(err: unknown): err is SettingsError {
  return err instanceof Error && err.name === "SettingsError";
}

/** True when the environment opts into a real cluster (the launcher then does not start the embedded one). */
export function realClusterRequested(env: Env): boolean {
  if (env.PLAYGROUND_MODE === "real") return true;
  if (env.PLAYGROUND_MODE === "embedded") return false;
  return Boolean(env.PLAYGROUND_KUBECONFIG || env.PLAYGROUND_CONTEXT);
}

function parseMaxReplicas(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_MAX_REPLICAS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10_000) {
    throw new SettingsError(`PLAYGROUND_MAX_REPLICAS must be an integer 0…10000, got "${raw}"`);
  }
  return n;
}

function parsePort(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new SettingsError(`${name} must be a port number, got "${raw}"`);
  return n;
}

/** PLAYGROUND_MAX_REPLICAS (default 50), for validating requests even before a cluster is configured. */
export function maxReplicasFromEnv(env: Env = process.env): number {
  return parseMaxReplicas(env.PLAYGROUND_MAX_REPLICAS);
}

/** Settings from the environment; throws SettingsError when no cluster is configured or a value is invalid. */
export function settingsFromEnv(env: Env): PlaygroundSettings {
  const maxReplicas = parseMaxReplicas(env.PLAYGROUND_MAX_REPLICAS);
  if (realClusterRequested(env)) {
    const inCluster = !env.PLAYGROUND_KUBECONFIG && !env.PLAYGROUND_CONTEXT && inClusterEnvironment(env);
    const namespace = env.PLAYGROUND_NAMESPACE || (inCluster && podNamespace(env)) || DEFAULT_REAL_NAMESPACE;
    if (!DNS1123_LABEL.test(namespace) || namespace.length > DNS1123_LABEL_MAX_LENGTH) {
      throw new SettingsError(`PLAYGROUND_NAMESPACE must be a DNS-1123 label, got "${namespace}"`);
    }
    return {
      mode: "real",
      kubeconfigPath: env.PLAYGROUND_KUBECONFIG || undefined,
      context: env.PLAYGROUND_CONTEXT || undefined,
      ...(inCluster ? { inCluster: { root: serviceAccountRoot(env) } } : {}),
      namespace,
      maxReplicas,
    };
  }
  if (env.PLAYGROUND_EMBEDDED_KUBECONFIG) {
    return {
      mode: "embedded",
      kubeconfigPath: env.PLAYGROUND_EMBEDDED_KUBECONFIG,
      namespace: EMBEDDED_NAMESPACE,
      maxReplicas,
      dnsPort: parsePort(env.PLAYGROUND_DNS_PORT, "PLAYGROUND_DNS_PORT"),
    };
  }
  throw new SettingsError(
    "no cluster configured: start the dashboard with `npm start` (embedded cluster) or set PLAYGROUND_KUBECONFIG / PLAYGROUND_CONTEXT for a real cluster",
  );
}
