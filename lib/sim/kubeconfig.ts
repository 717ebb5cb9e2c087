import fs from "node:fs";
import path from "node:path";
import { stringify } from "yaml";

export const KUBECONFIG_CONTEXT = "playground";

/**
 * A kubeconfig for the embedded cluster: cluster and context `playground`, namespace default.
 * The API server is plain HTTP on loopback and authenticates nobody, so the user is a placeholder
 * without credentials (kubectl and client-node want a user entry).
 */
export function kubeconfigFor(server: string): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    // client-node refuses an http: server unless TLS verification is marked skipped (there is no TLS
    // to verify); kubectl does not mind either way.
    clusters: [{ name: KUBECONFIG_CONTEXT, cluster: { server, "insecure-skip-tls-verify": true } }],
    users: [{ name: "playground-user", user: {} }],
    contexts: [{ name: KUBECONFIG_CONTEXT, context: { cluster: KUBECONFIG_CONTEXT, user: "playground-user", namespace: "default" } }],
    "current-context": KUBECONFIG_CONTEXT,
  };
}

/** Writes it atomically (temp file + rename), readable by the owner only as kubeconfigs should be. */
export function writeKubeconfig(file: string, server: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, stringify(kubeconfigFor(server)), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
