import type { ActionRecord, ObjectsByKind, StreamChange } from "@/lib/k8s/contract";
import { applyChangesTo, emptyObjects, type History } from "@/lib/k8s/replay";

/**
 * The dashboard server's memory of the namespace: every watch event the hub applied, bounded in
 * number, bytes and age, over the state before the oldest kept event (`base`, advanced as events
 * age out). It sees the same events on the embedded and on a real cluster, so replay works on both;
 * it starts when the server starts (the first sync arrives as ADDED events).
 */
export interface HistoryOptions {
  maxEntries?: number;
  maxBytes?: number;
  maxAgeMs?: number;
  now?: () => number;
  /** The cluster's time now (the embedded cluster's clock runs at its speed); wall time by default. */
  clusterNow?: () => number;
}

interface Recorded {
  id: number;
  at: number;
  clusterTime: number;
  /** The change's JSON as the hub serialised it for the stream (shared, not copied). */
  data: string;
}

export const HISTORY_DEFAULTS = { maxEntries: 5000, maxBytes: 24 * 1024 * 1024, maxAgeMs: 30 * 60_000 };

export class EventHistory {
  private readonly entries: Recorded[] = [];
  private head = 0;
  private bytes = 0;
  private base: ObjectsByKind = emptyObjects();
  private since: number;
  private sinceClusterTime: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly clusterNow: () => number;

  constructor(options: HistoryOptions = {}) {
    this.maxEntries = options.maxEntries ?? HISTORY_DEFAULTS.maxEntries;
    this.maxBytes = options.maxBytes ?? HISTORY_DEFAULTS.maxBytes;
    this.maxAgeMs = options.maxAgeMs ?? HISTORY_DEFAULTS.maxAgeMs;
    this.now = options.now ?? Date.now;
    this.clusterNow = options.clusterNow ?? this.now;
    this.since = this.now();
    this.sinceClusterTime = this.clusterNow();
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** One change the hub broadcast (its stream id and JSON). */
  record(id: number, data: string): void {
    // The cluster time too: a replayed moment measures ages and countdowns against it, and the
    // embedded cluster's clock is not the wall clock (speed, pause).
    this.entries.push({ id, at: this.now(), clusterTime: this.clusterNow(), data });
    this.bytes += data.length;
    this.trim();
  }

  /** The history as GET /api/history answers it, as JSON text (entries are spliced in, not re-serialised). */
  toJson(actions: ActionRecord[]): string {
    this.trim();
    const live = this.entries.slice(this.head);
    const fromFirst = live.length > 0 && live[0].at < this.since;
    const since = fromFirst ? live[0].at : this.since;
    const sinceClusterTime = fromFirst ? live[0].clusterTime : this.sinceClusterTime;
    const head: Omit<History, "entries"> = { since, sinceClusterTime, base: this.base, actions: actions.filter((a) => Date.parse(a.at) >= since), maxEntries: this.maxEntries, maxAgeMs: this.maxAgeMs };
    const entries = live.map((e) => `{"id":${e.id},"at":${e.at},"clusterTime":${e.clusterTime},"change":${e.data}}`).join(",");
    return `${JSON.stringify(head).slice(0, -1)},"entries":[${entries}]}`;
  }

  /** Drops what is too old or too much, folding it into the base so later moments stay exact. */
  private trim(): void {
    const oldest = this.now() - this.maxAgeMs;
    const dropped: StreamChange[] = [];
    while (this.size > 0) {
      const first = this.entries[this.head];
      if (this.size <= this.maxEntries && this.bytes <= this.maxBytes && first.at >= oldest) break;
      dropped.push(JSON.parse(first.data) as StreamChange);
      this.bytes -= first.data.length;
      this.since = first.at;
      this.sinceClusterTime = first.clusterTime;
      this.head++;
    }
    if (dropped.length === 0) return;
    this.base = applyChangesTo(this.base, dropped);
    // Compact the array once the dropped prefix is large, so trimming stays amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
