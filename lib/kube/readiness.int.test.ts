import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { ActionResponse, ApiError } from "@/lib/k8s/contract";
import * as faultsRoute from "@/app/api/faults/route";
import * as podRoute from "@/app/api/pods/[name]/route";
import * as readinessRoute from "@/app/api/pods/[name]/readiness/route";
import * as scaleRoute from "@/app/api/statefulsets/[name]/scale/route";
import * as settingsRoute from "@/app/api/statefulsets/[name]/settings/route";
import { execFile } from "node:child_process";
import { hasFileReadinessProbe } from "@/lib/k8s/readiness";
import { readiness } from "@/lib/lessons/readiness";
import { KUBECTL, SKIP_KUBECTL } from "@/testing/kubectl";
import type { PlaygroundRuntime } from "./runtime";
import { apiRequest, isReady, kubiaPods, nameParams, startEmbedded, until as untilIn, type EmbeddedHarness } from "./testing/embedded";

/**
 * The readiness lesson's two actions through the route handlers against the embedded cluster (50×):
 * the settings route sets and removes the probe (a rolling update), the readiness route runs
 * `kubectl exec`'s equivalent through pods/exec, and OrderedReady holds kubia-2 back meanwhile.
 */
let h: EmbeddedHarness;
let runtime: PlaygroundRuntime;

const send = (method: string, url: string, body: unknown) => apiRequest(method, url, body);
const post = (url: string, body: unknown) => send("POST", url, body);
const params = nameParams;

async function json<T>(res: Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

const pod = (name: string) => runtime.hub.get("pods", "default", name);
const ready = (p: V1Pod | undefined) => !!p && isReady(p);
const demoPods = () => kubiaPods(runtime);
const until = (what: string, predicate: () => boolean, timeoutMs = 30_000) => untilIn(runtime, what, predicate, timeoutMs);

beforeAll(async () => {
  h = await startEmbedded({ speed: 50 });
  runtime = h.runtime;
});

afterAll(async () => {
  await h?.close();
});

describe("the readiness lesson's actions", () => {
  it("probe, break kubia-1, scale to 3 (kubia-2 held back), repair, remove the probe", async () => {
    await until("2 ready pods", () => demoPods().length === 2 && demoPods().every(ready));
    const probe = await json<ActionResponse>(settingsRoute.POST(post("/api/statefulsets/kubia/settings", { readinessProbe: "file" }), params("kubia")));
    expect(probe.action).toMatchObject({ action: "set-readiness-probe", target: "statefulset/kubia", ok: true });
    expect(probe.action.kubectl).toMatch(/^kubectl patch statefulset kubia -n default -p '.*"readinessProbe":\{"exec":\{"command":\["test","!","-e","\/tmp\/not-ready"\]\}/);
    await until("both pods replaced with the probe and Ready", () => ["kubia-0", "kubia-1"].every((n) => hasFileReadinessProbe(pod(n)?.spec?.containers[0]) && ready(pod(n))));
    expect(runtime.hub.get("statefulsets", "default", "kubia")?.spec?.template.spec?.containers[0].readinessProbe).toMatchObject({ exec: { command: ["test", "!", "-e", "/tmp/not-ready"] }, periodSeconds: 1, timeoutSeconds: 1 });

    const broken = await json<ActionResponse>(readinessRoute.POST(post("/api/pods/kubia-1/readiness", { ready: false }), params("kubia-1")));
    expect(broken.action).toMatchObject({ action: "exec", target: "pod/kubia-1", ok: true, kubectl: "kubectl exec kubia-1 -n default -- touch /tmp/not-ready" });
    await until("kubia-1 not ready", () => pod("kubia-1")?.status?.phase === "Running" && !ready(pod("kubia-1")));
    const uid = pod("kubia-1")?.metadata?.uid;
    await until("an Unhealthy event", () => runtime.hub.list("events").some((e) => e.reason === "Unhealthy" && e.involvedObject.name === "kubia-1" && e.involvedObject.uid === uid));

    await json(scaleRoute.POST(post("/api/statefulsets/kubia/scale", { replicas: 3 }), params("kubia")));
    await until("the controller saw replicas 3", () => {
      const sts = runtime.hub.get("statefulsets", "default", "kubia");
      return (sts?.status?.observedGeneration ?? 0) >= (sts?.metadata?.generation ?? Infinity);
    });
    // 40 s of cluster time with kubia-1 not Ready: OrderedReady creates no kubia-2.
    await new Promise((r) => setTimeout(r, 800));
    expect(pod("kubia-2")).toBeUndefined();

    const repaired = await json<ActionResponse>(readinessRoute.POST(post("/api/pods/kubia-1/readiness", { ready: true }), params("kubia-1")));
    expect(repaired.action.kubectl).toBe("kubectl exec kubia-1 -n default -- rm -f /tmp/not-ready");
    await until("3 ready pods", () => demoPods().length === 3 && demoPods().every(ready));

    await json(settingsRoute.POST(post("/api/statefulsets/kubia/settings", { readinessProbe: "none" }), params("kubia")));
    await until("the probe removed from every pod", () => demoPods().length === 3 && demoPods().every((p) => !p.spec?.containers[0].readinessProbe && ready(p)), 60_000);
  });

  it.skipIf(SKIP_KUBECTL)("the commands the lesson shows do the same with the real kubectl (strategic patch, rollout status, exec)", async () => {
    const sh = (command: string) =>
      new Promise<string>((resolve, reject) =>
        execFile("sh", ["-c", `kubectl() { "$KUBECTL" --kubeconfig "$KC" --cache-dir "$KC.cache" "$@"; }; ${command}`], { env: { ...process.env, KUBECTL, KC: h.cluster.kubeconfigPath }, timeout: 60_000 }, (err, out, errOut) =>
          err ? reject(new Error(`${command}: ${errOut}`)) : resolve(out),
        ),
      );
    const command = (id: string) => readiness.steps.find((s) => s.id === id)!.command("default");
    await until("no probe, 3 ready pods", () => demoPods().length === 3 && demoPods().every((p) => !p.spec?.containers[0].readinessProbe && ready(p)), 60_000);
    expect(await sh(command("probe"))).toMatch(/statefulset\.apps\/kubia patched[\s\S]*roll out complete/);
    await until("every pod probed and Ready", () => demoPods().length === 3 && demoPods().every((p) => hasFileReadinessProbe(p.spec?.containers[0]) && ready(p)), 60_000);
    await sh(command("break"));
    await until("kubia-1 not ready", () => pod("kubia-1")?.status?.phase === "Running" && !ready(pod("kubia-1")));
    await sh(command("repair"));
    await until("kubia-1 ready again", () => ready(pod("kubia-1")));
  });

  it("an exec into a pod that does not exist is a 404 with the API server's words, and is recorded as failed", async () => {
    const body = await json<ApiError>(readinessRoute.POST(post("/api/pods/kubia-9/readiness", { ready: false }), params("kubia-9")), 404);
    expect(body.error).toMatchObject({ reason: "NotFound", message: 'pods "kubia-9" not found' });
    expect(runtime.hub.snapshot().actions[0]).toMatchObject({ action: "exec", target: "pod/kubia-9", ok: false });
  });

  it("an exec the API server refuses (the container is not running: its image cannot be pulled) keeps the API server's Status (kube-apiserver's words, as kubectl prints them)", async () => {
    await json(faultsRoute.PUT(send("PUT", "/api/faults", { missingImages: ["luksa/kubia-pet"] })));
    const old = pod("kubia-2")?.metadata?.uid;
    await json(podRoute.DELETE(send("DELETE", "/api/pods/kubia-2", { force: true }), params("kubia-2")));
    await until("kubia-2 back, its container waiting", () => !!pod("kubia-2") && pod("kubia-2")?.metadata?.uid !== old && !!pod("kubia-2")?.status?.containerStatuses?.[0]?.state?.waiting);
    const body = await json<ApiError>(readinessRoute.POST(post("/api/pods/kubia-2/readiness", { ready: false }), params("kubia-2")), 500);
    expect(body.error).toMatchObject({ reason: "InternalError", message: 'Internal error occurred: unable to upgrade connection: container not found ("kubia")' });
    expect(runtime.hub.snapshot().actions[0]).toMatchObject({ action: "exec", target: "pod/kubia-2", ok: false });
    await json(faultsRoute.PUT(send("PUT", "/api/faults", { missingImages: [] })));
  });

  it("refuses a command or anything but a boolean", async () => {
    await json(readinessRoute.POST(post("/api/pods/kubia-0/readiness", { ready: false, command: ["sh"] }), params("kubia-0")), 400);
    await json(settingsRoute.POST(post("/api/statefulsets/kubia/settings", { readinessProbe: "tcp" }), params("kubia")), 400);
  });
});
