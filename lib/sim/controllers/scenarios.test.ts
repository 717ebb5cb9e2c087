import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { withTestCluster } from "./testing/cluster";

/**
 * The StatefulSet chapter's experiments end to end: bootstrap + the kubia demo + every controller, on a manual
 * clock at the pace of a real cluster (speed 1).
 */

const world = withTestCluster({ seedDemo: true });

const seconds = (s: number) => world.seconds(s);
const pod = (name: string) => world.ctx.store.tryGet("pods", "default", name);
const claim = (name: string) => world.ctx.store.tryGet("persistentvolumeclaims", "default", name);
const podNames = () => world.ctx.store.list("pods", { namespace: "default" }).items.map((p) => p.metadata.name);
const isReady = (p: V1Pod | undefined) => p?.status?.phase === "Running" && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");

function scale(replicas: number): void {
  const set = world.ctx.store.get("statefulsets.apps", "default", "kubia");
  world.ctx.store.update("statefulsets.apps", { ...set, spec: { ...set.spec!, replicas } });
}

function events(name: string): string[] {
  return world.ctx.store
    .list("events", { namespace: "default" })
    .items.map((e) => e)
    .filter((e) => e.involvedObject.name === name)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.reason}: ${e.message}`);
}

function nodeCidr(nodeName: string): string {
  const node = world.ctx.store.get("nodes", undefined, nodeName);
  return node.spec!.podCIDR!.replace(/0\/24$/, "");
}

describe("the kubia demo on the embedded cluster", () => {
  it("comes up as two Ready pods with bound claims and pod IPs from their node's CIDR", () => {
    seconds(60);
    expect(podNames()).toEqual(["kubia-0", "kubia-1"]);
    for (const name of ["kubia-0", "kubia-1"]) {
      const p = pod(name)!;
      expect(isReady(p)).toBe(true);
      expect(p.status!.podIP!.startsWith(nodeCidr(p.spec!.nodeName!))).toBe(true);
      const c = claim(`data-${name}`)!;
      expect(c.status!.phase).toBe("Bound");
      expect(c.spec!.storageClassName).toBe("standard");
      expect(world.ctx.store.get("persistentvolumes", undefined, c.spec!.volumeName!).status).toMatchObject({ phase: "Bound" });
    }
    // OrderedReady: kubia-1 was created only after kubia-0 was Ready.
    const created = (n: string) => Date.parse(String(pod(n)!.metadata!.creationTimestamp));
    const ready0 = Date.parse(String(pod("kubia-0")!.status!.conditions!.find((c) => c.type === "Ready")!.lastTransitionTime));
    expect(created("kubia-1")).toBeGreaterThanOrEqual(ready0);
    const set = world.ctx.store.get("statefulsets.apps", "default", "kubia");
    expect(set.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
    expect(events("kubia")).toEqual([
      "SuccessfulCreate: Create Claim data-kubia-0 Pod kubia-0 in StatefulSet kubia success",
      "SuccessfulCreate: Create Pod kubia-0 in StatefulSet kubia successful",
      "SuccessfulCreate: Create Claim data-kubia-1 Pod kubia-1 in StatefulSet kubia success",
      "SuccessfulCreate: Create Pod kubia-1 in StatefulSet kubia successful",
    ]);
  });

  it("keeps data-kubia-1 on scale-down and re-attaches the same claim and volume (with its data) on scale-up", () => {
    seconds(60);
    scale(3);
    seconds(60);
    expect(podNames()).toEqual(["kubia-0", "kubia-1", "kubia-2"]);
    const before = claim("data-kubia-1")!;
    const pv = before.spec!.volumeName!;
    world.ctx.volumes.write(pv, "kubia-1 was here");
    scale(1);
    seconds(5);
    expect(pod("kubia-2")!.metadata!.deletionTimestamp).toBeDefined(); // highest ordinal first, Terminating
    expect(pod("kubia-1")!.metadata!.deletionTimestamp).toBeUndefined();
    seconds(120);
    expect(podNames()).toEqual(["kubia-0"]);
    const kept = claim("data-kubia-1")!;
    expect(kept.metadata!.uid).toBe(before.metadata!.uid);
    expect(kept.status!.phase).toBe("Bound");
    expect(claim("data-kubia-2")).toBeDefined();
    scale(2);
    seconds(60);
    expect(isReady(pod("kubia-1"))).toBe(true);
    expect(podNames()).toEqual(["kubia-0", "kubia-1"]);
    expect(claim("data-kubia-1")!.metadata!.uid).toBe(before.metadata!.uid);
    expect(claim("data-kubia-1")!.spec!.volumeName).toBe(pv);
    expect(world.ctx.volumes.read(pv)).toBe("kubia-1 was here");
  });

  it("keeps a deleted pod Terminating for its grace period, then brings the same name back with a new uid and the same claim", () => {
    seconds(60);
    const old = pod("kubia-0")!;
    const before = claim("data-kubia-0")!;
    world.ctx.store.delete("pods", "default", "kubia-0");
    seconds(25);
    expect(pod("kubia-0")!.metadata!.uid).toBe(old.metadata!.uid); // the kubia app ignores SIGTERM: full 30 s
    expect(pod("kubia-0")!.metadata!.deletionTimestamp).toBeDefined();
    seconds(40);
    const replacement = pod("kubia-0")!;
    expect(replacement.metadata!.uid).not.toBe(old.metadata!.uid);
    expect(isReady(replacement)).toBe(true);
    expect(replacement.spec!.volumes![0].persistentVolumeClaim!.claimName).toBe("data-kubia-0");
    expect(claim("data-kubia-0")!.metadata!.uid).toBe(before.metadata!.uid);
    expect(claim("data-kubia-0")!.spec!.volumeName).toBe(before.spec!.volumeName);
  });

  it("leaves the pod of a failed node Terminating until a force delete, then recreates it elsewhere with the same claim", () => {
    seconds(60);
    const victim = pod("kubia-0")!;
    const deadNode = victim.spec!.nodeName!;
    const volume = claim("data-kubia-0")!.spec!.volumeName;
    const node = world.ctx.store.get("nodes", undefined, deadNode);
    world.ctx.store.update("nodes", { ...node, metadata: { ...node.metadata, annotations: { ...node.metadata.annotations, "playground.k8s.io/down": "true" } } });
    seconds(60);
    const ready = (world.ctx.store.get("nodes", undefined, deadNode)).status!.conditions!.find((c) => c.type === "Ready")!;
    expect(ready.status).toBe("Unknown");
    seconds(300); // the unreachable toleration runs out: the pod is evicted…
    expect(pod("kubia-0")!.metadata!.deletionTimestamp).toBeDefined();
    seconds(600); // …but its kubelet is gone, so it stays Terminating
    expect(pod("kubia-0")!.metadata!.uid).toBe(victim.metadata!.uid);
    world.ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 }); // kubectl delete --force --grace-period=0
    seconds(60);
    const replacement = pod("kubia-0")!;
    expect(replacement.metadata!.uid).not.toBe(victim.metadata!.uid);
    expect(replacement.spec!.nodeName).not.toBe(deadNode);
    expect(isReady(replacement)).toBe(true);
    expect(claim("data-kubia-0")!.spec!.volumeName).toBe(volume);
  });

  it("with storage unavailable, a new claim stays Pending and its pod cannot be scheduled", () => {
    seconds(60);
    world.ctx.faults.set({ storageUnavailable: true });
    scale(3);
    seconds(120);
    expect(claim("data-kubia-2")!.status!.phase).toBe("Pending");
    expect(pod("kubia-2")!.status!.phase).toBe("Pending");
    expect(pod("kubia-2")!.spec!.nodeName).toBeUndefined();
    expect(events("kubia-2").some((e) => e.startsWith("FailedScheduling:") && e.includes("pod has unbound immediate PersistentVolumeClaims"))).toBe(true);
    world.ctx.faults.set({ storageUnavailable: false });
    seconds(60);
    expect(isReady(pod("kubia-2"))).toBe(true);
  });

  it("with a missing image, a replaced pod goes ErrImagePull then ImagePullBackOff", () => {
    seconds(60);
    world.ctx.faults.set({ missingImages: ["luksa/kubia-pet"] });
    world.ctx.store.delete("pods", "default", "kubia-1");
    seconds(35); // grace period, then the replacement tries to pull
    const waiting = () => pod("kubia-1")!.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    const reasons = new Set<string | undefined>();
    for (let i = 0; i < 60; i++) {
      seconds(1);
      reasons.add(waiting());
    }
    expect(reasons.has("ErrImagePull")).toBe(true);
    expect(reasons.has("ImagePullBackOff")).toBe(true);
    expect(isReady(pod("kubia-1"))).toBe(false);
    expect(events("kubia-1").some((e) => e === "Failed: Error: ImagePullBackOff")).toBe(true);
  });

  it("deleting the StatefulSet cascades to its pods and revisions but keeps the claims (whenDeleted: Retain)", () => {
    seconds(60);
    world.ctx.store.delete("statefulsets.apps", "default", "kubia");
    seconds(5);
    expect(pod("kubia-0")!.metadata!.deletionTimestamp).toBeDefined(); // the garbage collector deleted them gracefully
    seconds(60);
    expect(podNames()).toEqual([]);
    expect(world.ctx.store.list("controllerrevisions.apps", { namespace: "default" }).items).toEqual([]);
    expect(claim("data-kubia-0")!.status!.phase).toBe("Bound");
    expect(claim("data-kubia-1")!.status!.phase).toBe("Bound");
  });

  it("whenScaled: Delete removes a scaled-down pod's claim and volume once the pod is gone", () => {
    const set = world.ctx.store.get("statefulsets.apps", "default", "kubia");
    const spec = { ...set.spec!, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" } };
    world.ctx.store.update("statefulsets.apps", { ...set, spec });
    seconds(60);
    const volume = claim("data-kubia-1")!.spec!.volumeName!;
    scale(1);
    seconds(10);
    expect(pod("kubia-1")!.metadata!.deletionTimestamp).toBeDefined();
    expect(claim("data-kubia-1")!.metadata!.ownerReferences![0]).toMatchObject({ kind: "Pod", name: "kubia-1" });
    seconds(120);
    expect(pod("kubia-1")).toBeUndefined();
    expect(claim("data-kubia-1")).toBeUndefined();
    expect(world.ctx.store.tryGet("persistentvolumes", undefined, volume)).toBeUndefined(); // reclaim policy Delete
    expect(claim("data-kubia-0")!.status!.phase).toBe("Bound");
  });

  it("whenDeleted: Delete removes the claims together with the StatefulSet", () => {
    const set = world.ctx.store.get("statefulsets.apps", "default", "kubia");
    const spec = { ...set.spec!, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" } };
    world.ctx.store.update("statefulsets.apps", { ...set, spec });
    seconds(60);
    expect(claim("data-kubia-0")!.metadata!.ownerReferences![0]).toMatchObject({ kind: "StatefulSet", name: "kubia" });
    world.ctx.store.delete("statefulsets.apps", "default", "kubia");
    seconds(120);
    expect(podNames()).toEqual([]);
    expect(claim("data-kubia-0")).toBeUndefined();
    expect(claim("data-kubia-1")).toBeUndefined();
  });
});
