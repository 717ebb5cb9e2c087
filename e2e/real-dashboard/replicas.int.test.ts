/**
 * Several dashboard replicas (the Deployment's replica count raised): two dashboard servers —
 * the launcher and the standalone server, as `npm start` runs them, needs `next build` — against
 * the same real control plane and namespace, with the rights of the rendered Role. Asserted: each
 * server holds ONE watch per kind whatever its number of viewers (the API server's own gauge of
 * open watches); every viewer of either server converges on what the API server lists; a change
 * made through one replica reaches the viewers of both; a viewer whose stream reconnects to the
 * OTHER replica (a Service may send it anywhere) gets a fresh snapshot there — never a replay of
 * ids that mean something else on that replica — and converges without a reload.
 *
 * Without Go this FAILS (the control plane cannot be built) unless PLAYGROUND_SKIP_REAL=1 says to skip.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppsV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WATCHED_KINDS, type KindObjects, type WatchedKind } from "@/lib/k8s/contract";
import { isClusterScoped, kindPath } from "@/lib/kube/kinds";
import { kubeJson, kubeRequest } from "@/lib/kube/request";
import { clientState, indexObjects, waitForConvergence, type KindIndex } from "@/lib/kube/testing/convergence";
import { hasProductionBuild, launchPlayground, type LaunchedPlayground } from "@/lib/kube/testing/launcher";
import { SseClient } from "@/lib/kube/testing/sse-client";
import { kubeConfigFor } from "../../tools/real-cluster/cluster";
import { deleteManifest, leastPrivilegeKubeconfig, type LeastPrivilege } from "./rbac";
import { SKIP_REAL, startTarget, type Target } from "./target";

const log = (line: string) => console.log(`[real-dashboard replicas] ${line}`);
const NAMESPACED = WATCHED_KINDS.filter((kind) => !isClusterScoped(kind));
/** /metrics names the resources as `resource` + `group`. */
const METRIC_RESOURCE: Partial<Record<WatchedKind, string>> = { statefulsets: "statefulsets.apps", endpointslices: "endpointslices.discovery.k8s.io" };
const VIEWERS_PER_REPLICA = 3;

/** Open namespace-scoped WATCH requests per resource, from the API server's apiserver_longrunning_requests gauge. */
async function namespacedWatches(admin: KubeConfig): Promise<Map<string, number>> {
  const text = (await kubeRequest(admin, { path: "/metrics", timeoutMs: 10_000 })).body;
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^apiserver_longrunning_requests\{([^}]*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/gm)) {
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.verb !== "WATCH" || labels.scope !== "namespace") continue;
    const key = labels.group ? `${labels.resource}.${labels.group}` : labels.resource;
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}

const metricName = (kind: WatchedKind) => METRIC_RESOURCE[kind] ?? kind;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(SKIP_REAL)("two dashboard replicas against one real cluster", () => {
  let target: Target;
  let admin: KubeConfig;
  let grant: LeastPrivilege;
  let dir: string;
  let baseline: Map<string, number>;
  const replicas: LaunchedPlayground[] = [];
  const viewers: { replica: number; client: SseClient }[] = [];

  const fresh = async (): Promise<KindIndex> => {
    const lists = await Promise.all(NAMESPACED.map(async (kind) => (await kubeJson<{ items: KindObjects[WatchedKind][] }>(admin, { path: kindPath(kind, grant.namespace) })).items));
    const objects = Object.fromEntries(WATCHED_KINDS.map((kind) => [kind, lists[NAMESPACED.indexOf(kind)] ?? []]));
    return indexObjects(objects as Record<WatchedKind, KindObjects[WatchedKind][]>);
  };
  const viewerIndex = (client: SseClient) => indexObjects(clientState(client.frames)?.objects ?? ({} as never));

  async function openViewer(replica: number, headers: Record<string, string> = {}): Promise<SseClient> {
    const res = await fetch(`${replicas[replica].url}/api/stream`, { headers: { Accept: "text/event-stream", ...headers } });
    expect(res.status).toBe(200);
    const client = new SseClient(res.body!);
    viewers.push({ replica, client });
    await client.waitFor((frames) => frames.length > 0, 30_000, "the first frame");
    return client;
  }

  async function expectOneWatchPerKindPerReplica(): Promise<void> {
    const expected = (kind: WatchedKind) => (baseline.get(metricName(kind)) ?? 0) + replicas.length;
    let now = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      now = await namespacedWatches(admin);
      if (NAMESPACED.every((kind) => now.get(metricName(kind)) === expected(kind))) break;
      await sleep(500);
    }
    for (const kind of NAMESPACED) expect(now.get(metricName(kind)) ?? 0, `open ${kind} watches (baseline ${baseline.get(metricName(kind)) ?? 0})`).toBe(expected(kind));
  }

  async function expectViewersConverged(clients: SseClient[]): Promise<void> {
    for (const client of clients) expect(await waitForConvergence(() => viewerIndex(client), fresh, 30_000, NAMESPACED)).toEqual([]);
  }

  beforeAll(async () => {
    if (!hasProductionBuild()) throw new Error("no production build in .next: run `npx next build` first (npm run test:real does)");
    target = await startTarget(log);
    admin = kubeConfigFor(target.admin);
    dir = mkdtempSync(path.join(os.tmpdir(), "rd-replicas-"));
    grant = await leastPrivilegeKubeconfig(target.admin, { namespace: `rd-replicas-${randomBytes(3).toString("hex")}`, clusterRead: false, dir });
    // The open watches before the replicas start (other tests' watches closed; two equal readings).
    let previous = await namespacedWatches(admin);
    for (let i = 0; i < 20; i++) {
      await sleep(500);
      baseline = await namespacedWatches(admin);
      if (JSON.stringify([...baseline]) === JSON.stringify([...previous])) break;
      previous = baseline;
    }
    const env = { PLAYGROUND_MODE: "real", PLAYGROUND_KUBECONFIG: grant.kubeconfigPath, PLAYGROUND_CONTEXT: grant.context, PLAYGROUND_NAMESPACE: grant.namespace };
    replicas.push(...(await Promise.all([launchPlayground({ env }), launchPlayground({ env })])));
    log(`replicas on ${replicas.map((r) => r.url).join(", ")}, namespace ${grant.namespace}`);
  });

  afterAll(async () => {
    for (const v of viewers) await v.client.close();
    await Promise.all(replicas.map((r) => r.stop()));
    if (grant) await deleteManifest(target.admin, grant.docs);
    if (dir) rmSync(dir, { recursive: true, force: true });
    await target?.stop();
  });

  it("each replica serves its own viewers from one set of watches", async () => {
    for (let r = 0; r < replicas.length; r++) for (let v = 0; v < VIEWERS_PER_REPLICA; v++) await openViewer(r);
    await expectOneWatchPerKindPerReplica();
    await expectViewersConverged(viewers.map((v) => v.client));
  });

  it("a change made through one replica reaches the viewers of both", async () => {
    const headers = (r: number) => ({ "Content-Type": "application/json", Origin: replicas[r].url, "Sec-Fetch-Site": "same-origin" });
    const created = await fetch(`${replicas[0].url}/api/demo`, { method: "POST", headers: headers(0), body: JSON.stringify({ action: "create" }) });
    expect(created.status, await created.clone().text()).toBe(200);
    const scaled = await fetch(`${replicas[1].url}/api/statefulsets/kubia/scale`, { method: "POST", headers: headers(1), body: JSON.stringify({ replicas: 3 }) });
    expect(scaled.status, await scaled.clone().text()).toBe(200);
    const apps = admin.makeApiClient(AppsV1Api);
    expect((await apps.readNamespacedStatefulSet({ name: "kubia", namespace: grant.namespace })).spec?.replicas).toBe(3);
    await expectViewersConverged(viewers.map((v) => v.client));
    await expectOneWatchPerKindPerReplica();
  });

  it("a viewer reconnecting to the other replica gets a snapshot there and converges without a reload", async () => {
    const leaving = viewers.find((v) => v.replica === 0)!.client;
    const lastId = leaving.lastId!;
    await leaving.close();
    // While it is away, the cluster changes behind both replicas' backs (a teacher's kubectl).
    const apps = admin.makeApiClient(AppsV1Api);
    await apps.patchNamespacedStatefulSetScale(
      { name: "kubia", namespace: grant.namespace, body: { spec: { replicas: 1 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    // The browser's EventSource sends Last-Event-ID itself; the Service sent it to replica 1 this time.
    const elsewhere = await openViewer(1, { "Last-Event-ID": lastId });
    expect(elsewhere.frames[0].event, "first frame on the other replica").toBe("snapshot");
    const resumedState = () => indexObjects(clientState([...leaving.frames, ...elsewhere.frames])!.objects);
    expect(await waitForConvergence(resumedState, fresh, 30_000, NAMESPACED)).toEqual([]);
    // The same id on its own replica still resumes (a replay, no snapshot): the ids are not ignored, they are per replica.
    const home = await openViewer(0, { "Last-Event-ID": lastId });
    expect(home.frames[0].event).not.toBe("snapshot");
    expect(await waitForConvergence(() => indexObjects(clientState([...leaving.frames, ...home.frames])!.objects), fresh, 30_000, NAMESPACED)).toEqual([]);
    await expectOneWatchPerKindPerReplica();
  });
});
