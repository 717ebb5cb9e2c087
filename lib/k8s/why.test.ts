import { describe, expect, it } from "vitest";
import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { buildSlots } from "./slots";
import { event, node, pod, pv, pvc, statefulSet, T0 } from "./testing/fixtures";
import { whyForSlot, whyLookup, type Why } from "./why";

const nodes = [node("k8s-node1"), node("k8s-node2"), node("k8s-node3", { ready: "Unknown", down: true })];

/** The reason of every slot of a state: ordinal → key and values (undefined where all is well). */
function reasons(sts: V1StatefulSet, pods: V1Pod[], o: { pvcs?: ReturnType<typeof pvc>[]; events?: ReturnType<typeof event>[] } = {}): Record<number, Why | undefined> {
  const pvcs = o.pvcs ?? pods.map((p) => pvc(`data-${p.metadata!.name}`));
  const slots = buildSlots({ statefulSet: sts, pods, pvcs, pvs: pvcs.filter((c) => c.status?.phase === "Bound").map(pv), events: o.events ?? [], now: T0 + 600_000 });
  const input = { statefulSet: sts, slots, nodes, events: o.events ?? [] };
  return Object.fromEntries(slots.map((s) => [s.ordinal, whyForSlot(input, s)]));
}

const running = (name: string, o: Parameters<typeof pod>[1] = {}) => pod(name, { node: "k8s-node1", ...o });
const withRevision = (p: V1Pod, revision: string) => ((p.metadata!.labels = { ...p.metadata!.labels, "controller-revision-hash": revision }), p);

describe("whyForSlot", () => {
  it("says nothing about a Running, Ready pod the controller is content with", () => {
    expect(reasons(statefulSet(2), [running("kubia-0"), running("kubia-1")])).toEqual({ 0: undefined, 1: undefined });
  });

  it("OrderedReady: a missing ordinal waits for the first lower pod that is not Running and Ready", () => {
    const r = reasons(statefulSet(3), [running("kubia-0"), running("kubia-1", { ready: false })]);
    expect(r[1]).toEqual({ key: "notReady", values: { pod: "kubia-1", blocks: "yes" } });
    expect(r[2]).toEqual({ key: "notCreatedOrdered", values: { pod: "kubia-2", blocker: "kubia-1" } });
  });

  it("OrderedReady: with kubia-1 missing as well, kubia-2 waits for kubia-1 (the controller stops there)", () => {
    const r = reasons(statefulSet(3), [running("kubia-0")]);
    expect(r[1]).toEqual({ key: "creating", values: { pod: "kubia-1" } });
    expect(r[2]).toEqual({ key: "notCreatedOrdered", values: { pod: "kubia-2", blocker: "kubia-1" } });
  });

  it("Parallel: a missing ordinal is being created whatever the others do", () => {
    const sts = statefulSet(3);
    sts.spec!.podManagementPolicy = "Parallel";
    const r = reasons(sts, [running("kubia-0", { ready: false })]);
    expect(r[2]).toEqual({ key: "creating", values: { pod: "kubia-2" } });
    expect(r[0]).toEqual({ key: "notReady", values: { pod: "kubia-0", blocks: "no" } });
  });

  it("a deleted pod comes back only once the Terminating one is gone; on a dead node only a force delete ends it", () => {
    const r = reasons(statefulSet(2), [running("kubia-0", { deleting: { at: 1_000, grace: 30 } }), pod("kubia-1", { node: "k8s-node3", deleting: { at: 1_000, grace: 30 } })]);
    expect(r[0]).toEqual({ key: "terminatingReplace", values: { pod: "kubia-0" } });
    expect(r[1]).toEqual({ key: "terminatingNodeDown", values: { pod: "kubia-1", node: "k8s-node3" } });
  });

  it("scale-down: the highest ordinal goes first, lower condemned pods wait; a retained claim says why it stays", () => {
    const claims = ["data-kubia-0", "data-kubia-1", "data-kubia-2", "data-kubia-3", "data-kubia-4"].map((n) => pvc(n));
    const r = reasons(statefulSet(2), [running("kubia-0"), running("kubia-1"), running("kubia-2"), running("kubia-3", { deleting: { at: 1_000, grace: 30 } })], { pvcs: claims });
    expect(r[3]).toEqual({ key: "terminatingScaleDown", values: { pod: "kubia-3" } });
    expect(r[2]).toEqual({ key: "scaleDownWaitsHigher", values: { pod: "kubia-2", higher: "kubia-3" } });
    expect(r[4]).toEqual({ key: "retainedClaim", values: { ordinal: 4, replicas: 2, pvc: "data-kubia-4", policy: "Retain" } });
  });

  it("scale-down under OrderedReady waits while a remaining pod is not Ready", () => {
    const r = reasons(statefulSet(1), [running("kubia-0", { ready: false }), running("kubia-1")]);
    expect(r[1]).toEqual({ key: "scaleDownWaitsReady", values: { pod: "kubia-1", blocker: "kubia-0" } });
  });

  it("a missing StorageClass is named from the claim's ProvisioningFailed event", () => {
    const claim = pvc("data-kubia-1", { phase: "Pending", storageClass: "missing" });
    const events = [event("PersistentVolumeClaim", "data-kubia-1", "ProvisioningFailed", 'storageclass.storage.k8s.io "missing" not found', { type: "Warning" })];
    const r = reasons(statefulSet(2), [running("kubia-0"), pod("kubia-1", { phase: "Pending" })], { pvcs: [pvc("data-kubia-0"), claim], events });
    expect(r[1]).toEqual({ key: "claimNoStorageClass", values: { pvc: "data-kubia-1", storageClass: "missing" } });
  });

  it("an unschedulable pod gives the scheduler's message; an image pull failure its reason", () => {
    const unschedulable = pod("kubia-0", {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 node(s) had untolerated taint." }],
    });
    expect(reasons(statefulSet(1), [unschedulable])[0]).toEqual({ key: "unschedulable", values: { pod: "kubia-0", message: "0/3 nodes are available: 3 node(s) had untolerated taint." } });
    const pulling = running("kubia-0", { phase: "Pending", waiting: "ImagePullBackOff" });
    expect(reasons(statefulSet(2), [pulling])[0]).toEqual({ key: "containerWaiting", values: { pod: "kubia-0", reason: "ImagePullBackOff", blocks: "yes" } });
  });

  it("a failed binding is retried by the scheduler, waiting for nothing", () => {
    const message = 'running Bind plugin "DefaultBinder": pods "kubia-0" not found';
    const unbound = pod("kubia-0", { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulerError", message }] });
    expect(reasons(statefulSet(1), [unbound])[0]).toEqual({ key: "bindRetry", values: { pod: "kubia-0", message } });
  });

  it("a FailedCreate of the set about the pod is the reason it is missing", () => {
    const events = [event("StatefulSet", "kubia", "FailedCreate", 'create Pod kubia-1 in StatefulSet kubia failed error: pods "kubia-1" is forbidden: exceeded quota', { type: "Warning" })];
    expect(reasons(statefulSet(2), [running("kubia-0")], { events })[1]).toMatchObject({ key: "createFailed", values: { pod: "kubia-1" } });
  });

  it("a claim being deleted, not the FailedCreate it causes, is the reason; once it is gone that failure is history", () => {
    const failed = event("StatefulSet", "kubia", "FailedCreate", "create Pod kubia-1 in StatefulSet kubia failed error: pvc data-kubia-1 is being deleted", { type: "Warning" });
    const claims = [pvc("data-kubia-0"), pvc("data-kubia-1", { deleting: 1000 })];
    expect(reasons(statefulSet(2), [running("kubia-0")], { events: [failed], pvcs: claims })[1]).toEqual({ key: "claimTerminating", values: { pod: "kubia-1", pvc: "data-kubia-1" } });
    expect(reasons(statefulSet(2), [running("kubia-0")], { events: [failed], pvcs: [claims[0]] })[1]).toEqual({ key: "creating", values: { pod: "kubia-1" } });
  });

  it("rolling update: reverse ordinal order down to the partition", () => {
    const sts = statefulSet(3);
    sts.status = { ...sts.status!, currentRevision: "kubia-old", updateRevision: "kubia-new" };
    const pods = [withRevision(running("kubia-0"), "kubia-old"), withRevision(running("kubia-1"), "kubia-old"), withRevision(running("kubia-2"), "kubia-new")];
    const r = reasons(sts, pods);
    expect(r[2]).toBeUndefined();
    expect(r[1]).toEqual({ key: "rollingNext", values: { pod: "kubia-1", partition: 0 } });
    expect(r[0]).toEqual({ key: "rollingWaits", values: { pod: "kubia-0", higher: "kubia-1" } });
    sts.spec!.updateStrategy = { type: "RollingUpdate", rollingUpdate: { partition: 2 } };
    const canary = reasons(sts, pods);
    expect(canary[1]).toEqual({ key: "belowPartition", values: { pod: "kubia-1", partition: 2 } });
    sts.spec!.updateStrategy = { type: "OnDelete" };
    expect(reasons(sts, pods)[1]).toEqual({ key: "onDelete", values: { pod: "kubia-1" } });
  });

  it("a Failed pod is deleted and created again", () => {
    expect(reasons(statefulSet(1), [running("kubia-0", { phase: "Failed" })])[0]).toEqual({ key: "finished", values: { pod: "kubia-0", phase: "Failed" } });
  });

  it("a pod on a node that is not Ready waits for the node, not for its kubelet's start", () => {
    const r = reasons(statefulSet(2), [running("kubia-0"), pod("kubia-1", { node: "k8s-node3", ready: false })]);
    expect(r[1]).toEqual({ key: "nodeNotReady", values: { pod: "kubia-1", node: "k8s-node3", blocks: "no" } });
  });

  it("whenScaled: Delete: the claim of an ordinal above replicas is deleted, not kept", () => {
    const sts = statefulSet(1);
    sts.spec!.persistentVolumeClaimRetentionPolicy = { whenScaled: "Delete", whenDeleted: "Retain" };
    const r = reasons(sts, [running("kubia-0")], { pvcs: [pvc("data-kubia-0"), pvc("data-kubia-1")] });
    expect(r[1]).toEqual({ key: "scaledClaimDeleted", values: { ordinal: 1, replicas: 1, pvc: "data-kubia-1" } });
  });

  it("the scheduler's 'unbound immediate PersistentVolumeClaims' once the claim is bound: it places the pod at its next attempt", () => {
    const message = "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found";
    const waiting = pod("kubia-0", { phase: "Pending", ready: false, conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }] });
    const unbound = pvc("data-kubia-0", { phase: "Pending" });
    expect(reasons(statefulSet(1), [waiting], { pvcs: [unbound] })[0]).toEqual({ key: "unschedulable", values: { pod: "kubia-0", message } });
    const bound = pvc("data-kubia-0", { phase: "Bound", volumeName: "pv-0" });
    expect(reasons(statefulSet(1), [waiting], { pvcs: [bound] })[0]).toEqual({ key: "schedulingRetry", values: { pod: "kubia-0" } });
    // The PV controller set spec.volumeName; status.phase Bound comes in its next write: no longer waiting for a volume.
    const binding = pvc("data-kubia-0", { phase: "Pending", volumeName: "pv-0" });
    expect(reasons(statefulSet(1), [waiting], { pvcs: [binding] })[0]).toEqual({ key: "schedulingRetry", values: { pod: "kubia-0" } });
  });
});

describe("whyLookup", () => {
  it("answers as whyForSlot does, computing a slot's reason only when asked, once", () => {
    const sts = statefulSet(3);
    const pods = [running("kubia-0"), pod("kubia-1", { node: "k8s-node1", phase: "Pending", ready: false, waiting: "ContainerCreating" })];
    const pvcs = pods.map((p) => pvc(`data-${p.metadata!.name}`));
    const slots = buildSlots({ statefulSet: sts, pods, pvcs, pvs: pvcs.map(pv), events: [], now: T0 + 600_000 });
    const input = { statefulSet: sts, slots, nodes, events: [] };
    let reads = 0;
    // Counts how often the slots' pods are looked at: asking twice for one ordinal reads it once.
    const counted = { ...input, slots: slots.map((s) => (s.pod ? { ...s, get pod() { reads++; return slots[s.ordinal].pod; } } : s)) };
    const whyOf = whyLookup(counted);
    expect(reads).toBe(0);
    expect(whyOf(1)).toEqual(whyForSlot(input, slots[1]));
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    expect(whyOf(1)).toBe(whyOf(1));
    expect(reads).toBe(afterFirst);
    expect(whyOf(0)).toEqual(whyForSlot(input, slots[0]));
    expect(whyOf(2)).toEqual(whyForSlot(input, slots[2]));
    expect(whyOf(7)).toBeUndefined();
  });
});
