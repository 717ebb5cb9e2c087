import type { SimContext } from "../context";
import type { StoredObject } from "../store/store";
import { objectKey } from "../../k8s/keys";
import { type RunningController, runController } from "./runtime/controller";
import { ignoreStale } from "./util";

export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

/**
 * The cluster's root CA, as the controller manager's --root-ca-file gives it. The embedded API
 * server speaks plain HTTP on loopback, so nothing is verified with it; it exists because clients
 * (the upstream e2e framework, projected service-account volumes) expect `kube-root-ca.crt` in every
 * namespace. Generated once per cluster, then kept: the copy in kube-system is persisted with the
 * rest of the state and read back on the next start.
 */
async function rootCa(ctx: SimContext): Promise<string> {
  const kept = ctx.store.tryGet("configmaps", "kube-system", ROOT_CA_CONFIGMAP)?.data as Record<string, string> | undefined;
  if (kept?.["ca.crt"]) return kept["ca.crt"];
  const { generate } = await import("selfsigned");
  const notAfterDate = new Date(ctx.clock.now() + TEN_YEARS_MS); // kubeadm's CA lifetime
  const pems = await generate([{ name: "commonName", value: "kubernetes" }], { keySize: 2048, notAfterDate, extensions: [{ name: "basicConstraints", cA: true, critical: true }] });
  return pems.cert;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const usable = (ns: StoredObject | undefined) => !!ns && !ns.metadata.deletionTimestamp && (ns.status as { phase?: string } | undefined)?.phase !== "Terminating";

/**
 * kube-controller-manager's serviceaccount-controller and root-ca-cert-publisher: every active
 * namespace has a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap, recreated when
 * deleted and put back when edited (pkg/controller/serviceaccount, certificates/rootcacertpublisher).
 */
export function startServiceAccountControllers(ctx: SimContext, ca: Promise<string> = rootCa(ctx)): RunningController & { ready: Promise<void> } {
  const { store } = ctx;
  let caPem: string | undefined;

  const ensureServiceAccount = (namespace: string) => {
    if (store.tryGet("serviceaccounts", namespace, "default")) return;
    ignoreStale(() => store.create("serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } }));
  };

  const ensureRootCa = (namespace: string, pem: string) => {
    const data = { "ca.crt": pem };
    const existing = store.tryGet("configmaps", namespace, ROOT_CA_CONFIGMAP);
    if (!existing) {
      const metadata = { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } };
      ignoreStale(() => store.create("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata, data }));
      return;
    }
    const current = existing.data as Record<string, string> | undefined;
    const sameData = current && Object.keys(current).length === 1 && current["ca.crt"] === pem;
    if (sameData && existing.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const annotations = { ...(existing.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
    store.update("configmaps", { ...existing, metadata: { ...existing.metadata, annotations }, data });
  };

  const namespaceOf = (obj: StoredObject, name: string) => (obj.metadata.name === name && obj.metadata.namespace ? [obj.metadata.namespace] : []);
  const controller = runController(ctx, {
    name: "serviceaccount-controllers",
    watches: [
      { resource: "namespaces", keys: (obj) => [objectKey(obj)] },
      { resource: "serviceaccounts", keys: (obj) => namespaceOf(obj, "default") },
      { resource: "configmaps", keys: (obj) => namespaceOf(obj, ROOT_CA_CONFIGMAP) },
    ],
    reconcile(namespace) {
      if (!usable(store.tryGet("namespaces", undefined, namespace))) return;
      ensureServiceAccount(namespace);
      if (caPem) ensureRootCa(namespace, caPem);
    },
  });
  const ready = ca.then(
    (pem) => {
      caPem = pem;
      for (const ns of store.list("namespaces").items) controller.queue.add(objectKey(ns));
    },
    (e: Error) => console.error(`playground cluster: no root CA for kube-root-ca.crt: ${e.message}`),
  );
  return { ...controller, ready };
}
