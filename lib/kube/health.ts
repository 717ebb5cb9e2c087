/**
 * Notices an API server that hangs instead of going away. A stopped or crashed API server closes
 * its connections and the informers see it at once, but a hung one (or a network partition)
 * leaves every watch open and silent: without this the dashboard would say "connected" for
 * minutes (until the informers' idle timeout) while nothing moves. So a cheap request
 * (`GET /readyz`, readable by everyone, RBAC's system:public-info-viewer) runs every second with
 * a short timeout: no answer at all means down (any HTTP answer, even an error, means the server
 * is there). Down: every kind reports the problem. Back up: every informer restarts its watch,
 * since a watch that lived through the silence may have lost events (it resumes from its last
 * resourceVersion, or relists after a 410). Found by the H-SEC resilience tests (partition).
 */
export interface HealthCheckOptions {
  intervalMs?: number;
  timeoutMs?: number;
}

export interface HealthCheckHandlers {
  /** Called on every failed probe while the server does not answer. */
  onDown(message: string): void;
  /** Called once when it answers again after being down. */
  onUp(): void;
}

export const HEALTH_INTERVAL_MS = 1_000;
export const HEALTH_TIMEOUT_MS = 1_500;

export class ApiHealthCheck {
  private timer?: ReturnType<typeof setTimeout>;
  private started = false;
  /** Final: after stop() no probe runs and no outcome is reported. */
  private stopped = false;
  private down = false;
  private running?: Promise<void>;

  constructor(
    /** Resolves when the server answered anything within timeoutMs; rejects when it did not. */
    private readonly probe: (timeoutMs: number) => Promise<unknown>,
    private readonly handlers: HealthCheckHandlers,
    private readonly options: HealthCheckOptions = {},
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One probe now (tests); resolves when its outcome has been handled. */
  async check(): Promise<void> {
    this.running ??= this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    // The next probe starts after the previous one finished: a slow server never gets a pile-up.
    this.timer = setTimeout(() => void this.check().then(() => this.schedule()), this.options.intervalMs ?? HEALTH_INTERVAL_MS);
    this.timer.unref?.();
  }

  private async runOnce(): Promise<void> {
    try {
      await this.probe(this.options.timeoutMs ?? HEALTH_TIMEOUT_MS);
    } catch (err) {
      if (this.stopped) return;
      this.down = true;
      this.handlers.onDown(err instanceof Error ? err.message : String(err));
      return;
    }
    if (this.stopped || !this.down) return;
    this.down = false;
    this.handlers.onUp();
  }
}
