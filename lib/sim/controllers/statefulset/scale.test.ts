import { describe, expect, it } from "vitest";
import { createSet, drain, finishTerminating, getPod, journal, kubiaSet, markFailed, markReady, patchSpec, podNames, settle, type TestContext, withSetController } from "./testing/kit";

let ctx: TestContext;
withSetController((c) => (ctx = c));

describe("OrderedReady", () => {
  it("creates one pod at a time, each after its predecessor is Running and Ready", () => {
    const j = journal(ctx);
    createSet(ctx, kubiaSet({ replicas: 3 }));
    drain(ctx);
    expect(j.take()).toEqual(["+kubia-0"]);
    drain(ctx);
    expect(j.take()).toEqual([]); // kubia-0 is Pending: nothing more
    markReady(ctx, "kubia-0");
    drain(ctx);
    expect(j.take()).toEqual(["+kubia-1"]);
    markReady(ctx, "kubia-1");
    drain(ctx);
    expect(j.take()).toEqual(["+kubia-2"]);
    markReady(ctx, "kubia-2");
    drain(ctx);
    expect(j.take()).toEqual([]);
  });

  it("scales 0→3→1→3 in ordinal order, removing the highest ordinal first, one at a time", () => {
    const j = journal(ctx);
    createSet(ctx, kubiaSet({ replicas: 0 }));
    settle(ctx);
    expect(j.take()).toEqual([]);

    patchSpec(ctx, { replicas: 3 });
    settle(ctx);
    expect(j.take()).toEqual(["+kubia-0", "+kubia-1", "+kubia-2"]);

    patchSpec(ctx, { replicas: 1 });
    drain(ctx);
    expect(j.take()).toEqual(["~kubia-2"]); // only the highest ordinal, and it is still Terminating
    drain(ctx);
    expect(j.take()).toEqual([]); // kubia-1 waits until kubia-2 is gone
    finishTerminating(ctx);
    drain(ctx);
    expect(j.take()).toEqual(["-kubia-2", "~kubia-1"]);
    finishTerminating(ctx);
    drain(ctx);
    expect(j.take()).toEqual(["-kubia-1"]);
    expect(podNames(ctx)).toEqual(["kubia-0"]);

    patchSpec(ctx, { replicas: 3 });
    settle(ctx);
    expect(j.take()).toEqual(["+kubia-1", "+kubia-2"]);
  });

  it("does not create the next pod while a predecessor is not Ready", () => {
    createSet(ctx, kubiaSet({ replicas: 2 }));
    settle(ctx);
    // kubia-0 turns unready: scaling up must wait for it.
    const pod = ctx.store.get("pods", "default", "kubia-0");
    ctx.store.update("pods", { ...pod, status: { ...(pod.status as object), conditions: [{ type: "Ready", status: "False" }] } }, { subresource: "status" });
    patchSpec(ctx, { replicas: 3 });
    drain(ctx);
    expect(podNames(ctx)).toEqual(["kubia-0", "kubia-1"]);
    markReady(ctx, "kubia-0");
    drain(ctx);
    expect(podNames(ctx)).toEqual(["kubia-0", "kubia-1", "kubia-2"]);
  });
});

describe("Parallel", () => {
  it("creates and deletes all pods at once, without waiting for readiness", () => {
    const j = journal(ctx);
    createSet(ctx, kubiaSet({ replicas: 3, podManagementPolicy: "Parallel" }));
    drain(ctx);
    // Parallel creates in one burst: like the real controller's concurrent creates, no order is promised.
    expect(j.take().sort()).toEqual(["+kubia-0", "+kubia-1", "+kubia-2"]);
    settle(ctx);
    j.take();
    patchSpec(ctx, { replicas: 0 });
    drain(ctx);
    expect(j.take().sort()).toEqual(["~kubia-0", "~kubia-1", "~kubia-2"]);
  });

  it("still never has two pods of one ordinal: the replacement waits for the Terminating pod", () => {
    const j = journal(ctx);
    createSet(ctx, kubiaSet({ replicas: 2, podManagementPolicy: "Parallel" }));
    settle(ctx);
    const oldUid = getPod(ctx, "kubia-1")!.metadata!.uid;
    j.take();
    ctx.store.delete("pods", "default", "kubia-1");
    drain(ctx);
    expect(j.take()).toEqual(["~kubia-1"]);
    expect(getPod(ctx, "kubia-1")!.metadata!.uid).toBe(oldUid);
    finishTerminating(ctx);
    drain(ctx);
    expect(j.take()).toEqual(["-kubia-1", "+kubia-1"]);
    expect(getPod(ctx, "kubia-1")!.metadata!.uid).not.toBe(oldUid);
  });
});

describe("at most one pod per ordinal", () => {
  it("keeps a deleted pod Terminating and recreates the same name only after it is gone", () => {
    const j = journal(ctx);
    createSet(ctx, kubiaSet({ replicas: 2 }));
    settle(ctx);
    j.take();
    const old = getPod(ctx, "kubia-0")!;
    ctx.store.delete("pods", "default", "kubia-0");
    for (let i = 0; i < 5; i++) drain(ctx);
    expect(j.take()).toEqual(["~kubia-0"]);
    expect(getPod(ctx, "kubia-0")!.metadata!.deletionTimestamp).toBeDefined();
    finishTerminating(ctx);
    drain(ctx);
    expect(j.take()).toEqual(["-kubia-0", "+kubia-0"]);
    const replacement = getPod(ctx, "kubia-0")!;
    expect(replacement.metadata!.uid).not.toBe(old.metadata!.uid);
    expect(replacement.spec!.volumes![0].persistentVolumeClaim!.claimName).toBe("data-kubia-0");
  });

  it("deletes a Failed pod and creates its replacement once the old object is removed", () => {
    createSet(ctx, kubiaSet({ replicas: 1 }));
    settle(ctx);
    const j = journal(ctx);
    const oldUid = getPod(ctx, "kubia-0")!.metadata!.uid;
    markFailed(ctx, "kubia-0");
    drain(ctx);
    // A Failed pod has no grace period: it is removed at once (the API server still marks it
    // Terminating in the same request, so watchers see it), then recreated by the next sync.
    expect(j.take()).toEqual(["~kubia-0", "-kubia-0", "+kubia-0"]);
    expect(getPod(ctx, "kubia-0")!.metadata!.uid).not.toBe(oldUid);
  });
});

describe("spec.ordinals.start", () => {
  it("numbers pods from the start ordinal and condemns pods outside the range", () => {
    const j = journal(ctx);
    createSet(ctx, kubiaSet({ replicas: 2, ordinals: { start: 5 } }));
    settle(ctx);
    expect(j.take()).toEqual(["+kubia-5", "+kubia-6"]);
    expect(getPod(ctx, "kubia-5")!.metadata!.labels!["apps.kubernetes.io/pod-index"]).toBe("5");
    patchSpec(ctx, { replicas: 2, ordinals: { start: 6 } });
    settle(ctx);
    expect(j.take()).toEqual(["+kubia-7", "~kubia-5", "-kubia-5"]);
    expect(podNames(ctx)).toEqual(["kubia-6", "kubia-7"]);
    expect(ctx.store.tryGet("persistentvolumeclaims", "default", "data-kubia-5")).toBeDefined();
  });
});
