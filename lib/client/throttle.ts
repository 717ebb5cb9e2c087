import { useEffect, useState, useSyncExternalStore } from "react";

/**
 * A value that changes at most once per interval: the first change after a quiet interval shows at
 * once, the changes of a burst collapse into their last one, shown when the interval is over.
 */
export class ThrottledValue<T> {
  private shown: T;
  private latest: T;
  private shownAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: T,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.shown = this.latest = initial;
  }

  readonly get = (): T => this.shown;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: T): void {
    this.latest = value;
    if (this.timer !== undefined) return;
    if (Object.is(value, this.shown)) return;
    const wait = this.shownAt + this.intervalMs - this.now();
    if (wait <= 0) this.show();
    else this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!Object.is(this.latest, this.shown)) this.show();
    }, wait);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private show(): void {
    this.shown = this.latest;
    this.shownAt = this.now();
    for (const listener of this.listeners) listener();
  }
}

/** `value`, throttled (see ThrottledValue): e.g. a refetch key that changes on every event of a burst. */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [gate] = useState(() => new ThrottledValue(value, intervalMs));
  const shown = useSyncExternalStore(gate.subscribe, gate.get, gate.get);
  useEffect(() => gate.set(value), [gate, value]);
  useEffect(() => () => gate.dispose(), [gate]);
  return shown;
}
