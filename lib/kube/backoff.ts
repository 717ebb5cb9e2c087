/**
 * Exponential back-off with jitter, for restarting watches after errors. Jitter keeps the eight
 * informers of one dashboard (and several dashboards) from hammering a recovering API server in step.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0.2 = ±20 % */
  jitter: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5_000, factor: 2, jitter: 0.2 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next attempt; grows until maxMs. */
  next(): number {
    const { initialMs, maxMs, factor, jitter, random = Math.random } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt++;
    const spread = base * jitter * (2 * random() - 1);
    return Math.max(0, Math.round(Math.min(maxMs, base + spread)));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
