import fs from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";

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

type Named = { name?: unknown; [field: string]: unknown };
type Config = Record<string, unknown> & { clusters?: Named[]; users?: Named[]; contexts?: Named[] };

/** The kubeconfig already in `file`, when there is one that kubectl could read (else undefined). */
function existingConfig(file: string): Config | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const config = parse(text) as unknown;
    if (!config || typeof config !== "object" || Array.isArray(config)) return undefined;
    const lists = ["clusters", "users", "contexts"].map((k) => (config as Config)[k]);
    return lists.every((list) => list === undefined || list === null || Array.isArray(list)) ? (config as Config) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `config` with the embedded cluster's own entries pointing at `server`: only the server address of
 * the `playground` cluster changes; its user and context are added when missing, and everything the
 * user set (the context's namespace, other clusters, the current context) stays as it is.
 */
export function withServer(config: Config, server: string): Config {
  const fresh = kubeconfigFor(server) as Config;
  const merged: Config = { ...config };
  for (const list of ["clusters", "users", "contexts"] as const) {
    const entries = [...((merged[list] as Named[] | null | undefined) ?? [])];
    const own = fresh[list]![0];
    const index = entries.findIndex((e) => e && typeof e === "object" && e.name === own.name);
    if (index < 0) entries.push(own);
    else if (list === "clusters") {
      const cluster = entries[index].cluster;
      entries[index] = { ...entries[index], cluster: { ...(cluster && typeof cluster === "object" ? cluster : {}), server } };
    }
    merged[list] = entries;
  }
  if (!merged["current-context"]) merged["current-context"] = KUBECONFIG_CONTEXT;
  return merged;
}

/**
 * Writes the kubeconfig atomically (temp file + rename), readable by the owner only as kubeconfigs
 * should be. A kubeconfig already there keeps what the user changed (withServer); an unreadable one
 * is replaced.
 */
export function writeKubeconfig(file: string, server: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existing = existingConfig(file);
  const config = existing ? withServer(existing, server) : kubeconfigFor(server);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, stringify(config), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
