import { describe, expect, it } from "vitest";
import { createTestContext } from "../testing/context";
import { startPvController } from "./pv";
import { addPod, addPvc, addStorageClass, eventsFor } from "./testing/fixtures";

type Ctx = ReturnType<typeof createTestContext>;
const claim = (ctx: Ctx, name: string) => ctx.store.tryGet("persistentvolumeclaims", "default", name);
const volume = (ctx: Ctx, name: string) => ctx.store.tryGet("persistentvolumes", undefined, name);
const EXTERNAL =
  "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'playground.k8s.io/hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";

function provisioned(ctx: Ctx, name = "data-kubia-0") {
  addPvc(ctx, name);
  ctx.clock.advance(1_000);
  const pvc = claim(ctx, name)!;
  return { pvc, pv: volume(ctx, `pvc-${pvc.metadata!.uid}`)! };
}

describe("PV controller and hostpath provisioner", () => {
  it("provisions pvc-<uid> for a claim of the default class and binds both ways", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    const c = startPvController(ctx);
    addPvc(ctx, "data-kubia-0");
    ctx.clock.advance(0);
    const uid = claim(ctx, "data-kubia-0")!.metadata!.uid;
    expect(claim(ctx, "data-kubia-0")!.status?.phase).toBe("Pending");
    expect(volume(ctx, `pvc-${uid}`)).toBeUndefined();
    ctx.clock.advance(500);
    const pvc = claim(ctx, "data-kubia-0")!;
    const pv = volume(ctx, `pvc-${uid}`)!;
    expect(pvc.status).toEqual({ phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "1Mi" } });
    expect(pvc.spec?.volumeName).toBe(`pvc-${uid}`);
    expect(pvc.metadata?.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    expect(pvc.metadata?.annotations).toEqual({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
      "volume.kubernetes.io/storage-provisioner": "playground.k8s.io/hostpath",
      "volume.beta.kubernetes.io/storage-provisioner": "playground.k8s.io/hostpath",
    });
    expect(pv.status?.phase).toBe("Bound");
    expect(pv.metadata?.finalizers).toEqual(["kubernetes.io/pv-protection"]);
    expect(pv.metadata?.annotations).toEqual({ "pv.kubernetes.io/provisioned-by": "playground.k8s.io/hostpath" });
    expect(pv.spec).toMatchObject({
      accessModes: ["ReadWriteOnce"],
      capacity: { storage: "1Mi" },
      claimRef: { kind: "PersistentVolumeClaim", namespace: "default", name: "data-kubia-0", uid },
      hostPath: { path: "/tmp/hostpath-provisioner/default/data-kubia-0" },
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "standard",
      volumeMode: "Filesystem",
    });
    const events = eventsFor(ctx, "data-kubia-0");
    expect(events[0].startsWith(EXTERNAL)).toBe(true); // repeated on each sync, as "(x2)"
    expect(events).toContain('Provisioning: External provisioner is provisioning volume for claim "default/data-kubia-0"');
    expect(events.at(-1)).toBe(`ProvisioningSucceeded: Successfully provisioned volume pvc-${uid}`);
    c.stop();
  });

  it("re-syncs a settled bound claim when it or its volume changed: a status edited away is restored, a deleted volume makes it Lost", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    const c = startPvController(ctx);
    const { pvc, pv } = provisioned(ctx);
    ctx.clock.advance(15_000); // a resync of the settled claim: nothing to do
    const settled = claim(ctx, "data-kubia-0")!;
    expect(settled.metadata?.resourceVersion).toBe(pvc.metadata?.resourceVersion);
    ctx.store.update("persistentvolumeclaims", { ...settled, status: { ...settled.status, phase: "Pending" } }, { subresource: "status" });
    ctx.clock.advance(0);
    expect(claim(ctx, "data-kubia-0")!.status?.phase).toBe("Bound");
    const stored = volume(ctx, pv.metadata!.name!)!;
    ctx.store.update("persistentvolumes", { ...stored, metadata: { ...stored.metadata, finalizers: undefined } });
    ctx.store.delete("persistentvolumes", undefined, pv.metadata!.name!);
    ctx.clock.advance(15_000);
    expect(claim(ctx, "data-kubia-0")!.status?.phase).toBe("Lost");
    expect(eventsFor(ctx, "data-kubia-0")).toContain("ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    c.stop();
  });

  it("its periodic resync visits no settled claim or volume, but keeps resyncing a claim still unbound", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    const c = startPvController(ctx);
    for (let i = 0; i < 5; i++) provisioned(ctx, `data-kubia-${i}`);
    ctx.clock.advance(15_000); // the first resync after the bindings records them settled
    const added: string[] = [];
    const add = c.queue.add.bind(c.queue);
    c.queue.add = (key: string) => {
      added.push(key);
      add(key);
    };
    ctx.clock.advance(15_000);
    expect(added).toEqual([]);
    // A claim no volume and no class can serve stays Pending: resynced, with its Event each time.
    addPvc(ctx, "orphan", { storageClassName: "none" });
    ctx.clock.advance(15_000);
    const before = added.filter((k) => k === "claim:default/orphan").length;
    ctx.clock.advance(15_000);
    expect(added.filter((k) => k === "claim:default/orphan").length).toBe(before + 1);
    expect(added.filter((k) => k.startsWith("volume:") || k.startsWith("claim:default/data-"))).toEqual([]);
    c.stop();
  });

  it("re-syncs a settled Bound volume when it or its claim changed: a phase edited away is restored, a deleted claim releases it", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    const c = startPvController(ctx);
    const { pv } = provisioned(ctx);
    const name = pv.metadata!.name!;
    const bound = volume(ctx, name)!;
    ctx.clock.advance(15_000); // a resync of the settled volume: nothing written
    expect(volume(ctx, name)!.metadata?.resourceVersion).toBe(bound.metadata?.resourceVersion);
    ctx.store.update("persistentvolumes", { ...bound, status: { phase: "Available" } }, { subresource: "status" });
    ctx.clock.advance(0);
    expect(volume(ctx, name)!.status?.phase).toBe("Bound");
    const pvc = claim(ctx, "data-kubia-0")!;
    ctx.store.update("persistentvolumeclaims", { ...pvc, metadata: { ...pvc.metadata, finalizers: undefined } });
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-0");
    ctx.clock.advance(15_000);
    // Delete policy on the hostpath provisioner's volume: released, then deleted with its data.
    expect(volume(ctx, name)?.status?.phase ?? "gone").not.toBe("Bound");
    c.stop();
  });

  it("binds a claim to a matching pre-existing volume (static provisioning)", () => {
    const ctx = createTestContext();
    const c = startPvController(ctx);
    for (const [name, size] of [["big", "10Gi"], ["small", "2Mi"], ["tiny", "512Ki"]]) {
      ctx.store.create("persistentvolumes", {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name },
        spec: { accessModes: ["ReadWriteOnce"], capacity: { storage: size }, hostPath: { path: `/data/${name}` }, persistentVolumeReclaimPolicy: "Retain" },
        status: { phase: "Pending" },
      });
    }
    ctx.clock.advance(0);
    expect(volume(ctx, "small")!.status?.phase).toBe("Available");
    addPvc(ctx, "manual", { storageClassName: "" });
    ctx.clock.advance(0);
    expect(claim(ctx, "manual")!.spec?.volumeName).toBe("small");
    expect(claim(ctx, "manual")!.status?.phase).toBe("Bound");
    expect(volume(ctx, "small")!.metadata?.annotations?.["pv.kubernetes.io/bound-by-controller"]).toBe("yes");
    expect(volume(ctx, "small")!.status?.phase).toBe("Bound");
    expect(volume(ctx, "big")!.status?.phase).toBe("Available");
    c.stop();
  });

  it("reports a missing class and a claim without class, and proceeds once a class appears", () => {
    const ctx = createTestContext();
    const c = startPvController(ctx);
    addPvc(ctx, "fast-claim", { storageClassName: "fast" });
    addPvc(ctx, "no-class", { storageClassName: null });
    ctx.clock.advance(0);
    expect(eventsFor(ctx, "fast-claim")).toEqual(['ProvisioningFailed: storageclass.storage.k8s.io "fast" not found']);
    expect(eventsFor(ctx, "no-class")).toEqual(["FailedBinding: no persistent volumes available for this claim and no storage class is set"]);
    ctx.clock.advance(15_000); // the periodic re-sync repeats them
    expect(eventsFor(ctx, "no-class")).toEqual(["FailedBinding: no persistent volumes available for this claim and no storage class is set (x2)"]);
    addStorageClass(ctx, "fast", { isDefault: false });
    addStorageClass(ctx, "standard");
    ctx.clock.advance(1_000);
    expect(claim(ctx, "fast-claim")!.status?.phase).toBe("Bound");
    expect(claim(ctx, "no-class")!.spec?.storageClassName).toBe("standard"); // retroactive default class
    expect(claim(ctx, "no-class")!.status?.phase).toBe("Bound");
    c.stop();
  });

  it("keeps claims Pending while storage is unavailable and provisions once the fault is cleared", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    ctx.faults.set({ storageUnavailable: true });
    const c = startPvController(ctx);
    addPvc(ctx, "data-kubia-0");
    ctx.clock.advance(60_000);
    expect(claim(ctx, "data-kubia-0")!.status?.phase).toBe("Pending");
    expect(eventsFor(ctx, "data-kubia-0")[0]).toMatch(/^ProvisioningFailed: storageclass.storage.k8s.io "standard" not found \(x\d\)$/);
    ctx.faults.set({ storageUnavailable: false });
    ctx.clock.advance(1_000);
    expect(claim(ctx, "data-kubia-0")!.status?.phase).toBe("Bound");
    c.stop();
  });

  it("releases and deletes a Delete volume with its data when the claim is deleted", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    const c = startPvController(ctx);
    const { pv } = provisioned(ctx);
    const pvName = pv.metadata!.name!;
    ctx.volumes.write(pvName, "hello");
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-0");
    ctx.clock.advance(0);
    expect(claim(ctx, "data-kubia-0")).toBeUndefined();
    expect(volume(ctx, pvName)!.status?.phase).toBe("Released");
    ctx.clock.advance(500);
    expect(volume(ctx, pvName)).toBeUndefined();
    expect(ctx.volumes.names()).not.toContain(pvName);
    c.stop();
  });

  it("keeps a Retain volume Released with its data, not reused by a new claim of the same name", () => {
    const ctx = createTestContext();
    addStorageClass(ctx, "standard", { reclaimPolicy: "Retain" });
    const c = startPvController(ctx);
    const { pv } = provisioned(ctx);
    const pvName = pv.metadata!.name!;
    ctx.volumes.write(pvName, "kept");
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-0");
    ctx.clock.advance(60_000);
    expect(volume(ctx, pvName)!.status?.phase).toBe("Released");
    expect(ctx.volumes.read(pvName)).toBe("kept");
    const again = provisioned(ctx);
    expect(again.pvc.spec?.volumeName).not.toBe(pvName);
    c.stop();
  });

  it("holds a deleted claim while a scheduled pod uses it (pvc-protection)", () => {
    const ctx = createTestContext();
    addStorageClass(ctx);
    const c = startPvController(ctx);
    provisioned(ctx);
    addPod(ctx, "kubia-0", { claims: ["data-kubia-0"], nodeName: "k8s-node1" });
    ctx.store.delete("persistentvolumeclaims", "default", "data-kubia-0");
    ctx.clock.advance(60_000);
    expect(claim(ctx, "data-kubia-0")!.metadata?.deletionTimestamp).toBeDefined();
    expect(claim(ctx, "data-kubia-0")!.status?.phase).toBe("Bound");
    ctx.store.delete("pods", "default", "kubia-0", { gracePeriodSeconds: 0 });
    ctx.clock.advance(0);
    expect(claim(ctx, "data-kubia-0")).toBeUndefined();
    c.stop();
  });
});
