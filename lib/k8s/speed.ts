/**
 * Slow motion: how fast the embedded cluster's clock runs. One definition for the embedded cluster
 * (its clock and its `speed` resource), the dashboard's route and the page's countdowns.
 */

/** How fast cluster time runs and where it stands (the embedded cluster's GET/PUT …/playground.k8s.io/v1/speed). */
export interface SpeedState {
  /** Factor of a real cluster's pace (0.25 = four times slower, 10 = ten times faster); kept while paused. */
  speed: number;
  /** Paused: the cluster clock stands still, nothing simulated happens until resumed. */
  paused: boolean;
  /** Cluster time (ms since the epoch) at the wall-clock moment `at` (ms) this state was read. */
  clusterTime: number;
  at: number;
}

export interface SpeedChange {
  speed?: number;
  paused?: boolean;
}

/** The speeds the page offers (PLAYGROUND_SPEED may start the cluster at any valid factor). */
export const SPEED_CHOICES = [0.25, 0.5, 1, 2, 10] as const;

export const MAX_SPEED = 100;

export function isValidSpeed(speed: unknown): speed is number {
  return typeof speed === "number" && Number.isFinite(speed) && speed > 0 && speed <= MAX_SPEED;
}

/** A real cluster's clock: wall time at speed 1, never paused. */
export function wallClockState(now: number): SpeedState {
  return { speed: 1, paused: false, clusterTime: now, at: now };
}

/** The cluster's time at wall-clock `now`, extrapolated from a SpeedState read earlier. */
export function clusterNow(state: SpeedState, now: number): number {
  return state.clusterTime + (now - state.at) * (state.paused ? 0 : state.speed);
}

/** "0.25×", "10×" */
export function formatSpeed(speed: number): string {
  return `${speed}×`;
}
