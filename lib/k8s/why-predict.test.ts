import { describe, expect, it } from "vitest";
import { buildSlots } from "./slots";
import { node, pod, pv, pvc, statefulSet, T0 } from "./testing/fixtures";
import { judge, predictionsOf, type Happening } from "./why-predict";
import { WHY_KEYS, whyForSlot, type WhyInput } from "./why";

const nodes = [node("k8s-node1"), node("k8s-node3", { ready: "Unknown", down: true })];

function input(replicas: number, pods: ReturnType<typeof pod>[]): WhyInput {
  const sts = statefulSet(replicas);
  const pvcs = pods.map((p) => pvc(`data-${p.metadata!.name}`));
  return { statefulSet: sts, slots: buildSlots({ statefulSet: sts, pods, pvcs, pvs: pvcs.map(pv), events: [], now: T0 }), nodes, events: [] };
}

/** The predictions of the reason given for one ordinal. */
function predict(i: WhyInput, ordinal: number) {
  const slot = i.slots.find((s) => s.ordinal === ordinal)!;
  return predictionsOf(whyForSlot(i, slot)!, i, slot);
}

const h = (type: "created" | "healthy" | "terminating" | "gone" | "scheduled", name: string): Happening => ({ type, pod: name });

describe("predictionsOf and judge", () => {
  it("OrderedReady: kubia-2 is not created before kubia-1 is Running and Ready", () => {
    const [p] = predict(input(3, [pod("kubia-0", { node: "k8s-node1" }), pod("kubia-1", { node: "k8s-node1", ready: false })]), 2);
    expect(p).toEqual({ type: "notBefore", then: h("created", "kubia-2"), after: [h("healthy", "kubia-1")] });
    expect(judge(p, [h("healthy", "kubia-1"), h("created", "kubia-2")])).toBe("held");
    expect(judge(p, [h("created", "kubia-2"), h("healthy", "kubia-1")])).toBe("broken");
    expect(judge(p, [h("scheduled", "kubia-1")])).toBe("open");
  });

  it("scale-down: the highest ordinal goes next, the lower one waits until it is gone", () => {
    const i = input(1, [pod("kubia-0", { node: "k8s-node1" }), pod("kubia-1", { node: "k8s-node1" }), pod("kubia-2", { node: "k8s-node1" })]);
    const [next] = predict(i, 2);
    expect(next).toEqual({ type: "nextTerminating", pod: "kubia-2" });
    expect(judge(next, [h("terminating", "kubia-2"), h("terminating", "kubia-1")])).toBe("held");
    expect(judge(next, [h("terminating", "kubia-1")])).toBe("broken");
    expect(judge(next, [])).toBe("broken"); // it said something happens next; nothing did
    const [waits] = predict(i, 1);
    expect(judge(waits, [h("terminating", "kubia-2"), h("gone", "kubia-2"), h("terminating", "kubia-1")])).toBe("held");
    expect(judge(waits, [h("terminating", "kubia-1")])).toBe("broken");
  });

  it("Terminating on a node that is not Ready: not gone before the node is Ready again", () => {
    const [p] = predict(input(1, [pod("kubia-0", { node: "k8s-node3", deleting: { at: 1_000, grace: 30 } })]), 0);
    expect(p).toEqual({ type: "notBefore", then: h("gone", "kubia-0"), after: [{ type: "nodeReady", node: "k8s-node3" }] });
    expect(judge(p, [{ type: "nodeReady", node: "k8s-node3" }, h("gone", "kubia-0")])).toBe("held");
    expect(judge(p, [h("gone", "kubia-0")])).toBe("broken");
  });

  it("a pod on a node that is not Ready: not Ready again before the node is; OrderedReady holds the next ordinal back meanwhile", () => {
    const i = input(3, [pod("kubia-0", { node: "k8s-node1" }), pod("kubia-1", { node: "k8s-node3", ready: false })]);
    const [waits, holds] = predict(i, 1);
    expect(waits).toEqual({ type: "notBefore", then: h("healthy", "kubia-1"), after: [{ type: "nodeReady", node: "k8s-node3" }] });
    expect(holds).toEqual({ type: "notBefore", then: h("created", "kubia-2"), after: [h("healthy", "kubia-1")] });
    const recovered: Happening[] = [{ type: "nodeReady", node: "k8s-node3" }, h("healthy", "kubia-1"), h("created", "kubia-2")];
    expect([judge(waits, recovered), judge(holds, recovered)]).toEqual(["held", "held"]);
    expect(judge(waits, [h("healthy", "kubia-1")])).toBe("broken");
    expect(judge(holds, [h("created", "kubia-2")])).toBe("broken");
    // The user acts (deletes the pod) before the node is back: nothing to judge.
    expect([judge(waits, []), judge(holds, [])]).toEqual(["open", "open"]);
    // Nothing held back (the set is complete): the one prediction.
    expect(predict(input(2, [pod("kubia-0", { node: "k8s-node1" }), pod("kubia-1", { node: "k8s-node3", ready: false })]), 1)).toEqual([waits]);
  });

  it("a retained claim is not deleted and no pod comes for its ordinal until someone scales up", () => {
    const i = input(1, [pod("kubia-0", { node: "k8s-node1" })]);
    i.slots = buildSlots({ statefulSet: i.statefulSet, pods: [pod("kubia-0", { node: "k8s-node1" })], pvcs: [pvc("data-kubia-0"), pvc("data-kubia-1")], pvs: [], events: [], now: T0 });
    const predictions = predict(i, 1);
    expect(predictions).toEqual([
      { type: "never", happening: { type: "claimGone", pvc: "data-kubia-1" } },
      { type: "never", happening: h("created", "kubia-1") },
    ]);
    expect(judge(predictions[0], [{ type: "claimGone", pvc: "data-kubia-1" }])).toBe("broken");
    expect(judge(predictions[1], [])).toBe("held");
  });

  it("every reason why.ts can give has a prediction", () => {
    const i = input(1, [pod("kubia-0", { node: "k8s-node1" })]);
    const slot = i.slots[0];
    for (const key of WHY_KEYS) {
      expect(predictionsOf({ key, values: { pod: "kubia-0", blocks: "no" } }, i, slot).length, key).toBeGreaterThan(0);
    }
  });
});
