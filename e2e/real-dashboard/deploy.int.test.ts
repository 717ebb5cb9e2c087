/**
 * deploy/ against the real control plane (v1.36.3), the schema validator of record: the rendered
 * kustomization (`kubectl kustomize deploy`, the suite's kubectl) is applied with strict field
 * validation (an unknown or duplicated field is an error, not a warning), its Deployment's pod
 * passes the "restricted" Pod Security admission, and the dashboard, configured as in that pod
 * (in-cluster configuration: the ServiceAccount's token, CA and namespace files plus
 * KUBERNETES_SERVICE_HOST/PORT), confines itself to the pod's namespace with the rendered Role.
 *
 * Why the API server and not kubeconform: kubeconform needs JSON schemas, which it downloads at
 * run time (impossible here) or which would have to be converted from this same API server's
 * OpenAPI by a further tool; the API server validates against its own schemas and admission,
 * which is what `kubectl apply -k deploy/` meets.
 *
 * Without Go this FAILS (the control plane cannot be built) unless PLAYGROUND_SKIP_REAL=1 says to skip.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, type V1Deployment } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoObjects } from "@/lib/k8s/demo";
import { SERVICE_ACCOUNT_DIR } from "@/lib/kube/in-cluster";
import { disposeRuntime, getRuntime } from "@/lib/kube/runtime";
import { kubeConfigFor } from "../../tools/real-cluster/cluster";
import { kubectl, KubectlError } from "./kubectl";
import { DEPLOY_KUSTOMIZATION, manifestFor, renderKustomization, type Doc } from "./rbac";
import { SKIP_REAL, startTarget, type Target } from "./target";

const log = (line: string) => console.log(`[real-dashboard deploy] ${line}`);
const ALL_KINDS = new Set(["Namespace", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "NetworkPolicy"]);
const ENV_KEYS = ["PLAYGROUND_MODE", "PLAYGROUND_KUBECONFIG", "PLAYGROUND_CONTEXT", "PLAYGROUND_NAMESPACE", "PLAYGROUND_IN_CLUSTER_ROOT", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"] as const;

const yamlOf = (docs: unknown[]) => docs.map((d) => JSON.stringify(d)).join("\n---\n");

describe.skipIf(SKIP_REAL)("deploy/ on the real control plane", () => {
  let target: Target;
  let namespace: string;
  let docs: Doc[];
  let podRoot: string;
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    target = await startTarget(log);
    namespace = `rd-deploy-${randomBytes(3).toString("hex")}`;
    docs = manifestFor(renderKustomization(DEPLOY_KUSTOMIZATION), ALL_KINDS, namespace);
    podRoot = mkdtempSync(path.join(os.tmpdir(), "rd-pod-"));
  });

  afterAll(async () => {
    disposeRuntime();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (namespace) await kubectl(target.admin, ["delete", "namespace", namespace, "--ignore-not-found", "--wait=false"]).catch(() => undefined);
    if (podRoot) rmSync(podRoot, { recursive: true, force: true });
    await target?.stop();
  });

  it("strict validation refuses a misspelt field (the validator can fail)", async () => {
    const deployment = docs.find((d) => d.kind === "Deployment") as unknown as V1Deployment;
    const broken = structuredClone(deployment) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    broken.spec.template.spec.containers[0].readOnlyRootFileSystem = true; // "FileSystem": not a field
    const error = await kubectl(target.admin, ["apply", "--dry-run=server", "--validate=strict", "-n", "default", "-f", "-"], yamlOf([{ ...broken, metadata: { name: "typo" } }])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubectlError);
    expect((error as KubectlError).stderr).toMatch(/unknown field "spec\.template\.spec\.containers\[0\]\.readOnlyRootFileSystem"/);
  });

  it("the rendered manifests apply with strict validation and no warning; the pod is admitted", async () => {
    // The Secret the kustomization expects the teacher to create.
    await kubectl(target.admin, ["apply", "--validate=strict", "-f", "-"], yamlOf(docs.filter((d) => d.kind === "Namespace")));
    await kubectl(target.admin, ["-n", namespace, "create", "secret", "generic", "sts-playground-token", "--from-literal=token=not-a-real-token"]);
    const out = await kubectl(target.admin, ["apply", "--validate=strict", "--warnings-as-errors", "-f", "-"], yamlOf(docs));
    log(out.trim());
    const kinds = ["serviceaccount", "role", "rolebinding", "deployment", "service", "networkpolicy"];
    for (const kind of kinds) expect(out, kind).toMatch(new RegExp(`^${kind}[.\\w]*/sts-playground (created|configured|unchanged)$`, "m"));
    // The ReplicaSet's pod passes admission (Pod Security "baseline" is enforced on the namespace).
    const core = kubeConfigFor(target.admin).makeApiClient(CoreV1Api);
    const deadline = Date.now() + 60_000;
    let pods = 0;
    while (Date.now() < deadline && pods === 0) {
      pods = (await core.listNamespacedPod({ namespace, labelSelector: "app.kubernetes.io/name=sts-playground" })).items.length;
      if (pods === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(pods).toBe(1);
  });

  it("the dashboard's pod meets the restricted Pod Security Standard", async () => {
    const restricted = `${namespace}-restricted`;
    await kubectl(target.admin, ["create", "namespace", restricted]);
    try {
      await kubectl(target.admin, ["label", "namespace", restricted, "pod-security.kubernetes.io/enforce=restricted"]);
      await kubectl(target.admin, ["-n", restricted, "create", "serviceaccount", "sts-playground"]);
      const deployment = docs.find((d) => d.kind === "Deployment") as unknown as V1Deployment;
      const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "dashboard", namespace: restricted }, spec: deployment.spec!.template.spec };
      const out = await kubectl(target.admin, ["create", "--dry-run=server", "--warnings-as-errors", "-f", "-"], JSON.stringify(pod));
      expect(out).toMatch(/pod\/dashboard created \(server dry run\)/);
    } finally {
      await kubectl(target.admin, ["delete", "namespace", restricted, "--wait=false"]).catch(() => undefined);
    }
  });

  it("in the pod's configuration the dashboard uses the ServiceAccount and stays in the pod's namespace", async () => {
    const admin = kubeConfigFor(target.admin);
    const core = admin.makeApiClient(CoreV1Api);
    const token = await core.createNamespacedServiceAccountToken({ name: "sts-playground", namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    // What the kubelet mounts into the pod.
    const cluster = admin.getCurrentCluster()!;
    const ca = cluster.caData ? Buffer.from(cluster.caData, "base64") : readFileSync(cluster.caFile!);
    const dir = path.join(podRoot, SERVICE_ACCOUNT_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "token"), token.status!.token);
    writeFileSync(path.join(dir, "ca.crt"), ca);
    writeFileSync(path.join(dir, "namespace"), namespace);
    const server = new URL(cluster.server);
    // A StatefulSet in the pod's namespace, and one next door that must stay invisible.
    const apps = admin.makeApiClient(AppsV1Api);
    await apps.createNamespacedStatefulSet({ namespace, body: demoObjects(namespace).statefulSet });
    await apps.createNamespacedStatefulSet({ namespace: "default", body: { ...demoObjects("default").statefulSet, metadata: { name: `next-door-${namespace}` } } }).catch(() => undefined);

    disposeRuntime();
    for (const k of ENV_KEYS) delete process.env[k];
    Object.assign(process.env, { PLAYGROUND_MODE: "real", PLAYGROUND_IN_CLUSTER_ROOT: podRoot, KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port });
    const runtime = getRuntime();
    expect(runtime.settings.inCluster).toEqual({ root: podRoot });
    expect(await runtime.whenSettled(30_000)).toBe(true);
    const info = runtime.clusterInfo();
    expect(info).toMatchObject({ mode: "real", namespace });
    const snapshot = runtime.hub.snapshot();
    expect(snapshot.status.statefulsets).toMatchObject({ synced: true });
    expect(snapshot.objects.statefulsets.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`)).toEqual([`${namespace}/kubia`]);
    // Cluster-scoped kinds are not in the base's Role: hidden, not an error.
    expect(runtime.capabilities()).toMatchObject({ nodes: false, persistentVolumes: false });
    await apps.deleteNamespacedStatefulSet({ name: `next-door-${namespace}`, namespace: "default" }).catch(() => undefined);
  });
});
