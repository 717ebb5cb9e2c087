import type { V1Pod, V1PodTemplateSpec } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { decodeObject, encodeObject } from "../../api/protobuf/codec";
import { validatePodUpdate } from "../../strategies/pod";
import { createSet, drain, finishTerminating, getPod, getSet, journal, kubiaSet, markReady, patchSpec, settle, type TestContext, withSetController } from "./testing/kit";

let ctx: TestContext;
withSetController((c) => (ctx = c));

function withImage(image: string): V1PodTemplateSpec {
  const t = structuredClone(getSet(ctx).spec!.template);
  t.spec!.containers[0].image = image;
  return t;
}

const revisionOf = (name: string) => getPod(ctx, name)!.metadata!.labels!["controller-revision-hash"];
const revisions = () => ctx.store.list("controllerrevisions.apps", { namespace: "default" }).items;

describe("pods", () => {
  it("carry the identity, labels, owner and per-ordinal claim volumes of the real controller", () => {
    const spec = kubiaSet({ replicas: 1 }).spec!;
    spec.template.spec!.volumes = [{ name: "data", emptyDir: {} }, { name: "cache", emptyDir: {} }];
    const set = createSet(ctx, { ...kubiaSet(), spec });
    drain(ctx);
    const pod = getPod(ctx, "kubia-0")!;
    const rev = getSet(ctx).status!.updateRevision!;
    expect(rev).toMatch(/^kubia-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod.metadata!.labels).toEqual({
      app: "kubia",
      "statefulset.kubernetes.io/pod-name": "kubia-0",
      "apps.kubernetes.io/pod-index": "0",
      "controller-revision-hash": rev,
    });
    expect(pod.metadata!.generateName).toBe("kubia-");
    expect(pod.spec!.hostname).toBe("kubia-0");
    expect(pod.spec!.subdomain).toBe("kubia");
    expect(pod.metadata!.ownerReferences).toEqual([
      { apiVersion: "apps/v1", kind: "StatefulSet", name: "kubia", uid: set.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(pod.spec!.volumes).toEqual([
      { name: "data", persistentVolumeClaim: { claimName: "data-kubia-0" } },
      { name: "cache", emptyDir: {} },
    ]);
  });

  it("can be orphaned by a Go client: the pod read over protobuf and written back with no owner is a valid update", () => {
    // The e2e spec "should adopt matching orphans" Gets the pod, clears ownerReferences and Updates it
    // over protobuf; a `readOnly: false` the API server kept would come back absent (omitempty) and the
    // update would be refused as a change of spec.
    createSet(ctx, kubiaSet({ replicas: 1 }));
    drain(ctx);
    const pod = getPod(ctx, "kubia-0")!;
    const orphaned = decodeObject(encodeObject({ apiVersion: "v1", kind: "Pod", ...pod } as never)) as V1Pod;
    orphaned.metadata!.ownerReferences = undefined;
    expect(() => validatePodUpdate(orphaned as never, pod as never)).not.toThrow();
  });

  it("adopts a matching orphan pod of the right name instead of creating another", () => {
    ctx.store.create("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "kubia-0", namespace: "default", labels: { app: "kubia" } },
      spec: { containers: [{ name: "kubia", image: "luksa/kubia-pet" }] },
    });
    const set = createSet(ctx, kubiaSet({ replicas: 1 }));
    drain(ctx);
    expect(getPod(ctx, "kubia-0")!.metadata!.ownerReferences![0].uid).toBe(set.metadata!.uid);
  });
});

describe("status", () => {
  it("counts replicas, ready, current and updated pods and records observedGeneration", () => {
    createSet(ctx, kubiaSet({ replicas: 2 }));
    drain(ctx);
    let status = getSet(ctx).status!;
    expect(status.observedGeneration).toBe(1);
    expect(status.replicas).toBe(1);
    expect(status.readyReplicas).toBeUndefined(); // omitted when zero, like the API
    expect(status.availableReplicas).toBe(0);
    settle(ctx);
    status = getSet(ctx).status!;
    expect(status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 2, collisionCount: 0 });
    expect(status.currentRevision).toBe(status.updateRevision);
    patchSpec(ctx, { replicas: 1 });
    drain(ctx);
    status = getSet(ctx).status!;
    expect(status.observedGeneration).toBe(2);
    // The Terminating kubia-1 still counts as a replica and, still Ready, as ready; not as current.
    expect(status).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 1 });
    finishTerminating(ctx);
    drain(ctx);
    expect(getSet(ctx).status).toMatchObject({ replicas: 1, readyReplicas: 1, currentReplicas: 1 });
  });

  it("minReadySeconds: a Ready pod is available, and the next one created, only after that long", () => {
    createSet(ctx, kubiaSet({ replicas: 2, minReadySeconds: 10 }));
    drain(ctx);
    markReady(ctx, "kubia-0");
    drain(ctx);
    expect(getPod(ctx, "kubia-1")).toBeUndefined();
    expect(getSet(ctx).status).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    ctx.clock.advance(9_000);
    expect(getPod(ctx, "kubia-1")).toBeUndefined();
    ctx.clock.advance(1_500);
    expect(getPod(ctx, "kubia-1")).toBeDefined();
    expect(getSet(ctx).status!.availableReplicas).toBe(1);
  });
});

describe("updates", () => {
  it("RollingUpdate replaces pods from the highest ordinal down to the partition, each after the previous is Ready", () => {
    createSet(ctx, kubiaSet({ replicas: 3 }));
    settle(ctx);
    const oldRev = getSet(ctx).status!.currentRevision!;
    const j = journal(ctx);
    patchSpec(ctx, { template: withImage("luksa/kubia-pet:v2"), updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } });
    drain(ctx);
    const newRev = getSet(ctx).status!.updateRevision!;
    expect(newRev).not.toBe(oldRev);
    expect(j.take()).toEqual(["~kubia-2"]);
    finishTerminating(ctx);
    drain(ctx);
    expect(j.take()).toEqual(["-kubia-2", "+kubia-2"]);
    expect(revisionOf("kubia-2")).toBe(newRev);
    expect(getPod(ctx, "kubia-2")!.spec!.containers[0].image).toBe("luksa/kubia-pet:v2");
    drain(ctx);
    expect(j.take()).toEqual([]); // waits for the new kubia-2 to be Ready
    markReady(ctx, "kubia-2");
    drain(ctx);
    expect(j.take()).toEqual(["~kubia-1"]);
    settle(ctx);
    expect(j.take()).toEqual(["-kubia-1", "+kubia-1"]);
    expect([revisionOf("kubia-0"), revisionOf("kubia-1")]).toEqual([oldRev, newRev]);
    expect(getSet(ctx).status).toMatchObject({ currentRevision: oldRev, updateRevision: newRev, currentReplicas: 1, updatedReplicas: 2 });

    patchSpec(ctx, { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } } });
    settle(ctx);
    expect(revisionOf("kubia-0")).toBe(newRev);
    expect(getSet(ctx).status).toMatchObject({ currentRevision: newRev, updateRevision: newRev, currentReplicas: 3, updatedReplicas: 3 });
  });

  it("OnDelete leaves pods alone until they are deleted, then recreates them from the new template", () => {
    createSet(ctx, kubiaSet({ replicas: 2, updateStrategy: { type: "OnDelete" } }));
    settle(ctx);
    const oldRev = revisionOf("kubia-1");
    const j = journal(ctx);
    patchSpec(ctx, { template: withImage("luksa/kubia-pet:v2") });
    settle(ctx);
    expect(j.take()).toEqual([]);
    ctx.store.delete("pods", "default", "kubia-1");
    settle(ctx);
    expect(revisionOf("kubia-1")).not.toBe(oldRev);
    expect(revisionOf("kubia-0")).toBe(oldRev);
  });

  it("reuses the old revision on rollback and keeps at most revisionHistoryLimit unused revisions", () => {
    createSet(ctx, kubiaSet({ replicas: 1, revisionHistoryLimit: 2 }));
    settle(ctx);
    const first = revisions()[0];
    for (const image of ["v2", "v3"]) {
      patchSpec(ctx, { template: withImage(`luksa/kubia-pet:${image}`) });
      settle(ctx);
    }
    expect(revisions().map((r) => r.revision).sort()).toEqual([1, 2, 3]);
    patchSpec(ctx, { template: withImage("luksa/kubia-pet") });
    settle(ctx);
    expect(getSet(ctx).status!.updateRevision).toBe(first.metadata!.name);
    const rolledBack = revisions().find((r) => r.metadata!.name === first.metadata!.name)!;
    expect(rolledBack.metadata!.uid).toBe(first.metadata!.uid); // the same object, renumbered
    expect(rolledBack.revision).toBe(4);
    patchSpec(ctx, { template: withImage("luksa/kubia-pet:v4") });
    settle(ctx);
    // Live: v4. History: v3 (3) and the rolled-back one (4); v2 (2), the oldest, is gone.
    expect(revisions().map((r) => r.revision).sort()).toEqual([3, 4, 5]);
    expect(revisions().every((r) => r.metadata!.ownerReferences![0].kind === "StatefulSet")).toBe(true);
  });
});
