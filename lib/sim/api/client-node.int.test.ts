import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
  type V1PodList,
  type V1StatefulSet,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startCluster } from "../cluster";
import { eventually } from "@/testing/wait";

/** The embedded cluster driven by @kubernetes/client-node 1.4, the dashboard's own client. */
describe("@kubernetes/client-node against the embedded cluster", () => {
  let cluster: RunningCluster;
  let dir: string;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  const statefulSet = (name: string, replicas: number): V1StatefulSet => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name },
    spec: {
      serviceName: name,
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "kubia", image: "luksa/kubia-pet", ports: [{ containerPort: 8080 }] }] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } }],
    },
  });
  const readyPods = async (app: string) =>
    (await core.listNamespacedPod({ namespace: "default", labelSelector: `app=${app}` })).items
      .filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") && !p.metadata?.deletionTimestamp)
      .map((p) => p.metadata!.name!)
      .sort();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-client-"));
    cluster = await startCluster({ apiPort: 0, dnsPort: 0, dataDir: path.join(dir, "data"), speed: 50, seedDemo: false, bookmarkIntervalMs: 200 });
    kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the bootstrap nodes and namespaces", async () => {
    const nodes = (await core.listNode()).items.map((n) => n.metadata!.name);
    expect(nodes).toEqual(["k8s-node1", "k8s-node2", "k8s-node3"]);
    const namespaces = (await core.listNamespace()).items.map((n) => n.metadata!.name);
    expect(namespaces).toEqual(expect.arrayContaining(["default", "kube-system"]));
  });

  it("creates a StatefulSet whose pods an informer sees become Ready, then scales and patches it", async () => {
    const informer = makeInformer<V1Pod>(kc, "/api/v1/namespaces/default/pods", () => core.listNamespacedPod({ namespace: "default", labelSelector: "app=web" }), "app=web");
    informer.on("error", () => {});
    await informer.start();
    try {
      const created = await apps.createNamespacedStatefulSet({ namespace: "default", body: statefulSet("web", 2) });
      expect(created.spec).toMatchObject({ podManagementPolicy: "OrderedReady", revisionHistoryLimit: 10 });
      await eventually(async () => informer.list().filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length === 2, "two Ready pods in the informer cache");
      expect(informer.list().map((p) => p.metadata!.name).sort()).toEqual(["web-0", "web-1"]);

      const scale = await apps.patchNamespacedStatefulSetScale({ name: "web", namespace: "default", body: { spec: { replicas: 3 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
      expect(scale.spec?.replicas).toBe(3);
      await eventually(async () => (await readyPods("web")).length === 3, "three Ready pods");

      const patched = await apps.patchNamespacedStatefulSet(
        { name: "web", namespace: "default", body: { spec: { template: { spec: { containers: [{ name: "kubia", env: [{ name: "MODE", value: "demo" }] }] } } } } },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      );
      expect(patched.spec?.template.spec?.containers[0]).toMatchObject({ name: "kubia", image: "luksa/kubia-pet", env: [{ name: "MODE", value: "demo" }] });
      expect(patched.metadata?.generation).toBe(3);
      const replaced = await apps.readNamespacedStatefulSetScale({ name: "web", namespace: "default" });
      expect(replaced.status?.selector).toBe("app=web");
    } finally {
      informer.stop();
    }
  });

  it("deletes a pod gracefully (Terminating first) and the controller replaces it", async () => {
    const deleted = await core.deleteNamespacedPod({ name: "web-2", namespace: "default" });
    expect(deleted.metadata?.deletionTimestamp).toBeTruthy();
    await eventually(async () => {
      const pod = await core.readNamespacedPod({ name: "web-2", namespace: "default" }).catch(() => undefined);
      return pod && !pod.metadata?.deletionTimestamp ? pod : undefined;
    }, "web-2 replaced");
  });

  it("surfaces API errors as ApiException with the Status body", async () => {
    const error = await apps.createNamespacedStatefulSet({ namespace: "default", body: statefulSet("web", 1) }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe(409);
    expect(JSON.parse(error.body)).toMatchObject({ kind: "Status", reason: "AlreadyExists", message: 'statefulsets.apps "web" already exists' });
    const missing = await core.readNamespacedPod({ name: "nope", namespace: "default" }).catch((e) => e);
    expect(missing.code).toBe(404);
  });

  it("gives a watch from a too old resourceVersion an ERROR 410, and an informer relists", async () => {
    for (let i = 0; i < 1100; i++) {
      cluster.ctx.store.create("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `churn-${i}`, namespace: "default" } });
      cluster.ctx.store.delete("configmaps", "default", `churn-${i}`);
    }
    const errorEvent = await new Promise<{ type: string; obj: { code?: number; reason?: string } }>((resolve, reject) => {
      void new Watch(kc).watch("/api/v1/namespaces/default/pods", { resourceVersion: "1" }, (type, obj) => resolve({ type, obj }), (err) => err && reject(err));
    });
    expect(errorEvent).toMatchObject({ type: "ERROR", obj: { code: 410, reason: "Expired" } });

    let lists = 0;
    const listFn = async (): Promise<V1PodList> => {
      lists++;
      const list = await core.listNamespacedPod({ namespace: "default" });
      // The first list claims an ancient version, as a client that slept too long would hold.
      if (lists === 1) list.metadata = { ...list.metadata, resourceVersion: "1" };
      return list;
    };
    const informer = makeInformer<V1Pod>(kc, "/api/v1/namespaces/default/pods", listFn);
    informer.on("error", () => {});
    const added: string[] = [];
    informer.on("add", (p) => added.push(p.metadata!.name!));
    await informer.start();
    try {
      await eventually(async () => lists >= 2, "the informer to relist after the 410");
      await core.createNamespacedPod({ namespace: "default", body: { metadata: { name: "after-relist" }, spec: { containers: [{ name: "c", image: "luksa/kubia-pet" }] } } });
      await eventually(async () => added.includes("after-relist"), "the informer to see a pod created after its relist");
    } finally {
      informer.stop();
    }
  });

  it("streams bookmarks to a watch that asks for them", async () => {
    const types: string[] = [];
    const controller = await new Watch(kc).watch("/api/v1/namespaces/default/pods", { allowWatchBookmarks: true, resourceVersion: String(cluster.ctx.store.resourceVersion) }, (type) => types.push(type), () => {});
    try {
      await eventually(async () => types.includes("BOOKMARK"), "a BOOKMARK event", 5_000);
    } finally {
      controller.abort();
    }
  });
});
