import { timeField } from "../../k8s/time";
import type { V1Pod, V1PodStatus } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { podReadyText, podRestarts, podStatusText } from "@/lib/k8s/status";
import { parseTable, SKIP_KUBECTL } from "@/testing/kubectl";
import { withKubectlCluster } from "./testing/kubectl-cluster";
import { eventually } from "@/testing/wait";

/**
 * The page and `kubectl get pods` against the embedded cluster print READY, STATUS and RESTARTS
 * with one function (lib/k8s/status.ts printPod). This drives the real kubectl: pods the kubelet
 * runs (Running, ErrImagePull/ImagePullBackOff, Pending unschedulable, Terminating), and pods bound
 * to a node without a kubelet whose status kubectl patches into every other state printPod knows
 * (init containers, sidecars, Completed/Error mixtures, NodeLost, SchedulingGated, …; a finished pod
 * being deleted cannot be made: the registry deletes terminal pods at once, lib/k8s/status.test.ts
 * covers it). For each pod,
 * the STATUS and READY cells kubectl prints equal what the page prints, and RESTARTS starts with
 * the page's count.
 */
/** A JSON timestamp two minutes ago (client-node's types say Date; on the wire it is RFC 3339 text). */
const NOW = timeField(Date.now() - 120_000);
const running = (name: string, ready = true, restartCount = 0) => ({ name, image: "luksa/kubia", imageID: "", ready, restartCount, started: true, state: { running: { startedAt: NOW } } });
const waiting = (name: string, reason: string) => ({ name, image: "luksa/kubia", imageID: "", ready: false, restartCount: 0, started: false, state: { waiting: { reason } } });
const terminated = (name: string, exitCode: number, reason?: string, signal?: number) => ({
  name,
  image: "luksa/kubia",
  imageID: "",
  ready: false,
  restartCount: 0,
  started: false,
  state: { terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}), finishedAt: NOW } },
});
const readyCondition = (status: "True" | "False") => [{ type: "Ready", status }];
const initialized = { type: "Initialized", status: "True" };

interface Shape {
  init?: { name: string; sidecar?: boolean }[];
  containers?: string[];
  status: Partial<V1PodStatus>;
  deleteAfter?: boolean;
}

/** Pods whose status kubectl writes (no kubelet runs on their node), one per state printPod distinguishes. */
const PATCHED: Record<string, Shape> = {
  "st-pending": { status: { phase: "Pending" } },
  "st-creating": { status: { phase: "Pending", containerStatuses: [waiting("c", "ContainerCreating")] } },
  "st-crashloop": { status: { phase: "Running", containerStatuses: [{ ...waiting("c", "CrashLoopBackOff"), restartCount: 4, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: NOW } } }] } },
  "st-running": { status: { phase: "Running", conditions: readyCondition("True"), containerStatuses: [running("c", true, 2)] } },
  "st-running-unready": { status: { phase: "Running", conditions: readyCondition("False"), containerStatuses: [running("c", false)] } },
  "st-completed": { status: { phase: "Succeeded", containerStatuses: [terminated("c", 0, "Completed")] } },
  "st-error": { status: { phase: "Failed", containerStatuses: [terminated("c", 1, "Error")] } },
  "st-exitcode": { status: { phase: "Failed", containerStatuses: [terminated("c", 3)] } },
  "st-signal": { status: { phase: "Failed", containerStatuses: [terminated("c", 0, undefined, 9)] } },
  "st-evicted": { status: { phase: "Failed", reason: "Evicted" } },
  "st-nodelost": { status: { phase: "Unknown", reason: "NodeLost" } },
  "st-nodelost-deleted": { status: { phase: "Running", reason: "NodeLost", containerStatuses: [running("c")] }, deleteAfter: true },
  "st-terminating": { status: { phase: "Running", containerStatuses: [running("c")] }, deleteAfter: true },
  "st-gated": { status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] } },
  "st-two-running": { containers: ["a", "b"], status: { phase: "Running", conditions: readyCondition("True"), containerStatuses: [running("a"), terminated("b", 0, "Completed")] } },
  "st-two-notready": { containers: ["a", "b"], status: { phase: "Running", conditions: readyCondition("False"), containerStatuses: [running("a"), terminated("b", 0, "Completed")] } },
  "st-two-error": { containers: ["a", "b"], status: { phase: "Running", conditions: readyCondition("False"), containerStatuses: [terminated("a", 0, "Completed"), terminated("b", 2, "Error")] } },
  "st-init-0": { init: [{ name: "i1" }, { name: "i2" }], status: { phase: "Pending", initContainerStatuses: [running("i1", false), waiting("i2", "PodInitializing")] } },
  "st-init-1": { init: [{ name: "i1" }, { name: "i2" }], status: { phase: "Pending", initContainerStatuses: [terminated("i1", 0, "Completed"), { ...running("i2", false), restartCount: 2 }] } },
  "st-init-crash": { init: [{ name: "i1" }], status: { phase: "Pending", initContainerStatuses: [{ ...waiting("i1", "CrashLoopBackOff"), restartCount: 3 }] } },
  "st-init-error": { init: [{ name: "i1" }], status: { phase: "Pending", initContainerStatuses: [terminated("i1", 1, "Error")] } },
  "st-init-exitcode": { init: [{ name: "i1" }], status: { phase: "Pending", initContainerStatuses: [terminated("i1", 2)] } },
  "st-init-signal": { init: [{ name: "i1" }], status: { phase: "Pending", initContainerStatuses: [terminated("i1", 143, undefined, 15)] } },
  "st-sidecar-running": {
    init: [{ name: "proxy", sidecar: true }],
    status: { phase: "Running", conditions: [initialized, ...readyCondition("True")], initContainerStatuses: [{ ...running("proxy"), restartCount: 1 }], containerStatuses: [running("c", true, 2)] },
  },
  "st-sidecar-unready": {
    init: [{ name: "proxy", sidecar: true }],
    status: { phase: "Running", conditions: [initialized, ...readyCondition("False")], initContainerStatuses: [running("proxy", false)], containerStatuses: [running("c")] },
  },
  "st-sidecar-starting": { init: [{ name: "proxy", sidecar: true }], status: { phase: "Pending", initContainerStatuses: [{ ...running("proxy", false), started: false }], containerStatuses: [waiting("c", "PodInitializing")] } },
  "st-sidecar-then-init": {
    init: [{ name: "proxy", sidecar: true }, { name: "setup" }],
    status: { phase: "Pending", initContainerStatuses: [running("proxy"), running("setup", false)], containerStatuses: [waiting("c", "PodInitializing")] },
  },
};

function podManifest(name: string, shape: Shape, nodeName: string): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { test: "pod-status" } },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 3600,
      initContainers: shape.init?.map((c) => ({ name: c.name, image: "luksa/kubia", ...(c.sidecar ? { restartPolicy: "Always" } : {}) })),
      containers: (shape.containers ?? ["c"]).map((c) => ({ name: c, image: "luksa/kubia" })),
    },
  };
}

describe.skipIf(SKIP_KUBECTL)("the page and kubectl get pods print the same pod STATUS", () => {
  const world = withKubectlCluster("podstatus", { seedDemo: false, speed: 20 });


  /** One consistent reading: the pods as JSON and kubectl's table of the same resourceVersions. */
  async function reading(): Promise<{ pods: V1Pod[]; rows: Record<string, string>[] }> {
    const consistent = await eventually(async () => {
      const before = JSON.parse(await world.k.ok(["get", "pods", "-l", "test=pod-status", "-o", "json"])) as { items: V1Pod[] };
      const rows = parseTable(await world.k.ok(["get", "pods", "-l", "test=pod-status"]));
      const after = JSON.parse(await world.k.ok(["get", "pods", "-l", "test=pod-status", "-o", "json"])) as { items: V1Pod[] };
      const versions = (list: { items: V1Pod[] }) => list.items.map((p) => `${p.metadata?.name}@${p.metadata?.resourceVersion}`).join(",");
      return versions(before) === versions(after) && rows.length === after.items.length ? { pods: after.items, rows } : undefined;
    }, "a reading of the pods that did not change while kubectl printed them", 30_000);
    return consistent!;
  }

  it("agrees for every state, from the kubelet and patched", async () => {
    // States the kubelet produces: Running, a failing pull, an unschedulable pod, a Terminating one.
    await world.k.ok(["run", "live-running", "--image=luksa/kubia", "--labels=test=pod-status"]);
    await world.k.ok(["run", "live-badimage", "--image=registry.invalid/nope:1", "--labels=test=pod-status"]);
    await world.k.ok(["run", "live-unschedulable", "--image=luksa/kubia", "--labels=test=pod-status", "--overrides", JSON.stringify({ spec: { nodeSelector: { disk: "none" } } })]);
    await eventually(async () => (await world.k.ok(["get", "pod", "live-running", "-o", "jsonpath={.status.phase}"])) === "Running", "live-running Running");
    await eventually(async () => /ErrImagePull|ImagePullBackOff/.test(await world.k.ok(["get", "pod", "live-badimage"])), "live-badimage failing its pull");

    // Every other state: pods on a node without a kubelet, their status written through kubectl.
    const manifests = Object.entries(PATCHED).map(([name, shape]) => podManifest(name, shape, "no-kubelet-node"));
    await world.k.ok(["create", "-f", "-"], { input: JSON.stringify({ apiVersion: "v1", kind: "List", items: manifests }) });
    for (const [name, shape] of Object.entries(PATCHED)) {
      await world.k.ok(["patch", "pod", name, "--subresource=status", "--type=merge", "-p", JSON.stringify({ status: shape.status })]);
      if (shape.deleteAfter) await world.k.ok(["delete", "pod", name, "--wait=false"]);
    }

    const { pods, rows } = await reading();
    const seen = new Set<string>();
    for (const pod of pods) {
      const name = pod.metadata!.name!;
      const row = rows.find((r) => r.NAME === name);
      expect(row, name).toBeDefined();
      expect({ name, status: row!.STATUS, ready: row!.READY }).toEqual({ name, status: podStatusText(pod), ready: podReadyText(pod) });
      expect(row!.RESTARTS.split(" ")[0], `${name} RESTARTS`).toBe(String(podRestarts(pod)));
      seen.add(row!.STATUS);
    }
    expect(pods.map((p) => p.metadata?.name).sort()).toEqual([...Object.keys(PATCHED), "live-badimage", "live-running", "live-unschedulable"].sort());
    // The states are the distinct ones printPod knows, not one state many times.
    for (const status of ["Running", "Pending", "ContainerCreating", "CrashLoopBackOff", "Completed", "Error", "ExitCode:3", "Signal:9", "Evicted", "NodeLost", "Unknown", "Terminating", "SchedulingGated", "NotReady"]) {
      expect(seen, status).toContain(status);
    }
    for (const status of ["Init:0/2", "Init:1/2", "Init:CrashLoopBackOff", "Init:Error", "Init:ExitCode:2", "Init:Signal:15", "Init:0/1", "Init:1/2"]) expect(seen, status).toContain(status);
    expect([...seen].some((s) => s === "ErrImagePull" || s === "ImagePullBackOff")).toBe(true);
    // Sidecars count in READY (kubectl: 2/2 and 1/2), and their restarts in RESTARTS.
    expect(rows.find((r) => r.NAME === "st-sidecar-running")).toMatchObject({ READY: "2/2", STATUS: "Running", RESTARTS: expect.stringMatching(/^3( |$)/) });
    expect(rows.find((r) => r.NAME === "st-sidecar-unready")).toMatchObject({ READY: "1/2", STATUS: "Running" });
  }, 120_000);
});
