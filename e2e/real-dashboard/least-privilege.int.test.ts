/**
 * Least privilege on the real control plane: the dashboard works with nothing but the
 * rights of the rendered deploy/ Role (+ the optional deploy/overlays/cluster-read overlay), through a ServiceAccount
 * token from the TokenRequest API — and the API server refuses anything outside them.
 *
 * Without Go this FAILS (the control plane cannot be built) unless PLAYGROUND_SKIP_REAL=1 says to skip.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiError } from "@/lib/k8s/contract";
import { demoObjects } from "@/lib/k8s/demo";
import { isPodReady } from "@/lib/k8s/status";
import { disposeRuntime, getRuntime, type PlaygroundRuntime } from "@/lib/kube/runtime";
import { kubeConfigFor } from "../../tools/real-cluster/cluster";
import { NODE_DOWN_ANNOTATION } from "../../lib/k8s/wellknown";
import { describeDashboardFlows } from "./flows";
import { deleteManifest, kubeConfigAt, leastPrivilegeKubeconfig, SERVICE_ACCOUNT, type LeastPrivilege } from "./rbac";
import { actionOf, routes } from "./routes";
import { SKIP_REAL, startTarget, type Target } from "./target";

if (SKIP_REAL) console.warn("\n*** REAL-CLUSTER DASHBOARD TESTS SKIPPED: PLAYGROUND_SKIP_REAL=1 ***\n");

const log = (line: string) => console.log(`[real-dashboard] ${line}`);
const suffix = () => randomBytes(3).toString("hex");

/** The HTTP status of a refused client-node call (ApiException.code), or "allowed". */
async function statusOf(call: () => Promise<unknown>): Promise<number | "allowed"> {
  try {
    await call();
    return "allowed";
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "number") return code;
    throw err;
  }
}

describe.skipIf(SKIP_REAL)("least privilege on the real control plane", () => {
  let target: Target;
  let dir: string;
  const granted: LeastPrivilege[] = [];

  beforeAll(async () => {
    target = await startTarget(log);
    dir = mkdtempSync(path.join(os.tmpdir(), "rd-rbac-"));
  });

  afterAll(async () => {
    disposeRuntime();
    for (const g of granted) await deleteManifest(target.admin, g.docs);
    if (dir) rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  async function grant(namespace: string, clusterRead: boolean): Promise<LeastPrivilege> {
    const g = await leastPrivilegeKubeconfig(target.admin, { namespace, clusterRead, dir });
    granted.push(g);
    return g;
  }

  // The same flows as with the admin's certificate, with only the Role (+ read-only nodes and PVs).
  describeDashboardFlows("the dashboard with only the rendered deploy/ Role + the cluster-read overlay (ServiceAccount token)", async () => {
    const g = await grant(`rd-rbac-${suffix()}`, true);
    return { target, kubeconfigPath: g.kubeconfigPath, context: g.context, namespace: g.namespace, canReadCluster: true, cleanup: async () => {} };
  });

  describe("with only the rendered deploy/ Role (no cluster-read)", () => {
    let g: LeastPrivilege;
    let other: LeastPrivilege;
    let core: CoreV1Api;
    let apps: AppsV1Api;
    let adminCore: CoreV1Api;
    let adminApps: AppsV1Api;
    let runtime: PlaygroundRuntime;
    const env = ["PLAYGROUND_MODE", "PLAYGROUND_KUBECONFIG", "PLAYGROUND_CONTEXT", "PLAYGROUND_NAMESPACE"] as const;
    const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]));

    function useDashboard(kubeconfigPath: string, context: string, namespace: string): PlaygroundRuntime {
      disposeRuntime();
      Object.assign(process.env, { PLAYGROUND_MODE: "real", PLAYGROUND_KUBECONFIG: kubeconfigPath, PLAYGROUND_CONTEXT: context, PLAYGROUND_NAMESPACE: namespace });
      return getRuntime();
    }

    beforeAll(async () => {
      g = await grant(`rd-role-${suffix()}`, false);
      // A second playground namespace on the same cluster: a neighbour the first one must not touch.
      other = await grant(`rd-other-${suffix()}`, false);
      const kc = kubeConfigAt(g.kubeconfigPath, g.context);
      core = kc.makeApiClient(CoreV1Api);
      apps = kc.makeApiClient(AppsV1Api);
      adminCore = kubeConfigFor(target.admin).makeApiClient(CoreV1Api);
      adminApps = kubeConfigFor(target.admin).makeApiClient(AppsV1Api);
      // Something in the neighbour namespace to (fail to) reach.
      await adminApps.createNamespacedStatefulSet({ namespace: other.namespace, body: demoObjects(other.namespace).statefulSet });
    });

    afterAll(() => {
      disposeRuntime();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it("the kubeconfig holds only a bearer token (no client certificate), for the ServiceAccount", async () => {
      const kc = kubeConfigAt(g.kubeconfigPath, g.context);
      const user = kc.getCurrentUser()!;
      expect(user.token).toBeTruthy();
      expect(user.certData ?? user.certFile ?? user.keyData ?? user.keyFile).toBeFalsy();
      const review = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: g.namespace });
      expect(review.items).toEqual([]);
    });

    it("the API server refuses everything outside the Role: other namespaces, other resources, other verbs, the cluster scope", async () => {
      const ns = g.namespace;
      const refusals: Record<string, number | "allowed"> = {
        "list pods in kube-system": await statusOf(() => core.listNamespacedPod({ namespace: "kube-system" })),
        "list pods in the neighbour namespace": await statusOf(() => core.listNamespacedPod({ namespace: other.namespace })),
        "scale the neighbour's StatefulSet": await statusOf(() =>
          apps.patchNamespacedStatefulSetScale({ name: "kubia", namespace: other.namespace, body: { spec: { replicas: 5 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
        ),
        "delete the neighbour's StatefulSet": await statusOf(() => apps.deleteNamespacedStatefulSet({ name: "kubia", namespace: other.namespace })),
        "create a StatefulSet in default": await statusOf(() => apps.createNamespacedStatefulSet({ namespace: "default", body: demoObjects("default").statefulSet })),
        "create a pod in its own namespace": await statusOf(() =>
          core.createNamespacedPod({ namespace: ns, body: { metadata: { name: "intruder" }, spec: { containers: [{ name: "c", image: "busybox" }] } } }),
        ),
        "read secrets in its own namespace": await statusOf(() => core.listNamespacedSecret({ namespace: ns })),
        // Its own StatefulSets it may patch (the lessons change the image, the partition, the retention policy).
        "patch the neighbour's StatefulSet": await statusOf(() =>
          apps.patchNamespacedStatefulSet({ name: "kubia", namespace: other.namespace, body: { spec: { replicas: 9 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
        ),
        "list namespaces": await statusOf(() => core.listNamespace()),
        "delete its own namespace": await statusOf(() => core.deleteNamespace({ name: ns })),
        "list nodes (no cluster-read)": await statusOf(() => core.listNode()),
        "fail a node (annotate it)": await statusOf(() =>
          core.patchNode({ name: "k8s-node1", body: { metadata: { annotations: { [NODE_DOWN_ANNOTATION]: "true" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
        ),
        "list PersistentVolumes (no cluster-read)": await statusOf(() => core.listPersistentVolume()),
      };
      expect(refusals).toEqual(Object.fromEntries(Object.keys(refusals).map((k) => [k, 403])));
      // Nothing changed behind the refusals.
      expect((await adminApps.readNamespacedStatefulSet({ name: "kubia", namespace: other.namespace })).spec?.replicas).toBe(2);
      expect((await adminCore.readNamespace({ name: ns })).status?.phase).toBe("Active");
      if (target.local) expect((await adminCore.readNode({ name: "k8s-node1" })).metadata?.annotations?.[NODE_DOWN_ANNOTATION]).toBeUndefined();
    });

    it("the refusal names the ServiceAccount and the missing right (the API server's message is kept)", async () => {
      try {
        await core.listNamespacedPod({ namespace: "kube-system" });
        expect.unreachable("listing kube-system's pods must be refused");
      } catch (err) {
        const status = JSON.parse((err as { body: string }).body) as { reason: string; message: string };
        expect(status.reason).toBe("Forbidden");
        expect(status.message).toContain(`system:serviceaccount:${g.namespace}:${SERVICE_ACCOUNT}`);
        expect(status.message).toContain(`cannot list resource "pods"`);
      }
    });

    it("the dashboard works without cluster-read: nodes and PVs hidden, demo, scale and force delete work", async () => {
      runtime = useDashboard(g.kubeconfigPath, g.context, g.namespace);
      expect(await runtime.whenSettled(30_000)).toBe(true);
      const { body: snap } = await routes.snapshot();
      expect(snap.cluster.capabilities).toMatchObject({ nodes: false, persistentVolumes: false, nodeFailure: false });
      expect(runtime.hub.streamStatus().connected).toBe(true); // the forbidden kinds do not count as an outage
      expect(snap.objects.nodes).toEqual([]);

      actionOf(await routes.demo("create"));
      const ready = (name: string) => {
        const p = runtime.hub.get("pods", g.namespace, name);
        return !!p && !p.metadata?.deletionTimestamp && isPodReady(p);
      };
      expect(await runtime.hub.waitFor(() => ready("kubia-0") && ready("kubia-1"), 90_000)).toBe(true);
      actionOf(await routes.scale("kubia", 1));
      expect(await runtime.hub.waitFor(() => !runtime.hub.get("pods", g.namespace, "kubia-1"), 60_000)).toBe(true);
      expect(runtime.hub.get("persistentvolumeclaims", g.namespace, "data-kubia-1")?.status?.phase).toBe("Bound");
      const uid = runtime.hub.get("pods", g.namespace, "kubia-0")!.metadata!.uid;
      actionOf(await routes.deletePod("kubia-0", { force: true }));
      expect(await runtime.hub.waitFor(() => ready("kubia-0") && runtime.hub.get("pods", g.namespace, "kubia-0")!.metadata!.uid !== uid, 60_000)).toBe(true);
      // The neighbour namespace never showed up in the dashboard.
      expect(runtime.hub.list("statefulsets").map((s) => s.metadata?.namespace)).toEqual([g.namespace]);
    });

    it("pointed at a namespace its Role does not cover, the dashboard reports 403 and changes nothing", async () => {
      // A misconfiguration: this ServiceAccount's credentials, the neighbour's namespace.
      runtime = useDashboard(g.kubeconfigPath, g.context, other.namespace);
      expect(await runtime.whenSettled(30_000)).toBe(true);
      const { body: snap } = await routes.snapshot();
      expect(snap.status.pods.error).toMatch(/forbidden/i);
      expect(snap.status.statefulsets.error).toMatch(/forbidden/i);
      expect(snap.objects.statefulsets).toEqual([]);

      const scale = await routes.scale("kubia", 5);
      expect(scale.status).toBe(403);
      expect((scale.body as ApiError).error).toMatchObject({ reason: "Forbidden" });
      expect((scale.body as ApiError).error.message).toContain(`system:serviceaccount:${g.namespace}:${SERVICE_ACCOUNT}`);
      const del = await routes.deletePod("kubia-0", { force: true });
      expect(del.status).toBe(403);
      expect((await adminApps.readNamespacedStatefulSet({ name: "kubia", namespace: other.namespace })).spec?.replicas).toBe(2);
    });
  });
});
