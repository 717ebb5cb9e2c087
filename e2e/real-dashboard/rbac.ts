/**
 * Least privilege, for real: renders the kustomization (`kubectl kustomize deploy`, and the opt-in
 * `deploy/overlays/cluster-read`) with the suite's kubectl, applies its ServiceAccount, Role and
 * RoleBinding (and the overlay's ClusterRole + binding) with admin rights, asks the TokenRequest
 * API for a short-lived token of that ServiceAccount and writes a kubeconfig holding only that
 * token — the rights the dashboard's pod has in the cluster (deploy/README.md).
 *
 * The rendered rules are applied verbatim; only the namespace may be renamed (and the
 * cluster-scoped names suffixed) so several test namespaces can coexist on one cluster.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments, stringify } from "yaml";
import { kubeConfigFor, type ClusterEnv } from "../../tools/real-cluster/cluster";
import { KUBECTL, kubectl } from "./kubectl";

const REPO = path.resolve(import.meta.dirname, "../..");
/** The kustomization a teacher applies (`kubectl apply -k deploy/`) and its opt-in overlay. */
export const DEPLOY_KUSTOMIZATION = path.join(REPO, "deploy");
export const CLUSTER_READ_KUSTOMIZATION = path.join(REPO, "deploy/overlays/cluster-read");
/** What of the rendered manifests grants the dashboard its rights (the Deployment, Service… are not needed here). */
export const RBAC_KINDS = new Set(["Namespace", "ServiceAccount", "Role", "RoleBinding"]);
const CLUSTER_READ_KINDS = new Set(["ClusterRole", "ClusterRoleBinding"]);
/** The namespace and ServiceAccount name the manifests use. */
export const MANIFEST_NAMESPACE = "sts-playground";
export const SERVICE_ACCOUNT = "sts-playground";
export const SA_CONTEXT = "sts-playground";

export type Doc = {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  subjects?: { kind?: string; namespace?: string }[];
  roleRef?: { kind?: string; name?: string };
};

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);

/** `kubectl kustomize <dir>` with the suite's kubectl (v1.36.3): the manifests exactly as `kubectl apply -k` sends them. */
export function renderKustomization(dir: string): string {
  return execFileSync(KUBECTL, ["kustomize", dir], { encoding: "utf8", timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
}

/** The rendered documents of the given kinds with the namespace renamed; everything else (rules above all) as rendered. */
export function manifestFor(rendered: string, kinds: Set<string>, namespace: string): Doc[] {
  const suffix = namespace === MANIFEST_NAMESPACE ? "" : `-${namespace}`;
  return parseAllDocuments(rendered)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null && kinds.has(d.kind ?? ""))
    .map((doc) => {
      if (doc.kind === "Namespace") doc.metadata!.name = namespace;
      else if (CLUSTER_SCOPED.has(doc.kind ?? "")) doc.metadata!.name = `${doc.metadata!.name}${suffix}`;
      if (doc.metadata?.namespace === MANIFEST_NAMESPACE) doc.metadata.namespace = namespace;
      for (const subject of doc.subjects ?? []) if (subject.namespace === MANIFEST_NAMESPACE) subject.namespace = namespace;
      if (doc.roleRef?.kind === "ClusterRole") doc.roleRef.name = `${doc.roleRef.name}${suffix}`;
      return doc;
    });
}

export async function applyManifest(admin: ClusterEnv, docs: Doc[]): Promise<string> {
  return kubectl(admin, ["apply", "-f", "-"], docs.map((d) => stringify(d)).join("---\n"));
}

/** Deletes what applyManifest created (the namespace last, with everything in it). */
export async function deleteManifest(admin: ClusterEnv, docs: Doc[]): Promise<void> {
  await kubectl(admin, ["delete", "--ignore-not-found", "--wait=false", "-f", "-"], docs.map((d) => stringify(d)).join("---\n")).catch(() => undefined);
}

export interface LeastPrivilege {
  namespace: string;
  kubeconfigPath: string;
  context: string;
  /** The manifests applied, for cleanup. */
  docs: Doc[];
}

/**
 * Applies the sample RBAC for `namespace` and writes `<dir>/<namespace>.kubeconfig` for its
 * ServiceAccount: same server and CA as the admin's, a bearer token from the TokenRequest API,
 * no client certificate.
 */
export async function leastPrivilegeKubeconfig(admin: ClusterEnv, options: { namespace: string; clusterRead: boolean; dir: string }): Promise<LeastPrivilege> {
  const docs = [
    ...manifestFor(renderKustomization(DEPLOY_KUSTOMIZATION), RBAC_KINDS, options.namespace),
    ...(options.clusterRead ? manifestFor(renderKustomization(CLUSTER_READ_KUSTOMIZATION), CLUSTER_READ_KINDS, options.namespace) : []),
  ];
  await applyManifest(admin, docs);
  const kc = kubeConfigFor(admin);
  const core = kc.makeApiClient(CoreV1Api);
  const token = await core.createNamespacedServiceAccountToken({
    name: SERVICE_ACCOUNT,
    namespace: options.namespace,
    body: { spec: { audiences: [], expirationSeconds: 2 * 3600 } },
  });
  if (!token.status?.token) throw new Error("the TokenRequest API returned no token");
  const cluster = kc.getCurrentCluster()!;
  const caData = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString("base64") : undefined);
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "target", cluster: { server: cluster.server, ...(caData ? { "certificate-authority-data": caData } : {}), ...(cluster.skipTLSVerify ? { "insecure-skip-tls-verify": true } : {}) } }],
    users: [{ name: SERVICE_ACCOUNT, user: { token: token.status.token } }],
    contexts: [{ name: SA_CONTEXT, context: { cluster: "target", user: SERVICE_ACCOUNT, namespace: options.namespace } }],
    "current-context": SA_CONTEXT,
  };
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const kubeconfigPath = path.join(options.dir, `${options.namespace}.kubeconfig`);
  writeFileSync(kubeconfigPath, stringify(config), { mode: 0o600 });
  return { namespace: options.namespace, kubeconfigPath, context: SA_CONTEXT, docs };
}

/** A KubeConfig for a kubeconfig file and context (the ServiceAccount's, typically). */
export function kubeConfigAt(kubeconfigPath: string, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}
