import type { KindStatus } from "@/lib/k8s/contract";
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import { fromKubeError } from "./errors";
import { redact } from "./redact";

/**
 * A list+watch loop that never gives up (client-node's informer stops after any error other than
 * 410). The cycle: list (when there is no resourceVersion) → hand the whole list to the sink, which
 * diffs it against its cache so objects deleted during an outage disappear → watch from the list's
 * resourceVersion → apply events. Then:
 * - 410 Gone (as an HTTP status or a watch ERROR event): relist at once;
 * - the server closed the watch cleanly (its timeout): watch again from the last resourceVersion;
 * - any other error or an idle connection: report it, back off, relist.
 * Callbacks from an abandoned cycle are ignored (generation counter), so a late `done` never
 * starts a second watch: one watch per kind, always.
 */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface RawWatchEvent {
  type: string;
  object: unknown;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

/** Where the objects come from: the Kubernetes API in production, a fake in tests. */
export interface ListWatchSource<T> {
  list(): Promise<ListResult<T>>;
  /** Starts a watch; resolves to a function that aborts it. `onDone` is called once when it ends (null = clean close). */
  watch(resourceVersion: string, onEvent: (event: RawWatchEvent) => void, onDone: (err: unknown) => void): Promise<() => void>;
}

/** Where the objects go: the hub's cache for one kind. */
export interface InformerSink<T> {
  replace(items: T[]): void;
  apply(type: WatchEventType, object: T): void;
  status(status: KindStatus): void;
  /** A cluster-scoped kind the credentials may not list (403 on the first list): the informer stops for good. */
  forbidden?(message: string): void;
}

export interface InformerOptions {
  /** Cluster-scoped kinds may be forbidden by a namespace-scoped Role: a 403 on the first list disables them. */
  disableOnForbidden?: boolean;
  backoff?: BackoffOptions;
  /** Abort a watch that has been silent this long (a half-open connection never ends by itself). */
  idleTimeoutMs?: number;
  /** A watch that ends sooner than this after starting counts as a failure to connect (back off). */
  minWatchMs?: number;
}

export interface InformerStats {
  lists: number;
  watches: number;
  errors: number;
  /** Watches currently open towards the API server (0 or 1). */
  openWatches: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 7 * 60_000;
const DEFAULT_MIN_WATCH_MS = 1_000;

function statusCodeOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; code?: unknown; status?: unknown } | null;
  for (const v of [e?.statusCode, e?.code, e?.status]) if (typeof v === "number") return v;
  return undefined;
}

function describe(err: unknown): string {
  const code = statusCodeOf(err);
  const message = fromKubeError(err).message;
  return redact(code && !message.includes(String(code)) ? `${code} ${message}` : message);
}

function resourceVersionOf(object: unknown): string | undefined {
  const rv = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === "string" && rv !== "" ? rv : undefined;
}

export class ResilientInformer<T> {
  private resourceVersion = "";
  private generation = 0;
  private stopped = true;
  private disabled = false;
  private abortWatch?: () => void;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private idleTimer?: ReturnType<typeof setTimeout>;
  private watchStartedAt = 0;
  private lastListAt = 0;
  private readonly backoff: Backoff;
  readonly stats: InformerStats = { lists: 0, watches: 0, errors: 0, openWatches: 0 };

  constructor(
    readonly name: string,
    private readonly source: ListWatchSource<T>,
    private readonly sink: InformerSink<T>,
    private readonly options: InformerOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  start(): void {
    if (!this.stopped || this.disabled) return;
    this.stopped = false;
    this.sink.status({ synced: false });
    void this.cycle(++this.generation);
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.closeWatch();
    clearTimeout(this.retryTimer);
  }

  get running(): boolean {
    return !this.stopped;
  }

  private isCurrent(generation: number): boolean {
    return !this.stopped && generation === this.generation;
  }

  private async cycle(generation: number): Promise<void> {
    if (!this.isCurrent(generation)) return;
    try {
      if (!this.resourceVersion) {
        this.stats.lists++;
        this.lastListAt = Date.now();
        const list = await this.source.list();
        if (!this.isCurrent(generation)) return;
        this.sink.replace(list.items);
        this.resourceVersion = list.resourceVersion;
      }
      this.stats.watches++;
      const abort = await this.source.watch(
        this.resourceVersion,
        (event) => this.onEvent(generation, event),
        (err) => this.onDone(generation, err),
      );
      if (!this.isCurrent(generation)) {
        abort();
        return;
      }
      this.abortWatch = abort;
      this.stats.openWatches = 1;
      this.watchStartedAt = Date.now();
      this.armIdleTimer(generation);
      this.sink.status({ synced: true });
    } catch (err) {
      this.onFailure(generation, err);
    }
  }

  private onEvent(generation: number, event: RawWatchEvent): void {
    if (!this.isCurrent(generation)) return;
    this.armIdleTimer(generation);
    // Events flow: the connection is healthy, the next failure starts back-off from scratch.
    this.backoff.reset();
    switch (event.type) {
      case "ADDED":
      case "MODIFIED":
      case "DELETED":
        this.sink.apply(event.type, event.object as T);
        this.resourceVersion = resourceVersionOf(event.object) ?? this.resourceVersion;
        return;
      case "BOOKMARK":
        this.resourceVersion = resourceVersionOf(event.object) ?? this.resourceVersion;
        return;
      case "ERROR": {
        const status = event.object as { code?: number; message?: string; reason?: string } | null;
        if (status?.code === 410) {
          // Our resourceVersion is too old: relist now (the watch ends anyway, don't wait for it).
          this.restart(generation, 0, true);
        } else {
          this.onFailure(generation, Object.assign(new Error(status?.message ?? "watch error"), { statusCode: status?.code }));
        }
        return;
      }
      default:
        return;
    }
  }

  private onDone(generation: number, err: unknown): void {
    if (!this.isCurrent(generation)) return;
    this.resetBackoffIfWatchLasted();
    if (err && statusCodeOf(err) !== 410) {
      this.onFailure(generation, err);
      return;
    }
    const relist = statusCodeOf(err) === 410;
    // A watch that ends right away (or a 410 right after a list) would spin: back off instead.
    const quick = relist ? Date.now() - this.lastListAt < DEFAULT_MIN_WATCH_MS : Date.now() - this.watchStartedAt < (this.options.minWatchMs ?? DEFAULT_MIN_WATCH_MS);
    this.restart(generation, quick ? this.backoff.next() : 0, relist);
  }

  private onFailure(generation: number, err: unknown): void {
    if (!this.isCurrent(generation)) return;
    this.resetBackoffIfWatchLasted();
    this.stats.errors++;
    const code = statusCodeOf(err);
    if (code === 403 && this.options.disableOnForbidden && this.stats.lists <= 1 && !this.resourceVersion) {
      this.disabled = true;
      this.stop();
      this.sink.forbidden?.(describe(err));
      return;
    }
    this.sink.status({ synced: false, error: describe(err) });
    // After an error we cannot know what we missed: relist (the sink's diff makes it converge).
    this.restart(generation, this.backoff.next(), true);
  }

  private restart(generation: number, delayMs: number, relist: boolean): void {
    if (!this.isCurrent(generation)) return;
    const next = ++this.generation;
    this.closeWatch();
    if (relist) this.resourceVersion = "";
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.cycle(next), delayMs);
  }

  /** A watch that stayed open a while proves the server healthy again: back-off starts over. */
  private resetBackoffIfWatchLasted(): void {
    if (this.stats.openWatches === 1 && Date.now() - this.watchStartedAt >= (this.options.minWatchMs ?? DEFAULT_MIN_WATCH_MS)) {
      this.backoff.reset();
    }
  }

  private armIdleTimer(generation: number): void {
    clearTimeout(this.idleTimer);
    const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.idleTimer = setTimeout(() => {
      if (this.isCurrent(generation)) this.restart(generation, 0, false);
    }, idleMs);
  }

  private closeWatch(): void {
    clearTimeout(this.idleTimer);
    const abort = this.abortWatch;
    this.abortWatch = undefined;
    this.stats.openWatches = 0;
    if (abort) {
      try {
        abort();
      } catch {
        // Aborting an already finished request is fine.
      }
    }
  }
}
