import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import type { ActionResponse, ClusterInfo, DnsResponse, FaultsState, PodDataResponse, Snapshot } from "@/lib/k8s/contract";
import { clusterOptionsFromEnv, startCluster } from "@/lib/sim/cluster";
import * as clusterRoute from "@/app/api/cluster/route";
import * as demoRoute from "@/app/api/demo/route";
import * as dnsRoute from "@/app/api/dns/route";
import * as faultsRoute from "@/app/api/faults/route";
import * as failRoute from "@/app/api/nodes/[name]/fail/route";
import * as recoverRoute from "@/app/api/nodes/[name]/recover/route";
import * as podRoute from "@/app/api/pods/[name]/route";
import * as podDataRoute from "@/app/api/pods/[name]/data/route";
import * as historyRoute from "@/app/api/history/route";
import * as snapshotRoute from "@/app/api/snapshot/route";
import * as speedRoute from "@/app/api/speed/route";
import * as scaleRoute from "@/app/api/statefulsets/[name]/scale/route";
import * as streamRoute from "@/app/api/stream/route";
import { objectsAt, type History } from "@/lib/k8s/replay";
import type { SpeedState } from "@/lib/k8s/speed";
import { loadKubeConfig } from "./config";
import { disposeRuntime, getRuntime, type PlaygroundRuntime } from "./runtime";

/**
 * lib/kube and the route handlers against the embedded cluster (a real HTTP API server on an
 * ephemeral port, 50× speed): the same client path a real cluster gets.
 */
type Cluster = Awaited<ReturnType<typeof startCluster>>;

const HOST = "127.0.0.1:3000";
let dataDir: string;
let cluster: Cluster;
let runtime: PlaygroundRuntime;

function clusterEnv(apiPort = "0") {
  return { PLAYGROUND_API_PORT: apiPort, PLAYGROUND_DNS_PORT: "0", PLAYGROUND_DATA_DIR: dataDir, PLAYGROUND_SPEED: "50" };
}

function req(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://${HOST}${url}`, {
    method,
    headers: { host: HOST, ...(method === "GET" ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const params = (name: string) => ({ params: Promise.resolve({ name }) });

async function json<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

const pods = () => runtime.hub.list("pods").filter((p) => p.metadata?.namespace === "default" && /^kubia-\d+$/.test(p.metadata.name ?? ""));
const podNames = () => pods().map((p) => p.metadata!.name!).sort();
const ready = (p: V1Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
const pvcNames = () => runtime.hub.list("persistentvolumeclaims").map((c) => c.metadata!.name!).sort();

async function until(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const ok = await runtime.hub.waitFor(predicate, timeoutMs);
  expect(ok, `timed out waiting for ${what}`).toBe(true);
}

async function readyPods(n: number) {
  await until(`${n} ready kubia pods`, () => pods().length === n && pods().every(ready));
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "playground-int-"));
  cluster = await startCluster(clusterOptionsFromEnv(clusterEnv()));
  disposeRuntime();
  process.env.PLAYGROUND_EMBEDDED_KUBECONFIG = cluster.kubeconfigPath;
  process.env.PLAYGROUND_DNS_PORT = String(cluster.dnsPort);
  delete process.env.PLAYGROUND_KUBECONFIG;
  delete process.env.PLAYGROUND_CONTEXT;
  delete process.env.PLAYGROUND_MODE;
  runtime = getRuntime();
  await runtime.whenSettled(30_000);
});

afterAll(async () => {
  disposeRuntime();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("embedded cluster through lib/kube", () => {
  it("syncs every kind and shows the seeded demo in the snapshot", async () => {
    await readyPods(2);
    const snap = await json<Snapshot>(snapshotRoute.GET(req("GET", "/api/snapshot")));
    expect(snap.cluster).toMatchObject({ mode: "embedded", namespace: "default", context: "embedded" });
    expect(snap.cluster.capabilities).toMatchObject({ nodeFailure: true, faults: true, dnsServer: true, nodes: true, persistentVolumes: true });
    expect(snap.cluster.speed).toBe(50);
    expect(Object.values(snap.status).every((s) => s.synced && !s.error)).toBe(true);
    expect(snap.objects.statefulsets.map((s) => s.metadata?.name)).toContain("kubia");
    expect(snap.objects.services.map((s) => s.metadata?.name)).toEqual(expect.arrayContaining(["kubia", "kubia-public"]));
    expect(snap.objects.nodes.length).toBeGreaterThan(0);
    expect(snap.eventId).toBe(runtime.hub.eventId);
    const info = await json<ClusterInfo>(clusterRoute.GET(req("GET", "/api/cluster")));
    expect(info.maxReplicas).toBe(50);
  });

  it("keeps exactly one watch per kind open towards the API server", () => {
    for (const [kind, informer] of runtime.informers) expect(informer.stats.openWatches, kind).toBe(1);
  });

  it("scales 2→3→1 through the scale subresource; PVCs of removed ordinals are retained", async () => {
    const up = await json<ActionResponse>(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 3 }), params("kubia")));
    expect(up.action).toMatchObject({ action: "scale", target: "statefulset/kubia", ok: true });
    expect(up.action.kubectl).toContain("kubectl scale");
    expect(up.action.kubectl).toContain("--replicas=3");
    await readyPods(3);
    expect(podNames()).toEqual(["kubia-0", "kubia-1", "kubia-2"]);
    await json<ActionResponse>(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 1 }), params("kubia")));
    await until("only kubia-0 left", () => podNames().join() === "kubia-0" && pods().every(ready));
    expect(pvcNames()).toEqual(expect.arrayContaining(["data-kubia-0", "data-kubia-1", "data-kubia-2"]));
    expect(runtime.hub.snapshot().actions.slice(0, 2).map((a) => a.action)).toEqual(["scale", "scale"]);
    await json(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 2 }), params("kubia")));
    await readyPods(2);
  });

  it("streams changes with ids and resumes from Last-Event-ID", async () => {
    const controller = new AbortController();
    const res = await streamRoute.GET(new Request(`http://${HOST}/api/stream`, { headers: { host: HOST }, signal: controller.signal }));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    const readUntil = async (needle: RegExp) => {
      while (!needle.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil(/event: snapshot\ndata: .*\n\n/);
    await json(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 3 }), params("kubia")));
    await readUntil(/"kind":"pods","type":"ADDED","object":\{[^]*"name":"kubia-2"/);
    await readUntil(/event: action\n/);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(2);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThanOrEqual(ids[i - 1]);
    controller.abort();
    await reader.cancel();
    // Resume from the snapshot's id: the missed messages are replayed, no new snapshot.
    const resumeFrom = ids[0];
    const resumed = await streamRoute.GET(new Request(`http://${HOST}/api/stream?lastEventId=${resumeFrom}`, { headers: { host: HOST } }));
    const r2 = resumed.body!.getReader();
    let t2 = "";
    while (!/event: changes?\ndata: .*\n\n/.test(t2)) t2 += new TextDecoder().decode((await r2.read()).value);
    expect(t2).not.toContain("event: snapshot");
    // The first frame after the resume point: a lone change with the next id, or a batch of n
    // changes whose ids end at the frame's (lib/k8s/contract.ts), starting at the next id.
    const [, firstId, event, data] = /^id: (\d+)\nevent: (\S+)\ndata: (.*)$/m.exec(t2)!;
    const count = event === "changes" ? (JSON.parse(data) as unknown[]).length : 1;
    expect(Number(firstId) - count + 1).toBe(resumeFrom + 1);
    await r2.cancel();
    await readyPods(3);
    await json(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 2 }), params("kubia")));
    await readyPods(2);
  });

  it("a graceful delete shows Terminating, then the same name returns with a new uid", async () => {
    const old = runtime.hub.get("pods", "default", "kubia-1")!;
    const res = await json<ActionResponse>(podRoute.DELETE(req("DELETE", "/api/pods/kubia-1", {}), params("kubia-1")));
    expect(res.action).toMatchObject({ action: "delete-pod", ok: true });
    expect(res.action.kubectl).toMatch(/kubectl delete pod kubia-1/);
    await until("kubia-1 back with a new uid", () => {
      const p = runtime.hub.get("pods", "default", "kubia-1");
      return !!p && p.metadata?.uid !== old.metadata?.uid && ready(p);
    });
  });

  it("a force delete removes the pod object at once", async () => {
    const old = runtime.hub.get("pods", "default", "kubia-0")!;
    const res = await json<ActionResponse>(podRoute.DELETE(req("DELETE", "/api/pods/kubia-0", { force: true }), params("kubia-0")));
    expect(res.action).toMatchObject({ action: "force-delete-pod", ok: true });
    expect(res.action.kubectl).toMatch(/--force --grace-period=0|--grace-period=0 --force/);
    await until("old kubia-0 gone", () => runtime.hub.get("pods", "default", "kubia-0")?.metadata?.uid !== old.metadata?.uid, 5_000);
    await readyPods(2);
  });

  it("a force delete aimed at a pod that was replaced meanwhile is refused (uid precondition), and the new pod survives", async () => {
    const old = runtime.hub.get("pods", "default", "kubia-0")!;
    await json<ActionResponse>(podRoute.DELETE(req("DELETE", "/api/pods/kubia-0", { force: true, uid: old.metadata?.uid }), params("kubia-0")));
    await until("kubia-0 replaced", () => {
      const p = runtime.hub.get("pods", "default", "kubia-0");
      return !!p && p.metadata?.uid !== old.metadata?.uid;
    });
    const replacement = runtime.hub.get("pods", "default", "kubia-0")!;
    // The dialog was opened for the old incarnation: confirming it must not kill the replacement.
    const body = await json<{ error: { reason: string; message: string } }>(
      podRoute.DELETE(req("DELETE", "/api/pods/kubia-0", { force: true, uid: old.metadata?.uid }), params("kubia-0")),
      409,
    );
    expect(body.error.reason).toBe("Conflict");
    expect(body.error.message).toContain("Precondition failed");
    expect(runtime.hub.get("pods", "default", "kubia-0")?.metadata?.uid).toBe(replacement.metadata?.uid);
    await readyPods(2);
  });

  it("passes Kubernetes reasons through: deleting a missing pod is a 404 NotFound", async () => {
    const body = await json<{ error: { reason: string; message: string } }>(podRoute.DELETE(req("DELETE", "/api/pods/kubia-77", {}), params("kubia-77")), 404);
    expect(body.error.reason).toBe("NotFound");
    expect(body.error.message).toContain("kubia-77");
    expect(runtime.hub.snapshot().actions[0]).toMatchObject({ action: "delete-pod", ok: false });
  });

  it("writes data to a pod's volume and reads it back through the pod proxy", async () => {
    await readyPods(2);
    const written = await json<PodDataResponse>(podDataRoute.POST(req("POST", "/api/pods/kubia-0/data", { data: "hello from the test" }), params("kubia-0")));
    expect(written.status).toBeLessThan(300);
    const read = await json<PodDataResponse>(podDataRoute.GET(req("GET", "/api/pods/kubia-0/data"), params("kubia-0")));
    expect(read.pod).toBe("kubia-0");
    expect(read.body).toContain("kubia-0");
    expect(read.body).toContain("hello from the test");
  });

  it("answers DNS records from the embedded DNS server", async () => {
    await readyPods(2);
    const dns = await json<DnsResponse>(dnsRoute.GET(req("GET", "/api/dns?statefulset=kubia")));
    expect(dns.source).toBe("dns-server");
    expect(dns.headlessService).toBe("kubia");
    expect(dns.clusterIpService?.name).toBe("kubia-public");
    const srv = dns.records.filter((r) => r.type === "SRV").map((r) => r.data);
    expect(srv.some((d) => d.endsWith("kubia-0.kubia.default.svc.cluster.local."))).toBe(true);
    expect(srv.some((d) => d.endsWith("kubia-1.kubia.default.svc.cluster.local."))).toBe(true);
    const a = dns.records.find((r) => r.type === "A" && r.name === "kubia-0.kubia.default.svc.cluster.local");
    expect(a?.data).toBe(runtime.hub.get("pods", "default", "kubia-0")?.status?.podIP);
    expect(dns.dig).toMatch(/^dig @127\.0\.0\.1 -p \d+ SRV kubia\.default\.svc\.cluster\.local$/);
  });

  it("fails and recovers a node through its annotation", async () => {
    const node = runtime.hub.list("nodes")[0].metadata!.name!;
    await json(failRoute.POST(req("POST", `/api/nodes/${node}/fail`, {}), params(node)));
    await until("node annotated down", () => runtime.hub.get("nodes", "", node)?.metadata?.annotations?.["playground.k8s.io/down"] === "true");
    await json(recoverRoute.POST(req("POST", `/api/nodes/${node}/recover`, {}), params(node)));
    await until("node annotation removed", () => runtime.hub.get("nodes", "", node)?.metadata?.annotations?.["playground.k8s.io/down"] === undefined);
  });

  it("reads and changes faults", async () => {
    const before = await json<FaultsState>(faultsRoute.GET(req("GET", "/api/faults")));
    expect(before).toMatchObject({ storageUnavailable: false, brokenPodNetwork: false });
    const after = await json<FaultsState>(faultsRoute.PUT(req("PUT", "/api/faults", { missingImages: ["example.invalid/nope"] })));
    expect(after.missingImages).toEqual(["example.invalid/nope"]);
    expect(after.storageUnavailable).toBe(false);
    const reset = await json<FaultsState>(faultsRoute.PUT(req("PUT", "/api/faults", { missingImages: [] })));
    expect(reset.missingImages).toEqual([]);
  });

  it("shows a StatefulSet created directly (kubectl-style), without the dashboard", async () => {
    const apps = loadKubeConfig({ mode: "embedded", kubeconfigPath: cluster.kubeconfigPath, namespace: "default", maxReplicas: 50 }).makeApiClient(AppsV1Api);
    await apps.createNamespacedStatefulSet({
      namespace: "default",
      body: {
        metadata: { name: "web" },
        spec: {
          serviceName: "web",
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
        },
      },
    });
    await until("web in the hub", () => !!runtime.hub.get("statefulsets", "default", "web"));
    await until("web-0 in the hub", () => !!runtime.hub.get("pods", "default", "web-0"));
    await apps.deleteNamespacedStatefulSet({ name: "web", namespace: "default" });
    await until("web gone", () => !runtime.hub.get("statefulsets", "default", "web"));
  });

  it("resets the demo: kubia back at 2 replicas with fresh claims", async () => {
    await json(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 3 }), params("kubia")));
    await readyPods(3);
    const oldClaim = runtime.hub.get("persistentvolumeclaims", "default", "data-kubia-0")!.metadata!.uid;
    const res = await json<ActionResponse>(demoRoute.POST(req("POST", "/api/demo", { action: "reset" })), 200);
    expect(res.action).toMatchObject({ action: "reset-demo", ok: true });
    await readyPods(2);
    expect(runtime.hub.get("statefulsets", "default", "kubia")?.spec?.replicas).toBe(2);
    expect(runtime.hub.get("persistentvolumeclaims", "default", "data-kubia-0")?.metadata?.uid).not.toBe(oldClaim);
    expect(pvcNames().filter((n) => n.startsWith("data-kubia-"))).toEqual(["data-kubia-0", "data-kubia-1"]);
    const again = await json<ActionResponse>(demoRoute.POST(req("POST", "/api/demo", { action: "create" })));
    expect(again.action.message).toMatch(/already exists/);
  });

  it("slow motion: pause freezes the cluster live, resume goes on; the history replays a scale-down", async () => {
    expect(await json<SpeedState>(speedRoute.GET(req("GET", "/api/speed")))).toMatchObject({ speed: 50, paused: false });
    expect((await json<{ error: { reason: string } }>(speedRoute.PUT(req("PUT", "/api/speed", { speed: 0 })), 400)).error.reason).toBe("BadRequest");
    const paused = await json<SpeedState>(speedRoute.PUT(req("PUT", "/api/speed", { paused: true })));
    expect(paused).toMatchObject({ speed: 50, paused: true });
    expect(runtime.clusterInfo().clock).toMatchObject({ speed: 50, paused: true });
    expect(runtime.hub.recentActions()[0]).toMatchObject({ action: "set-speed", ok: true });
    await json(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 3 }), params("kubia")));
    // The API server takes the write; nothing in the control plane reacts while the clock stands still.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(podNames()).toEqual(["kubia-0", "kubia-1"]);
    expect((await json<SpeedState>(speedRoute.GET(req("GET", "/api/speed")))).clusterTime).toBe(paused.clusterTime);
    await json<SpeedState>(speedRoute.PUT(req("PUT", "/api/speed", { paused: false })));
    await readyPods(3);
    await json(scaleRoute.POST(req("POST", "/api/statefulsets/kubia/scale", { replicas: 2 }), params("kubia")));
    await readyPods(2);
    const history = await json<History>(historyRoute.GET(req("GET", "/api/history")));
    const kubia2 = history.entries.map((e, i) => ({ e, i })).filter(({ e }) => e.change.kind === "pods" && e.change.object.metadata?.name === "kubia-2");
    const terminating = kubia2.find(({ e }) => e.change.type === "MODIFIED" && e.change.object.metadata?.deletionTimestamp);
    const deleted = kubia2.find(({ e }) => e.change.type === "DELETED");
    expect(terminating && deleted && terminating.i < deleted.i).toBe(true);
    const podAt = (i: number) => objectsAt(history, i).pods.find((p) => p.metadata?.name === "kubia-2");
    expect(podAt(terminating!.i)?.metadata?.deletionTimestamp).toBeTruthy();
    expect(podAt(deleted!.i)).toBeUndefined();
    expect(history.entries.every((e, i) => i === 0 || e.id > history.entries[i - 1].id)).toBe(true);
  });

  it("survives an API server restart: reports the outage, then reconverges without duplicates", async () => {
    const apiPort = new URL(cluster.apiUrl).port;
    await cluster.stop();
    await until("disconnected status", () => !runtime.hub.streamStatus().connected, 10_000);
    cluster = await startCluster(clusterOptionsFromEnv(clusterEnv(apiPort)));
    await until("connected again", () => runtime.hub.streamStatus().connected, 30_000);
    await readyPods(2);
    // The cache equals a fresh list: no ghost or duplicate pods.
    const kc = loadKubeConfig({ mode: "embedded", kubeconfigPath: cluster.kubeconfigPath, namespace: "default", maxReplicas: 50 });
    const fresh = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "default" })).items;
    await until("cache equals a fresh list", () => {
      const cached = runtime.hub.list("pods").map((p) => `${p.metadata?.name}/${p.metadata?.uid}`).sort();
      return JSON.stringify(cached) === JSON.stringify(fresh.map((p) => `${p.metadata?.name}/${p.metadata?.uid}`).sort());
    });
    // One watch per kind again: each informer re-opens its watch on its own schedule after the outage
    // (a kind whose watch ended once more, e.g. on a 410 from the restarted server, re-lists first).
    await until("one open watch per kind", () => [...runtime.informers].every(([, informer]) => informer.stats.openWatches === 1));
    for (const [kind, informer] of runtime.informers) expect(informer.stats.openWatches, kind).toBe(1);
  });
});
