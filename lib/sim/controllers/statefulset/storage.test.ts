import { describe, expect, it } from "vitest";
import { createSet, drain, eventMessages, finishTerminating, getPod, getSet, kubiaSet, patchSpec, settle, type TestContext, withSetController } from "./testing/kit";

let ctx: TestContext;
withSetController((c) => (ctx = c));

const claim = (name: string) => ctx.store.tryGet("persistentvolumeclaims", "default", name);

describe("volumeClaimTemplates", () => {
  it("creates each claim once, before its pod, labelled with the selector", () => {
    createSet(ctx, kubiaSet({ replicas: 1 }));
    drain(ctx);
    const pvc = claim("data-kubia-0")!;
    expect(pvc.metadata!.labels).toEqual({ app: "kubia" });
    expect(pvc.spec!.resources!.requests!.storage).toBe("1Mi");
    expect(pvc.status!.phase).toBe("Pending");
    expect(pvc.metadata!.ownerReferences).toBeUndefined(); // Retain/Retain: nobody owns it
    expect(Number(pvc.metadata!.resourceVersion)).toBeLessThan(Number(getPod(ctx, "kubia-0")!.metadata!.resourceVersion));
    expect(eventMessages(ctx, "SuccessfulCreate")).toEqual([
      "Create Claim data-kubia-0 Pod kubia-0 in StatefulSet kubia success",
      "Create Pod kubia-0 in StatefulSet kubia successful",
    ]);
  });

  it("keeps the claim on scale-down and gives the very same claim to the next pod of that ordinal", () => {
    createSet(ctx, kubiaSet({ replicas: 2 }));
    settle(ctx);
    const before = claim("data-kubia-1")!;
    patchSpec(ctx, { replicas: 1 });
    settle(ctx);
    expect(getPod(ctx, "kubia-1")).toBeUndefined();
    const kept = claim("data-kubia-1")!;
    expect(kept.metadata!.uid).toBe(before.metadata!.uid);
    expect(kept.metadata!.resourceVersion).toBe(before.metadata!.resourceVersion); // never modified
    patchSpec(ctx, { replicas: 2 });
    settle(ctx);
    expect(claim("data-kubia-1")!.metadata!.uid).toBe(before.metadata!.uid);
    expect(getPod(ctx, "kubia-1")!.spec!.volumes![0].persistentVolumeClaim!.claimName).toBe("data-kubia-1");
    expect(eventMessages(ctx, "SuccessfulCreate").filter((m) => m.includes("Claim data-kubia-1"))).toHaveLength(1);
    expect(eventMessages(ctx, "SuccessfulDelete")).toEqual(["Delete Pod kubia-1 in StatefulSet kubia successful"]);
  });

  it("recreates a claim deleted while its pod is Pending", () => {
    createSet(ctx, kubiaSet({ replicas: 1 }));
    drain(ctx);
    const first = claim("data-kubia-0")!;
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-0");
    drain(ctx);
    expect(claim("data-kubia-0")!.metadata!.uid).not.toBe(first.metadata!.uid);
  });

  it("refuses to create a pod whose claim is being deleted (FailedCreate, then retries)", () => {
    ctx.store.create("persistentvolumeclaims", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data-kubia-0", namespace: "default", finalizers: ["kubernetes.io/pvc-protection"] },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } },
    });
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-0");
    createSet(ctx, kubiaSet({ replicas: 1 }));
    drain(ctx);
    expect(getPod(ctx, "kubia-0")).toBeUndefined();
    expect(eventMessages(ctx, "FailedCreate")).toEqual([
      "Create Pod kubia-0 in StatefulSet kubia failed error: pvc data-kubia-0 is being deleted",
    ]);
    const pvc = ctx.store.get("persistentvolumeclaims", "default", "data-kubia-0");
    ctx.store.update("persistentvolumeclaims", { ...pvc, metadata: { ...pvc.metadata, finalizers: [] } });
    ctx.clock.advance(1000); // the failed sync is retried with back-off
    expect(getPod(ctx, "kubia-0")).toBeDefined();
    expect(claim("data-kubia-0")!.metadata!.uid).not.toBe(pvc.metadata.uid);
  });
});

describe("persistentVolumeClaimRetentionPolicy", () => {
  it("whenDeleted: Delete makes the StatefulSet the claim's controller", () => {
    const set = createSet(ctx, kubiaSet({ replicas: 1, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" } }));
    drain(ctx);
    expect(claim("data-kubia-0")!.metadata!.ownerReferences).toEqual([
      { apiVersion: "apps/v1", kind: "StatefulSet", name: "kubia", uid: set.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
  });

  it("whenScaled: Delete gives a condemned pod's claim to that pod before deleting it", () => {
    createSet(ctx, kubiaSet({ replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" } }));
    settle(ctx);
    expect(claim("data-kubia-1")!.metadata!.ownerReferences).toBeUndefined();
    const pod = getPod(ctx, "kubia-1")!;
    patchSpec(ctx, { replicas: 1 });
    drain(ctx);
    expect(getPod(ctx, "kubia-1")!.metadata!.deletionTimestamp).toBeDefined();
    expect(claim("data-kubia-1")!.metadata!.ownerReferences).toEqual([
      { apiVersion: "v1", kind: "Pod", name: "kubia-1", uid: pod.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(claim("data-kubia-0")!.metadata!.ownerReferences).toBeUndefined();
  });

  it("whenScaled: Delete blocks a new pod while its claim still belongs to the old pod", () => {
    createSet(ctx, kubiaSet({ replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" } }));
    settle(ctx);
    patchSpec(ctx, { replicas: 1 });
    drain(ctx);
    finishTerminating(ctx);
    drain(ctx);
    // No garbage collector runs here: the stale claim stays, so scaling up must not reuse it.
    patchSpec(ctx, { replicas: 2 });
    drain(ctx);
    expect(getPod(ctx, "kubia-1")).toBeUndefined();
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-1");
    drain(ctx);
    expect(getPod(ctx, "kubia-1")).toBeDefined();
    expect(claim("data-kubia-1")!.metadata!.ownerReferences).toBeUndefined();
  });

  it("Delete/Delete moves the reference from the set to the pod on scale-down", () => {
    const set = createSet(ctx, kubiaSet({ replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Delete" } }));
    settle(ctx);
    expect(claim("data-kubia-1")!.metadata!.ownerReferences!.map((r) => r.uid)).toEqual([set.metadata!.uid]);
    patchSpec(ctx, { replicas: 1 });
    drain(ctx);
    expect(claim("data-kubia-1")!.metadata!.ownerReferences!.map((r) => r.kind)).toEqual(["Pod"]);
    expect(claim("data-kubia-0")!.metadata!.ownerReferences!.map((r) => r.kind)).toEqual(["StatefulSet"]);
    expect(getSet(ctx).status!.replicas).toBe(2); // the Terminating pod still counts
  });
});
