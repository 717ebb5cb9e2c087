import { describe, expect, it } from "vitest";
import { createFaults } from "./faults";

describe("createFaults", () => {
  it("starts healthy and merges patches", () => {
    const faults = createFaults();
    expect(faults.get()).toEqual({ storageUnavailable: false, missingImages: [], brokenPodNetwork: false });
    faults.set({ storageUnavailable: true });
    expect(faults.set({ missingImages: ["luksa/kubia-pet", "luksa/kubia-pet"] })).toEqual({
      storageUnavailable: true,
      missingImages: ["luksa/kubia-pet"],
      brokenPodNetwork: false,
    });
  });

  it("notifies listeners of real changes only, until they unsubscribe", () => {
    const faults = createFaults();
    const seen: boolean[] = [];
    const off = faults.onChange((s) => seen.push(s.brokenPodNetwork));
    faults.set({ brokenPodNetwork: true });
    faults.set({ brokenPodNetwork: true });
    off();
    faults.set({ brokenPodNetwork: false });
    expect(seen).toEqual([true]);
  });

  it("hands out copies, so callers cannot change the state behind its back", () => {
    const faults = createFaults();
    faults.get().missingImages.push("x");
    expect(faults.get().missingImages).toEqual([]);
  });
});
