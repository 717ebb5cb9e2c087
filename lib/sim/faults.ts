import type { Faults, FaultState } from "./context";
import { deepCopy } from "./store/copy";

/**
 * The book's failures (no storage, a missing image, a broken pod network), switched on and off at run time (embedded cluster only). In memory: the
 * controllers that honour them (PV provisioner, kubelet, pod proxy) read `get()` or subscribe.
 */
export function createFaults(initial: Partial<FaultState> = {}): Faults {
  let state: FaultState = { storageUnavailable: false, missingImages: [], brokenPodNetwork: false, ...deepCopy(initial) };
  const listeners = new Set<(s: FaultState) => void>();
  return {
    get: () => deepCopy(state),
    set(patch) {
      const next: FaultState = { ...state, ...deepCopy(patch) };
      next.missingImages = [...new Set(next.missingImages)];
      const changed = JSON.stringify(next) !== JSON.stringify(state);
      state = next;
      if (changed) {
        for (const l of [...listeners]) {
          try {
            l(deepCopy(state));
          } catch {
            // A failing listener must not stop the others from hearing about the change.
          }
        }
      }
      return deepCopy(state);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
