import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import { event, node, pod, pv, pvc, statefulSet } from "../../lib/k8s/testing/fixtures";
import { knownWhyDivergenceFor } from "./known-divergences";
import { checkWhys, happenings, type Frame, type TimelineEntry, type WhyCheck } from "./why-check";

const SET: Record<number, ReturnType<typeof statefulSet>> = { 1: statefulSet(1), 2: statefulSet(2) };
const nodes = [node("k8s-node1"), node("k8s-node2")];
const CLAIMS = Array.from({ length: 3 }, (_, i) => pvc(`data-kubia-${i}`, { phase: "Bound", volumeName: `pv-${i}` }));
const VOLUMES = CLAIMS.map(pv);

function frame(replicas: number, pods: V1Pod[], at: number): Frame {
  return { at, snapshot: { statefulSet: SET[replicas], pods, pvcs: CLAIMS.slice(0, replicas), pvs: VOLUMES.slice(0, replicas) }, events: [], nodes };
}

describe("why checked against what happened next", () => {
  it("diffs two states into happenings: created, scheduled, healthy, terminating, gone", () => {
    const k0 = pod("kubia-0", { node: "k8s-node1" });
    const starting = pod("kubia-1", { phase: "Pending", ready: false });
    expect(happenings(frame(2, [k0], 0), frame(2, [k0, starting], 1))).toEqual([{ type: "created", pod: "kubia-1" }]);
    const running = pod("kubia-1", { node: "k8s-node2", uid: starting.metadata!.uid });
    expect(happenings(frame(2, [k0, starting], 1), frame(2, [k0, running], 2))).toEqual([
      { type: "scheduled", pod: "kubia-1" },
      { type: "healthy", pod: "kubia-1" },
    ]);
    expect(happenings(frame(2, [k0, running], 2), frame(2, [k0], 3))).toEqual([
      { type: "terminating", pod: "kubia-1" },
      { type: "gone", pod: "kubia-1" },
    ]);
  });

  it("OrderedReady: kubia-1 waits for kubia-0, and the real order (kubia-0 Ready, then kubia-1 created) keeps the prediction", () => {
    const k0Starting = pod("kubia-0", { node: "k8s-node1", ready: false, phase: "Pending" });
    const k0 = pod("kubia-0", { node: "k8s-node1", uid: k0Starting.metadata!.uid });
    const k1 = pod("kubia-1", { node: "k8s-node2" });
    const timeline: TimelineEntry[] = [{ step: "scale to 2" }, { frame: frame(2, [k0Starting], 0) }, { frame: frame(2, [k0], 1) }, { frame: frame(2, [k0, k1], 2) }];
    const checks = checkWhys(timeline);
    const ordered = checks.find((c) => c.key === "notCreatedOrdered")!;
    expect(ordered.verdict).toBe("held");
    expect(checks.find((c) => c.key === "creating")?.verdict).toBe("held");
    expect(checks.every((c) => c.verdict !== "broken")).toBe(true);
  });

  it("a controller that creates kubia-1 before kubia-0 is Ready breaks the prediction", () => {
    const k0Starting = pod("kubia-0", { node: "k8s-node1", ready: false, phase: "Pending" });
    const k1 = pod("kubia-1", { node: "k8s-node2", ready: false, phase: "Pending" });
    const checks = checkWhys([{ step: "scale to 2" }, { frame: frame(2, [k0Starting], 0) }, { frame: frame(2, [k0Starting, k1], 1) }]);
    expect(checks.find((c) => c.key === "notCreatedOrdered")?.verdict).toBe("broken");
  });

  it("a prediction is judged only up to the next step (the user's next action)", () => {
    const k0 = pod("kubia-0", { node: "k8s-node1" });
    const k1 = pod("kubia-1", { node: "k8s-node2" });
    // Above replicas, kubia-1 goes next; the user scales back up before it does: nothing to judge it by.
    const checks = checkWhys([{ step: "scale to 1" }, { frame: frame(1, [k0, k1], 0) }, { step: "scale to 2" }, { frame: frame(2, [k0, k1], 1) }]);
    expect(checks.find((c) => c.key === "scaleDownNext")?.verdict).toBe("broken");
    expect(checks.find((c) => c.key === "scaleDownNext")?.next).toEqual([]);
  });

  it("an awaited step (the node back, a finalizer removed) does not end the window of the reasons given before it", () => {
    const k0 = pod("kubia-0", { node: "k8s-node1" });
    const gone = pod("kubia-1", { node: "k8s-node2", deleting: { at: 0, grace: 3 } });
    const down = [node("k8s-node1"), node("k8s-node2", { ready: "Unknown", down: true })];
    const at = (pods: V1Pod[], t: number, n = nodes): TimelineEntry => ({ frame: { ...frame(2, pods, t), nodes: n } });
    const timeline = (awaited: boolean): TimelineEntry[] => [{ step: "delete pod kubia-1" }, at([k0, gone], 0, down), { step: "recover the failed node", awaited }, at([k0, gone], 1), at([k0], 2)];
    const downCheck = (awaited: boolean) => checkWhys(timeline(awaited)).find((c) => c.key === "terminatingNodeDown");
    expect(downCheck(true)).toMatchObject({ verdict: "held", step: "delete pod kubia-1", next: ["nodeReady k8s-node2", "gone kubia-1"] });
    expect(downCheck(false)?.verdict).toBe("open");
  });

  it("a pod the controller tries to create and cannot (FailedCreate: quota) keeps the 'creating' prediction: it acted", () => {
    const [k0, k1] = [pod("kubia-0", { node: "k8s-node1" }), pod("kubia-1", { node: "k8s-node2" })];
    const sts = statefulSet(3);
    const refused = event("StatefulSet", "kubia", "FailedCreate", 'Create Pod kubia-2 in StatefulSet kubia failed error: pods "kubia-2" is forbidden: exceeded quota: pods', { type: "Warning" });
    const state = (events: ReturnType<typeof event>[], t: number): TimelineEntry => ({ frame: { ...frame(2, [k0, k1], t), snapshot: { ...frame(2, [k0, k1], t).snapshot, statefulSet: sts }, events } });
    const checks = checkWhys([{ step: "create StatefulSet" }, state([], 0), state([refused], 1), state([{ ...refused, count: 2 }], 2)]);
    expect(checks.find((c) => c.key === "creating")).toMatchObject({ verdict: "held", next: ["createFailed kubia-2", "createFailed kubia-2"] });
    expect(checks.find((c) => c.key === "createFailed")?.verdict).toBe("held");
    expect(checkWhys([{ step: "create StatefulSet" }, state([], 0), state([], 1)]).find((c) => c.key === "creating")?.verdict).toBe("broken");
  });

  it("cross-watch-order covers a claim binding seen just after its pod's scheduling, never a pod scheduled with its claim unbound", () => {
    const check = (next: string[]): WhyCheck => ({
      key: "unschedulable",
      step: "scale to 3",
      why: "unschedulable",
      prediction: { type: "notBefore", then: { type: "scheduled", pod: "kubia-1" }, after: [{ type: "bound", pvc: "data-kubia-1" }] },
      verdict: "broken",
      next,
    });
    expect(knownWhyDivergenceFor(check(["scheduled kubia-1", "bound data-kubia-1", "healthy kubia-1"]))?.id).toBe("cross-watch-order");
    expect(knownWhyDivergenceFor(check(["scheduled kubia-1", "healthy kubia-1"]))).toBeUndefined();
    expect(knownWhyDivergenceFor(check(["scheduled kubia-1", "healthy kubia-1", "created kubia-2", "bound data-kubia-1"]))).toBeUndefined();
  });
});
