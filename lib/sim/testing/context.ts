import { ManualClock, ScaledClock } from "../clock";
import type { FaultState, SimContext } from "../context";
import { Store } from "../store/store";
import { registerStrategies } from "../strategies";

/**
 * A SimContext for unit tests: manual clock, real store and strategies, in-memory volumes, logs
 * and faults. Advance `clock` to let controllers run.
 */
export type TestClock = ScaledClock & Pick<ManualClock, "advance" | "pending">;

/** Cluster time at `speed` over a manual wall clock; `advance` and `pending` are the wall clock's. */
export function createTestClock(speed = 1): TestClock {
  const wall = new ManualClock();
  return Object.assign(new ScaledClock(wall, speed), { advance: (ms: number) => wall.advance(ms), pending: () => wall.pending() });
}

export function createTestContext(opts: { speed?: number } = {}): SimContext & { clock: TestClock } {
  const clock = createTestClock(opts.speed ?? 1);
  const store = new Store(clock);
  registerStrategies(store);
  const data = new Map<string, string>();
  const volumeListeners = new Set<(pv: string) => void>();
  const logLines = new Map<string, string[]>();
  let faults: FaultState = { storageUnavailable: false, missingImages: [], brokenPodNetwork: false };
  const faultListeners = new Set<(s: FaultState) => void>();
  return {
    store,
    clock,
    speed: clock,
    volumes: {
      read: (pv) => data.get(pv) ?? "",
      write: (pv, c) => {
        data.set(pv, c);
        volumeListeners.forEach((l) => l(pv));
      },
      erase: (pv) => {
        data.delete(pv);
        volumeListeners.forEach((l) => l(pv));
      },
      names: () => [...data.keys()],
      onChange: (l) => {
        volumeListeners.add(l);
        return () => volumeListeners.delete(l);
      },
    },
    logs: {
      append: (ns, pod, c, line) => {
        const k = `${ns}/${pod}/${c}`;
        logLines.set(k, [...(logLines.get(k) ?? []), line]);
      },
      read: (ns, pod, c) => (logLines.get(`${ns}/${pod}/${c}`) ?? []).join("\n"),
      clear: (ns, pod) => {
        for (const k of [...logLines.keys()]) if (k.startsWith(`${ns}/${pod}/`)) logLines.delete(k);
      },
    },
    faults: {
      get: () => structuredClone(faults),
      set: (patch) => {
        faults = { ...faults, ...patch };
        faultListeners.forEach((l) => l(structuredClone(faults)));
        return structuredClone(faults);
      },
      onChange: (l) => {
        faultListeners.add(l);
        return () => faultListeners.delete(l);
      },
    },
  };
}
