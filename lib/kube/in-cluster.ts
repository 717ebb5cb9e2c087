import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * A pod's in-cluster configuration: the API server's address in KUBERNETES_SERVICE_HOST/PORT and
 * the ServiceAccount's files (token, ca.crt, namespace) that the kubelet mounts. No `server-only`
 * marker: the launcher reads the namespace too (through settings.ts).
 */
export const SERVICE_ACCOUNT_DIR = "var/run/secrets/kubernetes.io/serviceaccount";

type Env = Record<string, string | undefined>;

/** True in a pod: the kubelet sets both variables for every container (client-node's loadFromCluster needs them). */
export function inClusterEnvironment(env: Env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT);
}

/**
 * Where the ServiceAccount's files are mounted, as a prefix of client-node's absolute paths:
 * "" in a pod (/var/run/…), or PLAYGROUND_IN_CLUSTER_ROOT (a directory holding
 * var/run/secrets/kubernetes.io/serviceaccount/, for tests and unusual mounts).
 */
export function serviceAccountRoot(env: Env): string {
  const root = env.PLAYGROUND_IN_CLUSTER_ROOT;
  return root ? path.resolve(root) : "";
}

/** The pod's own namespace (the ServiceAccount's), or undefined when the file is not there. */
export function podNamespace(env: Env): string | undefined {
  try {
    const text = readFileSync(path.join(serviceAccountRoot(env) || "/", SERVICE_ACCOUNT_DIR, "namespace"), "utf8").trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}
