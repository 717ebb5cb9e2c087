import type { Faults, FaultState } from "./context";

/**
 * The book's failures (no storage, a missing image, a broken pod network), switched on and off at run time (embedded cluster only). In memory: the
 * controllers that honour them (PV provisioner, kubelet, pod proxy) read `get()` or subscribe.
 */
export function createFaults(initial: Partial<FaultState> = {}): Faults {
  let state: FaultState = { storageUnavailable: false, missingImages: [], brokenPodNetwork: false, ...structuredClone(initial) };
  const listeners = new Set<(s: FaultState) => void>();
  return {
    get: () => structuredClone(state),
    set(patch) {
      const next: FaultState = { ...state, ...structuredClone(patch) };
      next.missingImages = [...new Set(next.missingImages)];
      const changed = JSON.stringify(next) !== JSON.stringify(state);
      state = next;
      if (changed) {
        for (const l of [...listeners]) {
          try {
            l(structuredClone(state));
          } catch {
            // A failing listener must not stop the others from hearing about the change.
          }
        }
      }
      return structuredClone(state);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
