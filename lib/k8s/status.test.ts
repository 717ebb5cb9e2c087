import { describe, expect, it } from "vitest";
import {
  nodeConditionMessage,
  nodeStatusText,
  nodeTaints,
  podReadyText,
  podRestarts,
  podRestartsText,
  podStatusText,
  printPod,
  statusTone,
  terminationCountdown,
  unschedulableReason,
} from "./status";
import { clusterNow } from "./speed";
import { at, event, node, pod, T0 } from "./testing/fixtures";

describe("podStatusText (kubectl STATUS)", () => {
  it("Running and ready", () => {
    expect(podStatusText(pod("kubia-0", { node: "n1" }))).toBe("Running");
  });
  it("Pending before scheduling", () => {
    expect(podStatusText(pod("kubia-0", { phase: "Pending" }))).toBe("Pending");
  });
  it("takes the waiting reason of a container", () => {
    for (const reason of ["ContainerCreating", "ErrImagePull", "ImagePullBackOff", "CrashLoopBackOff"]) {
      expect(podStatusText(pod("kubia-0", { phase: "Pending", waiting: reason }))).toBe(reason);
    }
  });
  it("Completed, Error and ExitCode from terminated containers", () => {
    expect(podStatusText(pod("job-0", { phase: "Succeeded", terminated: { reason: "Completed", exitCode: 0 } }))).toBe("Completed");
    expect(podStatusText(pod("job-0", { phase: "Failed", terminated: { reason: "Error", exitCode: 1 } }))).toBe("Error");
    expect(podStatusText(pod("job-0", { phase: "Failed", terminated: { exitCode: 3 } }))).toBe("ExitCode:3");
    expect(podStatusText(pod("job-0", { phase: "Failed", terminated: { exitCode: 0, signal: 9 } }))).toBe("Signal:9");
  });
  it("Terminating when deletionTimestamp is set, whatever the containers do", () => {
    expect(podStatusText(pod("kubia-1", { deleting: { at: 0, grace: 30 } }))).toBe("Terminating");
    expect(podStatusText(pod("kubia-1", { waiting: "ImagePullBackOff", phase: "Pending", deleting: { at: 0, grace: 30 } }))).toBe("Terminating");
  });
  it("not Terminating for a finished pod being deleted", () => {
    expect(podStatusText(pod("job-0", { phase: "Succeeded", terminated: { reason: "Completed", exitCode: 0 }, deleting: { at: 0, grace: 30 } }))).toBe("Completed");
  });
  it("Unknown for a deleted pod whose node was lost, NodeLost before deletion", () => {
    expect(podStatusText(pod("kubia-1", { reason: "NodeLost", deleting: { at: 0, grace: 30 } }))).toBe("Unknown");
    const lost = pod("kubia-1", { reason: "NodeLost", phase: "Unknown" });
    lost.status!.containerStatuses = undefined;
    expect(podStatusText(lost)).toBe("NodeLost");
  });
  it("Init:N/M and Init:reason for init containers", () => {
    const p = pod("kubia-0", { phase: "Pending" });
    p.spec!.initContainers = [{ name: "a" }, { name: "b" }];
    p.status!.containerStatuses = undefined;
    p.status!.initContainerStatuses = [
      { name: "a", image: "", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } },
      { name: "b", image: "", imageID: "", ready: false, restartCount: 2, state: { running: {} } },
    ];
    expect(podStatusText(p)).toBe("Init:1/2");
    expect(podRestarts(p)).toBe(2);
    p.status!.initContainerStatuses[1].state = { waiting: { reason: "CrashLoopBackOff" } };
    expect(podStatusText(p)).toBe("Init:CrashLoopBackOff");
  });
  it("Completed container but another still running reads Running / NotReady", () => {
    const p = pod("kubia-0");
    p.status!.containerStatuses = [
      { name: "a", image: "", imageID: "", ready: true, restartCount: 0, state: { running: {} } },
      { name: "b", image: "", imageID: "", ready: false, restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } } },
    ];
    expect(podStatusText(p)).toBe("Running");
    p.status!.conditions = [{ type: "Ready", status: "False" }];
    expect(podStatusText(p)).toBe("NotReady");
  });
});

describe("printPod: sidecars and mixed containers (printers.go printPod)", () => {
  const cs = (name: string, state: object, o: { ready?: boolean; restarts?: number; started?: boolean; finishedAt?: string } = {}) => ({
    name,
    image: "",
    imageID: "",
    ready: o.ready ?? false,
    restartCount: o.restarts ?? 0,
    started: o.started,
    state,
    ...(o.finishedAt ? { lastState: { terminated: { exitCode: 1, finishedAt: o.finishedAt as unknown as Date } } } : {}),
  });
  it("counts a started sidecar as initialized, in READY and in RESTARTS with the time of its last restart", () => {
    const p = pod("kubia-0");
    p.spec!.initContainers = [{ name: "proxy", restartPolicy: "Always" }];
    p.status!.conditions = [{ type: "Initialized", status: "True" }, { type: "Ready", status: "True" }];
    p.status!.initContainerStatuses = [cs("proxy", { running: {} }, { ready: true, started: true, restarts: 2, finishedAt: at(60_000) as unknown as string })];
    p.status!.containerStatuses = [cs("kubia", { running: {} }, { ready: true, restarts: 1, finishedAt: at(30_000) as unknown as string })];
    const printed = printPod(p);
    expect(printed).toMatchObject({ ready: "2/2", status: "Running", restarts: 3 });
    expect(podRestartsText(printed, T0 + 180_000)).toBe("3 (2m ago)");
    p.status!.initContainerStatuses[0].ready = false;
    expect(printPod(p).ready).toBe("1/2");
  });
  it("a sidecar not yet started keeps the pod in Init:N/M", () => {
    const p = pod("kubia-0", { phase: "Pending" });
    p.spec!.initContainers = [{ name: "proxy", restartPolicy: "Always" }, { name: "setup" }];
    p.status!.containerStatuses = undefined;
    p.status!.initContainerStatuses = [cs("proxy", { running: {} }, { started: false })];
    expect(printPod(p)).toMatchObject({ status: "Init:0/2", ready: "0/2" });
    p.status!.initContainerStatuses = [cs("proxy", { running: {} }, { started: true, ready: true }), cs("setup", { running: {} })];
    expect(printPod(p)).toMatchObject({ status: "Init:1/2", ready: "1/2" });
  });
  it("Completed next to a failed container reads as the failure", () => {
    const p = pod("kubia-0");
    p.status!.conditions = [{ type: "Ready", status: "False" }];
    p.status!.containerStatuses = [cs("a", { terminated: { exitCode: 0, reason: "Completed" } }), cs("b", { terminated: { exitCode: 2, reason: "Error" } })];
    expect(podStatusText(p)).toBe("Error");
  });
  it("prints what kubectl prints for a pod without phase: nothing (the API server always sets one)", () => {
    const p = pod("kubia-0");
    p.status = {};
    expect(printPod(p)).toMatchObject({ status: "", ready: "0/1", restarts: 0 });
    expect(podRestartsText(printPod(p), T0)).toBe("0");
  });
});

describe("READY and RESTARTS", () => {
  it("counts ready running containers over containers", () => {
    expect(podReadyText(pod("kubia-0"))).toBe("1/1");
    expect(podReadyText(pod("kubia-0", { phase: "Pending", waiting: "ContainerCreating" }))).toBe("0/1");
  });
  it("sums restarts", () => {
    expect(podRestarts(pod("kubia-0", { restarts: 4 }))).toBe(4);
  });
});

describe("terminationCountdown", () => {
  const deleted = pod("kubia-1", { deleting: { at: 10_000, grace: 30 } });
  it("counts down to deletionTimestamp (DELETE time + grace)", () => {
    expect(terminationCountdown(deleted, T0 + 10_000)).toBe(30);
    expect(terminationCountdown(deleted, T0 + 17_500)).toBe(23);
    expect(terminationCountdown(deleted, T0 + 39_001)).toBe(1);
    expect(terminationCountdown(deleted, T0 + 40_000)).toBe(0);
  });
  it("stays at 0 after the grace period (the pod waits for its kubelet)", () => {
    expect(terminationCountdown(deleted, T0 + 600_000)).toBe(0);
  });
  it("is undefined for a pod that is not terminating", () => {
    expect(terminationCountdown(pod("kubia-0"), T0)).toBeUndefined();
  });
  it("never shows more than the grace period, even for a clock read before the DELETE (was: 31s left of 30s)", () => {
    expect(terminationCountdown(deleted, T0 + 9_200)).toBe(30);
    expect(terminationCountdown(deleted, T0)).toBe(30);
  });
  it("counts in cluster time: at 10× wall time, the embedded cluster's clock reaches the deadline after 3 s", () => {
    const state = { speed: 10, paused: false, clusterTime: T0 + 10_000, at: 5_000 };
    expect(terminationCountdown(deleted, clusterNow(state, 5_000))).toBe(30);
    expect(terminationCountdown(deleted, clusterNow(state, 7_500))).toBe(5);
    expect(terminationCountdown(deleted, clusterNow(state, 8_000))).toBe(0);
    expect(terminationCountdown(deleted, clusterNow({ ...state, paused: true }, 60_000))).toBe(30);
  });
});

describe("nodes", () => {
  it("prints Ready / NotReady / Unknown and SchedulingDisabled", () => {
    expect(nodeStatusText(node("n1"))).toBe("Ready");
    expect(nodeStatusText(node("n1", { ready: "Unknown" }))).toBe("NotReady");
    expect(nodeStatusText(node("n1", { ready: "False", unschedulable: true }))).toBe("NotReady,SchedulingDisabled");
    const bare = node("n1");
    bare.status = {};
    expect(nodeStatusText(bare)).toBe("Unknown");
  });
  it("lists taints and the NotReady message", () => {
    const n = node("k8s-node2", { ready: "Unknown", taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }, { key: "dedicated", value: "db", effect: "NoSchedule" }] });
    expect(nodeTaints(n)).toEqual(["node.kubernetes.io/unreachable:NoExecute", "dedicated=db:NoSchedule"]);
    expect(nodeConditionMessage(n)).toBe("Kubelet stopped posting node status.");
    expect(nodeConditionMessage(node("n1"))).toBeUndefined();
  });
});

describe("unschedulableReason", () => {
  const message = "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  it("reads the PodScheduled=False condition", () => {
    const p = pod("kubia-0", { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }] });
    expect(unschedulableReason(p, [])).toBe(message);
  });
  it("falls back to the newest FailedScheduling event of this pod", () => {
    const p = pod("kubia-0", { phase: "Pending", uid: "u1" });
    const events = [
      event("Pod", "kubia-0", "FailedScheduling", "old message", { at: 1_000, type: "Warning", uid: "u1" }),
      event("Pod", "kubia-0", "FailedScheduling", message, { at: 5_000, type: "Warning", uid: "u1" }),
      event("Pod", "kubia-0", "FailedScheduling", "an earlier pod's problem", { at: 9_000, type: "Warning", uid: "u0" }),
    ];
    expect(unschedulableReason(p, events)).toBe(message);
  });
  it("is undefined once scheduled", () => {
    expect(unschedulableReason(pod("kubia-0", { node: "n1" }), [event("Pod", "kubia-0", "FailedScheduling", message)])).toBeUndefined();
  });
});

describe("statusTone", () => {
  it("groups texts into colour families", () => {
    expect(statusTone("Running")).toBe("ok");
    expect(statusTone("Terminating")).toBe("warning");
    expect(statusTone("ContainerCreating")).toBe("progress");
    expect(statusTone("ImagePullBackOff")).toBe("error");
    expect(statusTone("ErrImagePull")).toBe("error");
    expect(statusTone("NotReady")).toBe("error");
    expect(statusTone("Init:0/1")).toBe("progress");
  });
});
