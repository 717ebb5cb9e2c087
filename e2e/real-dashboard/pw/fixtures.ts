import { AppsV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { test as base, expect, type APIRequestContext } from "@playwright/test";
import type { Snapshot } from "../../../lib/k8s/contract";
import { kubeConfigFor, nodeReadyStatus, setNodeDown, type ClusterEnv } from "../../../tools/real-cluster/cluster";
import { NODE_DOWN_ANNOTATION } from "../../../lib/k8s/wellknown";
import { adminEnv } from "../target";
// The same page object as the embedded suite: one role-and-name contract for both clusters.
import { DashboardPage as RealDashboard } from "../../pages/DashboardPage";
import { REAL_E2E_BASE_URL, REAL_E2E_NAMESPACE } from "./settings";
import { orUndefinedOn404, realProbe } from "./probe";
import type { ClusterProbe } from "../../scenarios/probe";

/**
 * Every flow starts from the start of the chapter on the real cluster: all nodes up and untainted,
 * no StatefulSet but the demo, the demo reset through the dashboard (2 replicas, fresh claims)
 * and settled, and the page open on it.
 *
 * `admin` plays the teacher's terminal beside the dashboard (kubectl apply, failing a node): the
 * dashboard itself only has the ServiceAccount's rights (see serve.ts).
 */
export const NAMESPACE = REAL_E2E_NAMESPACE;
export const SETTLE_TIMEOUT_MS = 120_000;

export interface Admin {
  env: ClusterEnv;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** The pod as the API server has it now, or undefined when it does not exist. */
  pod(name: string): Promise<V1Pod | undefined>;
}

function makeAdmin(): Admin {
  const env = adminEnv();
  const kc = kubeConfigFor(env);
  const core = kc.makeApiClient(CoreV1Api);
  return {
    env,
    core,
    apps: kc.makeApiClient(AppsV1Api),
    pod: (name) => orUndefinedOn404(core.readNamespacedPod({ name, namespace: NAMESPACE })),
  };
}

/** What a same-origin browser sends with a mutating fetch: the server refuses anything else. */
const sameOriginJson = { Origin: new URL(REAL_E2E_BASE_URL).origin, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json" };

async function resetDemo(request: APIRequestContext): Promise<void> {
  const res = await request.post("/api/demo", { headers: sameOriginJson, data: JSON.stringify({ action: "reset" }), timeout: 120_000 });
  if (!res.ok()) throw new Error(`POST /api/demo reset: HTTP ${res.status()} ${await res.text()}`);
}

async function snapshot(request: APIRequestContext): Promise<Snapshot> {
  const res = await request.get("/api/snapshot");
  if (!res.ok()) throw new Error(`GET /api/snapshot: HTTP ${res.status()} ${await res.text()}`);
  return (await res.json()) as Snapshot;
}

const ready = (conditions: { type: string; status: string }[] | undefined) => (conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

/** What still differs from the settled demo, as the dashboard sees it ("" when settled). */
function unsettled({ objects }: Snapshot): string {
  const problems: string[] = [];
  for (const node of objects.nodes) {
    if (!ready(node.status?.conditions) || (node.spec?.taints ?? []).some((t) => t.key.startsWith("node.kubernetes.io/"))) problems.push(`node ${node.metadata?.name} not Ready/untainted`);
  }
  const sets = objects.statefulsets.filter((s) => s.metadata?.namespace === NAMESPACE);
  if (sets.map((s) => s.metadata?.name).join() !== "kubia") problems.push(`statefulsets ${sets.map((s) => s.metadata?.name).join() || "(none)"}`);
  const kubia = sets.find((s) => s.metadata?.name === "kubia");
  if (kubia && (kubia.spec?.replicas !== 2 || kubia.status?.readyReplicas !== 2)) problems.push(`kubia ${kubia.status?.readyReplicas ?? 0}/${kubia.spec?.replicas} ready`);
  const pods = objects.pods.filter((p) => p.metadata?.namespace === NAMESPACE);
  if (pods.map((p) => p.metadata?.name).sort().join() !== "kubia-0,kubia-1") problems.push(`pods ${pods.map((p) => p.metadata?.name).join() || "(none)"}`);
  for (const p of pods) if (p.metadata?.deletionTimestamp || p.status?.phase !== "Running" || !ready(p.status?.conditions)) problems.push(`pod ${p.metadata?.name} not Running+Ready`);
  const claims = objects.persistentvolumeclaims.filter((c) => c.metadata?.namespace === NAMESPACE);
  if (claims.map((c) => c.metadata?.name).sort().join() !== "data-kubia-0,data-kubia-1") problems.push(`claims ${claims.map((c) => c.metadata?.name).join() || "(none)"}`);
  for (const c of claims) if (c.status?.phase !== "Bound") problems.push(`claim ${c.metadata?.name} ${c.status?.phase}`);
  return problems.join("; ");
}

/** Undoes a failed test's node failure and removes StatefulSets (and their claims) a test created with kubectl. */
async function cleanUpAfterOthers(admin: Admin): Promise<void> {
  for (const node of (await admin.core.listNode()).items) {
    if (node.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true") await setNodeDown(admin.env, node.metadata.name!, false);
  }
  const strays = (await admin.apps.listNamespacedStatefulSet({ namespace: NAMESPACE })).items.map((s) => s.metadata!.name!).filter((n) => n !== "kubia");
  for (const name of strays) {
    await admin.apps.deleteNamespacedStatefulSet({ name, namespace: NAMESPACE, body: { propagationPolicy: "Foreground" } }).catch(() => undefined);
  }
  const strayClaims = (await admin.core.listNamespacedPersistentVolumeClaim({ namespace: NAMESPACE })).items.map((c) => c.metadata!.name!).filter((n) => !/^data-kubia-\d+$/.test(n)); // data-kubia-parallel-0 is a stray too
  for (const name of strayClaims) await admin.core.deleteNamespacedPersistentVolumeClaim({ name, namespace: NAMESPACE }).catch(() => undefined);
}

/** The fixtures' second parameter is Playwright's `use`, named `provide` so React's hook lint rule does not mistake it for a hook. */
export const test = base.extend<{ admin: Admin; probe: ClusterProbe; freshDemo: void; dashboard: RealDashboard }>({
  admin: async ({}, provide) => {
    await provide(makeAdmin());
  },
  probe: async ({ admin }, provide) => {
    await provide(realProbe(admin));
  },
  freshDemo: [
    async ({ request, admin }, provide) => {
      await cleanUpAfterOthers(admin);
      await expect
        .poll(async () => (await admin.core.listNode()).items.filter((n) => nodeReadyStatus(n) !== "True").map((n) => n.metadata?.name).join(), {
          timeout: 60_000,
          message: "every node Ready",
        })
        .toBe("");
      await resetDemo(request);
      await expect
        .poll(async () => unsettled(await snapshot(request)), { timeout: SETTLE_TIMEOUT_MS, intervals: [250, 500, 1_000], message: "the reset demo settles" })
        .toBe("");
      await provide();
    },
    { auto: true, timeout: SETTLE_TIMEOUT_MS + 90_000 },
  ],
  dashboard: async ({ page }, provide) => {
    const dashboard = new RealDashboard(page);
    await dashboard.goto();
    await provide(dashboard);
  },
});

export { expect };
