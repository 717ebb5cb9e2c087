import { describe, expect, it } from "vitest";
import { cachedVolumeState, REUSE_MIN_AGE_MS, volumeState } from "./volumes";
import { event, pod, pvc, T0 } from "./testing/fixtures";

describe("volumeState", () => {
  const claim = pvc("data-kubia-1", { created: 0 });

  it("Bound when the pod was created with its PVC (timestamps a second apart)", () => {
    const p = pod("kubia-1", { created: 1_000 });
    expect(volumeState({ pvc: claim, pod: p, events: [], desired: true, now: T0 + 60_000 })).toEqual({ state: "Bound", pod: "kubia-1", pv: "pvc-data-kubia-1" });
  });

  it("Reused when the pod is at least REUSE_MIN_AGE_MS younger than its PVC", () => {
    const justBelow = pod("kubia-1", { created: REUSE_MIN_AGE_MS - 1 });
    expect(volumeState({ pvc: claim, pod: justBelow, events: [], desired: true, now: T0 + 60_000 }).state).toBe("Bound");
    const reattached = pod("kubia-1", { created: REUSE_MIN_AGE_MS });
    expect(volumeState({ pvc: claim, pod: reattached, events: [], desired: true, now: T0 + 60_000 })).toMatchObject({
      state: "Reused",
      pod: "kubia-1",
      since: new Date(T0 + REUSE_MIN_AGE_MS).toISOString(),
    });
  });

  it("Retained without a pod, or when the pod of the ordinal does not mount it", () => {
    expect(volumeState({ pvc: claim, events: [], desired: false, now: T0 + 60_000 }).state).toBe("Retained");
    const other = pod("kubia-1", { claims: ["scratch"] });
    expect(volumeState({ pvc: claim, pod: other, events: [], desired: true, now: T0 + 60_000 }).state).toBe("Retained");
  });

  it("a brand-new PVC in a desired slot waits for its first pod: Bound, not Retained", () => {
    const fresh = pvc("data-kubia-2", { created: 10_000 });
    expect(volumeState({ pvc: fresh, events: [], desired: true, now: T0 + 11_000 })).toEqual({ state: "Bound", pv: "pvc-data-kubia-2" });
    expect(volumeState({ pvc: fresh, events: [], desired: false, now: T0 + 11_000 }).state).toBe("Retained");
    expect(volumeState({ pvc: fresh, events: [], desired: true, now: T0 + 10_000 + REUSE_MIN_AGE_MS }).state).toBe("Retained");
  });

  it("Terminating (pvc-protection keeps it while a pod uses it) beats everything", () => {
    const deleting = pvc("data-kubia-1", { deleting: 50_000 });
    expect(volumeState({ pvc: deleting, pod: pod("kubia-1", { created: 100 }), events: [], desired: true, now: T0 + 60_000 })).toEqual({
      state: "Terminating",
      pv: "pvc-data-kubia-1",
      pod: "kubia-1",
    });
  });

  it("Lost when its PV is gone", () => {
    expect(volumeState({ pvc: pvc("data-kubia-1", { phase: "Lost", volumeName: "pvc-x" }), events: [], desired: true, now: T0 })).toEqual({ state: "Lost", pv: "pvc-x" });
  });

  it("Pending with the newest event of this PVC as the reason", () => {
    const pending = pvc("data-kubia-1", { phase: "Pending" });
    const uid = pending.metadata!.uid;
    const events = [
      event("PersistentVolumeClaim", "data-kubia-1", "ExternalProvisioning", "waiting for a volume to be created", { at: 1_000, uid }),
      event("PersistentVolumeClaim", "data-kubia-1", "ProvisioningFailed", "storage backend unavailable", { at: 4_000, type: "Warning", uid }),
      event("PersistentVolumeClaim", "data-kubia-0", "ProvisioningFailed", "another claim", { at: 9_000, type: "Warning" }),
    ];
    expect(volumeState({ pvc: pending, events, desired: true, now: T0 + 5_000 })).toEqual({ state: "Pending", reason: "storage backend unavailable" });
    expect(volumeState({ pvc: pending, events: [], desired: true, now: T0 })).toEqual({ state: "Pending" });
  });
});

describe("cachedVolumeState", () => {
  it("keeps the state object while its inputs are the same, and follows each input that changes it", () => {
    const fresh = pvc("data-kubia-2", { created: 10_000 });
    const first = cachedVolumeState({ pvc: fresh, events: [], desired: true, now: T0 + 11_000 });
    expect(first).toEqual({ state: "Bound", pv: "pvc-data-kubia-2" });
    // Another frame, same inputs (a new events list does not matter to a bound claim): the same object.
    expect(cachedVolumeState({ pvc: fresh, events: [], desired: true, now: T0 + 11_500 })).toBe(first);
    // No longer fresh: Retained.
    expect(cachedVolumeState({ pvc: fresh, events: [], desired: true, now: T0 + 10_000 + REUSE_MIN_AGE_MS }).state).toBe("Retained");
    // Its pod arrives (a new pod object): Bound to it.
    const p = pod("kubia-2", { created: 10_500 });
    expect(cachedVolumeState({ pvc: fresh, pod: p, events: [], desired: true, now: T0 + 60_000 })).toEqual({ state: "Bound", pv: "pvc-data-kubia-2", pod: "kubia-2" });
    expect(cachedVolumeState({ pvc: fresh, pod: p, events: [], desired: false, now: T0 + 60_000 }).state).toBe("Bound");
    expect(cachedVolumeState({ pvc: fresh, events: [], desired: false, now: T0 + 60_000 }).state).toBe("Retained");
  });

  it("reads the events again for a claim that is not bound", () => {
    const pending = pvc("data-kubia-3", { phase: "Pending" });
    expect(cachedVolumeState({ pvc: pending, events: [], desired: true, now: T0 }).state).toBe("Pending");
    const events = [event("PersistentVolumeClaim", "data-kubia-3", "ProvisioningFailed", "no space left")];
    expect(cachedVolumeState({ pvc: pending, events, desired: true, now: T0 })).toEqual({ state: "Pending", reason: "no space left" });
  });
});
