import { describe, expect, it } from "vitest";
import { buildSlots, type OrdinalSlot } from "./slots";
import { event, pod, pv, pvc, statefulSet, T0 } from "./testing/fixtures";
import type { V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";

const summary = (slots: OrdinalSlot[]) =>
  slots.map((s) => ({ ordinal: s.ordinal, pod: s.pod?.metadata?.name ?? null, desired: s.desired, volume: s.claims.map((c) => c.volume?.state ?? "none") }));

describe("buildSlots: the book's scale 2 → 3 → 1 → 2", () => {
  // Time 0: two pods with their PVCs (the controller creates each PVC just before its pod).
  const claim0 = pvc("data-kubia-0", { created: 0 });
  const claim1 = pvc("data-kubia-1", { created: 5_000 });
  const claim2 = pvc("data-kubia-2", { created: 60_000 });
  const pvs = [claim0, claim1, claim2].map(pv);
  const kubia0 = pod("kubia-0", { created: 200, node: "k8s-node1", ip: "10.1.0.5" });
  const kubia1 = pod("kubia-1", { created: 5_300, node: "k8s-node2", ip: "10.1.1.7" });
  const kubia2 = pod("kubia-2", { created: 60_400, node: "k8s-node3", ip: "10.1.2.3" });
  const slots = (replicas: number, pods: V1Pod[], pvcs: V1PersistentVolumeClaim[], now: number) =>
    buildSlots({ statefulSet: statefulSet(replicas), pods, pvcs, pvs, events: [], now: T0 + now });

  it("2 replicas: two Bound slots", () => {
    expect(summary(slots(2, [kubia0, kubia1], [claim0, claim1], 30_000))).toEqual([
      { ordinal: 0, pod: "kubia-0", desired: true, volume: ["Bound"] },
      { ordinal: 1, pod: "kubia-1", desired: true, volume: ["Bound"] },
    ]);
  });

  it("scaled to 3: the new ordinal gets a new PVC, Bound", () => {
    const s = slots(3, [kubia0, kubia1, kubia2], [claim0, claim1, claim2], 90_000);
    expect(summary(s).map((x) => x.volume[0])).toEqual(["Bound", "Bound", "Bound"]);
    expect(s[2].claims[0]).toMatchObject({ name: "data-kubia-2", pv: { metadata: { name: "pvc-data-kubia-2" } } });
  });

  it("scaled to 1 while kubia-2 terminates: its slot is condemned, the pod still there", () => {
    const terminating = pod("kubia-2", { created: 60_400, node: "k8s-node3", deleting: { at: 120_000, grace: 30 } });
    expect(summary(slots(1, [kubia0, kubia1, terminating], [claim0, claim1, claim2], 121_000))).toEqual([
      { ordinal: 0, pod: "kubia-0", desired: true, volume: ["Bound"] },
      { ordinal: 1, pod: "kubia-1", desired: false, volume: ["Bound"] },
      { ordinal: 2, pod: "kubia-2", desired: false, volume: ["Bound"] },
    ]);
  });

  it("at 1 replica: the PVCs of 1 and 2 are Retained in their slots, without pods", () => {
    const s = slots(1, [kubia0], [claim0, claim1, claim2], 200_000);
    expect(summary(s)).toEqual([
      { ordinal: 0, pod: "kubia-0", desired: true, volume: ["Bound"] },
      { ordinal: 1, pod: null, desired: false, volume: ["Retained"] },
      { ordinal: 2, pod: null, desired: false, volume: ["Retained"] },
    ]);
    expect(s[1].claims[0].volume).toEqual({ state: "Retained", pv: "pvc-data-kubia-1" });
  });

  it("back to 2: a new kubia-1 re-attaches the same PVC and PV — Reused since the new pod's creation", () => {
    const newKubia1 = pod("kubia-1", { created: 250_000, node: "k8s-node3", ip: "10.1.2.9" });
    const s = slots(2, [kubia0, newKubia1], [claim0, claim1, claim2], 260_000);
    expect(summary(s)).toEqual([
      { ordinal: 0, pod: "kubia-0", desired: true, volume: ["Bound"] },
      { ordinal: 1, pod: "kubia-1", desired: true, volume: ["Reused"] },
      { ordinal: 2, pod: null, desired: false, volume: ["Retained"] },
    ]);
    expect(s[1].claims[0].volume).toEqual({
      state: "Reused",
      pod: "kubia-1",
      pv: "pvc-data-kubia-1",
      since: new Date(T0 + 250_000).toISOString(),
      claimCreated: new Date(T0 + 5_000).toISOString(),
    });
    expect(s[1].claims[0].pv?.metadata?.name).toBe("pvc-data-kubia-1");
  });
});

describe("buildSlots layout", () => {
  it("starts at spec.ordinals.start", () => {
    const s = buildSlots({ statefulSet: statefulSet(2, { start: 3 }), pods: [pod("kubia-3")], pvcs: [], pvs: [], events: [], now: T0 });
    expect(s.map((x) => [x.ordinal, x.podName, x.desired])).toEqual([
      [3, "kubia-3", true],
      [4, "kubia-4", true],
    ]);
  });

  it("keeps a slot for a retained PVC far above the replicas, and fills the gap", () => {
    const s = buildSlots({ statefulSet: statefulSet(1), pods: [pod("kubia-0")], pvcs: [pvc("data-kubia-0"), pvc("data-kubia-3")], pvs: [], events: [], now: T0 + 60_000 });
    expect(s.map((x) => [x.ordinal, x.desired, x.claims[0].pvc ? "pvc" : "-"])).toEqual([
      [0, true, "pvc"],
      [1, false, "-"],
      [2, false, "-"],
      [3, false, "pvc"],
    ]);
  });

  it("ignores other sets' pods and PVCs, and pods another controller owns", () => {
    const foreign = pod("kubia-1");
    foreign.metadata!.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "kubia-abc", uid: "rs", controller: true }];
    const s = buildSlots({
      statefulSet: statefulSet(1),
      pods: [pod("kubia-0"), pod("kubia-public-0", { sts: "kubia-public" }), foreign],
      pvcs: [pvc("data-kubia-0"), pvc("data-web-5"), pvc("logs-kubia-4")],
      pvs: [],
      events: [],
      now: T0,
    });
    expect(s.map((x) => x.ordinal)).toEqual([0]);
  });

  it("one claim per volumeClaimTemplate, named even before it exists", () => {
    const s = buildSlots({ statefulSet: statefulSet(1, { templates: ["data", "logs"] }), pods: [], pvcs: [pvc("data-kubia-0")], pvs: [], events: [], now: T0 });
    expect(s[0].claims.map((c) => [c.name, !!c.pvc])).toEqual([
      ["data-kubia-0", true],
      ["logs-kubia-0", false],
    ]);
  });

  it("shows the Pending reason from the PVC's events", () => {
    const claim = pvc("data-kubia-0", { phase: "Pending", storageClass: "missing" });
    const events = [
      event("PersistentVolumeClaim", "data-kubia-0", "ProvisioningFailed", 'storageclass.storage.k8s.io "missing" not found', { at: 2_000, type: "Warning", uid: claim.metadata!.uid }),
    ];
    const s = buildSlots({ statefulSet: statefulSet(1), pods: [pod("kubia-0", { phase: "Pending" })], pvcs: [claim], pvs: [], events, now: T0 + 3_000 });
    expect(s[0].claims[0].volume).toEqual({ state: "Pending", reason: 'storageclass.storage.k8s.io "missing" not found' });
  });

  it("zero replicas and nothing left: no slots", () => {
    expect(buildSlots({ statefulSet: statefulSet(0), pods: [], pvcs: [], pvs: [], events: [], now: T0 })).toEqual([]);
  });
});

describe("buildSlots with a stray far-away ordinal", () => {
  it("does not draw thousands of empty slots", () => {
    const s = buildSlots({ statefulSet: statefulSet(2), pods: [pod("kubia-0"), pod("kubia-90000")], pvcs: [], pvs: [], events: [], now: T0 });
    expect(s.map((x) => x.ordinal)).toEqual([0, 1, 90000]);
  });
});
