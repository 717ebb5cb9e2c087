import { isValidSpeed, MAX_SPEED, type SpeedChange, type SpeedState } from "../k8s/speed";

/**
 * Time for the embedded cluster. Controllers never call Date.now() or setTimeout directly,
 * so tests can drive them with a manual clock and demos can slow them down.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A clock that only moves when told to; timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }

  pending(): number {
    return this.timers.size;
  }
}

export interface SpeedControl {
  state(): SpeedState;
  set(change: SpeedChange): SpeedState;
  /**
   * Cluster time since `since` during which the simulator itself was stalled (its event loop busy,
   * so every timer fired late at once). A real cluster's components run side by side; here one
   * long reconcile delays every kubelet's heartbeat too, so a check of another component's
   * timeliness discounts this time rather than mistake the simulator's pause for a silent kubelet.
   */
  stalledSince(since: number): number;
}

/** Wall-clock lateness of a timer beyond which the event loop counts as having stalled. */
export const STALL_THRESHOLD_MS = 100;
/** Stall intervals kept (merged, newest last): enough for any grace period a controller checks. */
const STALLS_KEPT = 256;

interface ScaledTimer {
  due: number;
  fn: () => void;
  handle?: unknown;
}

/**
 * The embedded cluster's clock: cluster time runs at `speed` times the pace of the base (wall)
 * clock, and stands still while paused. Every controller takes its durations and timestamps from it
 * in real-cluster units (a 30 s grace period is 30 s of cluster time), so slowing down, speeding up
 * or pausing — live, any number of times — changes every simulated delay at once: pending timers
 * are rescheduled on each change by the cluster time they still have to wait.
 *
 * Cluster time starts at the base clock's time, so at speed 1 it is wall time; at other speeds it
 * drifts from it the way a skewed node clock would (kubectl's AGE column shows the difference).
 */
export class ScaledClock implements Clock, SpeedControl {
  private baseAt: number;
  private clusterAt: number;
  private speed: number;
  private paused = false;
  private readonly timers = new Set<ScaledTimer>();
  /** Cluster-time intervals in which timers fired late by more than STALL_THRESHOLD_MS of wall time. */
  private readonly stalls: { from: number; to: number }[] = [];

  constructor(
    private readonly base: Clock,
    speed = 1,
  ) {
    if (!isValidSpeed(speed)) throw new Error(`speed must be a number above 0 and at most ${MAX_SPEED}, got ${speed}`);
    this.speed = speed;
    this.baseAt = base.now();
    this.clusterAt = this.baseAt;
  }

  private get rate(): number {
    return this.paused ? 0 : this.speed;
  }

  now(): number {
    return this.clusterAt + (this.base.now() - this.baseAt) * this.rate;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer: ScaledTimer = { due: this.now() + Math.max(0, ms), fn };
    this.timers.add(timer);
    this.arm(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    const timer = handle as ScaledTimer;
    if (!this.timers.delete(timer)) return;
    if (timer.handle !== undefined) this.base.clearTimeout(timer.handle);
  }

  state(): SpeedState {
    return { speed: this.speed, paused: this.paused, clusterTime: this.now(), at: this.base.now() };
  }

  set(change: SpeedChange): SpeedState {
    if (change.speed !== undefined && !isValidSpeed(change.speed)) throw new Error(`speed must be a number above 0 and at most ${MAX_SPEED}, got ${change.speed}`);
    // Re-anchor: the time already run stays, only the pace from now on changes.
    this.clusterAt = this.now();
    this.baseAt = this.base.now();
    if (change.speed !== undefined) this.speed = change.speed;
    if (change.paused !== undefined) this.paused = change.paused;
    for (const timer of this.timers) this.arm(timer);
    return this.state();
  }

  /** (Re)schedules one timer on the base clock for the cluster time it still has to wait; none while paused. */
  private arm(timer: ScaledTimer): void {
    if (timer.handle !== undefined) this.base.clearTimeout(timer.handle);
    timer.handle = undefined;
    if (this.rate === 0) return;
    const wait = Math.max(0, timer.due - this.now()) / this.rate;
    timer.handle = this.base.setTimeout(() => this.fire(timer), wait);
  }

  stalledSince(since: number): number {
    let total = 0;
    for (const { from, to } of this.stalls) total += Math.max(0, to - Math.max(from, since));
    return total;
  }

  private noteStall(from: number, to: number): void {
    const last = this.stalls[this.stalls.length - 1];
    if (last && from <= last.to) last.to = Math.max(last.to, to);
    else this.stalls.push({ from, to });
    if (this.stalls.length > STALLS_KEPT) this.stalls.shift();
  }

  private fire(timer: ScaledTimer): void {
    if (!this.timers.delete(timer)) return;
    // Rounding must not leave a timer firing a hair before its due time: the clock reaches it.
    const early = timer.due - this.now();
    if (early > 0) this.clusterAt += early;
    const now = this.now();
    if (this.rate > 0 && (now - timer.due) / this.rate > STALL_THRESHOLD_MS) this.noteStall(timer.due, now);
    timer.fn();
  }
}
