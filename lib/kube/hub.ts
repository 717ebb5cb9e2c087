import {
  WATCHED_KINDS,
  type ActionRecord,
  type ClusterInfo,
  type KindObjects,
  type KindStatus,
  type ObjectsByKind,
  type Snapshot,
  type StreamChange,
  type StreamStatus,
  type WatchedKind,
} from "@/lib/k8s/contract";
import { randomInt } from "node:crypto";
import type { WatchEventType } from "./informer";
import { namespacedKey, objectKey } from "@/lib/k8s/keys";

/**
 * The fan-out between the server's watches (one per kind) and every browser: an in-memory cache
 * of each kind, a monotonic event id, a bounded ring buffer of recent messages for resume, and the
 * dashboard's own action log.
 *
 * Event ids are numbers that start at a random base per process (53-bit safe integers, so the
 * contract's numeric `eventId` stays numeric). An id is replayed only when it falls within this
 * process's last 4096 ids, so an id from an earlier process, from nowhere, or from ANOTHER REPLICA
 * behind the same Service (which a reconnecting viewer may reach) gets a fresh snapshot instead of
 * a wrong replay: two processes' windows meet with a probability of about 4096 / 2^52 ≈ 1e-12.
 * (A base taken from the clock, as before, made replicas started close together share ranges.)
 */
export type HubEvent = "change" | "snapshot" | "status" | "action" | "cluster";

export interface HubMessage {
  id: number;
  event: HubEvent;
  /** JSON text of the payload (serialised once, shared by every subscriber). */
  data: string;
}

export type HubListener = (message: HubMessage) => void;

export interface HubOptions {
  clusterInfo: () => ClusterInfo;
  /** Recent messages kept for Last-Event-ID resume. */
  bufferSize?: number;
  /** …and at most this many bytes of them. */
  bufferBytes?: number;
  maxActions?: number;
  /** First event id (tests); default randomIdBase(). */
  idBase?: number;
  /** Every `change` message as broadcast (its id and JSON), e.g. for the replay history. */
  onChange?: (id: number, data: string) => void;
}

export interface Subscription {
  /** What the subscriber missed (a replay) or a fresh snapshot, to send before live messages. */
  initial: HubMessage[];
  /** True when `initial` is a replay rather than a snapshot. */
  resumed: boolean;
  unsubscribe: () => void;
}

type AnyObject = KindObjects[WatchedKind];

function emptyRecord<V>(make: () => V): Record<WatchedKind, V> {
  return Object.fromEntries(WATCHED_KINDS.map((kind) => [kind, make()])) as Record<WatchedKind, V>;
}

/** A random first id in [2^52, 2^53 - 2^40): 2^40 events of headroom below Number.MAX_SAFE_INTEGER. */
export function randomIdBase(): number {
  const span = 2 ** 52 - 2 ** 40;
  return 2 ** 52 + Math.floor((randomInt(0, 2 ** 47) / 2 ** 47) * span);
}

export class Hub {
  private readonly caches = emptyRecord(() => new Map<string, AnyObject>());
  private readonly kindStatus = emptyRecord<KindStatus>(() => ({ synced: false }));
  private readonly disabled = new Set<WatchedKind>();
  private readonly listeners = new Set<HubListener>();
  /** Per subscriber: how to end its stream when the hub closes (the runtime stopped or switched context). */
  private readonly enders = new Map<HubListener, () => void>();
  private readonly waiters = new Set<() => void>();
  private readonly buffer: HubMessage[] = [];
  private bufferedBytes = 0;
  private actions: ActionRecord[] = [];
  private lastStatusJson = "";
  readonly idBase: number;
  private lastId: number;

  constructor(private readonly options: HubOptions) {
    this.idBase = options.idBase ?? randomIdBase();
    this.lastId = this.idBase;
  }

  get eventId(): number {
    return this.lastId;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  list<K extends WatchedKind>(kind: K): KindObjects[K][] {
    return [...this.caches[kind].values()] as KindObjects[K][];
  }

  get<K extends WatchedKind>(kind: K, namespace: string, name: string): KindObjects[K] | undefined {
    return this.caches[kind].get(namespacedKey(namespace, name)) as KindObjects[K] | undefined;
  }

  isDisabled(kind: WatchedKind): boolean {
    return this.disabled.has(kind);
  }

  /** One watch event. Duplicates (same resourceVersion) and deletes of unknown objects are dropped. */
  apply<K extends WatchedKind>(kind: K, type: WatchEventType, object: KindObjects[K]): void {
    const cache = this.caches[kind];
    const key = objectKey(object);
    const previous = cache.get(key);
    if (type === "DELETED") {
      if (!previous) return;
      cache.delete(key);
      this.emitChange(kind, "DELETED", object);
      return;
    }
    if (previous && previous.metadata?.resourceVersion === object.metadata?.resourceVersion && previous.metadata?.resourceVersion) return;
    cache.set(key, object);
    this.emitChange(kind, previous ? "MODIFIED" : "ADDED", object);
  }

  /** A full list (after a relist): emits exactly the changes that turn the cache into the list. */
  replace<K extends WatchedKind>(kind: K, items: KindObjects[K][]): void {
    const cache = this.caches[kind];
    const next = new Map(items.map((item) => [objectKey(item), item] as const));
    for (const [key, old] of [...cache]) {
      if (!next.has(key)) {
        cache.delete(key);
        this.emitChange(kind, "DELETED", old as KindObjects[K]);
      }
    }
    for (const [key, item] of next) {
      const old = cache.get(key);
      if (old && old.metadata?.resourceVersion === item.metadata?.resourceVersion && old.metadata?.resourceVersion) continue;
      cache.set(key, item);
      this.emitChange(kind, old ? "MODIFIED" : "ADDED", item);
    }
  }

  setStatus(kind: WatchedKind, status: KindStatus): void {
    if (this.disabled.has(kind)) return;
    this.kindStatus[kind] = status.error ? { synced: status.synced, error: status.error } : { synced: status.synced };
    this.emitStatusIfChanged();
  }

  /** A kind the credentials may not read: it no longer counts against `connected`. */
  disable(kind: WatchedKind): void {
    this.disabled.add(kind);
    this.caches[kind].clear();
    this.kindStatus[kind] = { synced: true };
    this.emitStatusIfChanged();
  }

  recordAction(record: ActionRecord): void {
    this.actions = [record, ...this.actions].slice(0, this.options.maxActions ?? 200);
    this.broadcast("action", record);
  }

  /** The dashboard's actions, newest first. */
  recentActions(): ActionRecord[] {
    return [...this.actions];
  }

  /** The cluster's description changed (speed, pause): every browser gets the new one. */
  clusterChanged(): void {
    this.broadcast("cluster", this.options.clusterInfo());
  }

  streamStatus(): StreamStatus {
    const kinds = { ...this.kindStatus };
    const connected = WATCHED_KINDS.every((kind) => this.disabled.has(kind) || (kinds[kind].synced && !kinds[kind].error));
    return { connected, kinds };
  }

  /** True once every enabled kind has listed and is watching. */
  get synced(): boolean {
    return WATCHED_KINDS.every((kind) => this.disabled.has(kind) || this.kindStatus[kind].synced);
  }

  snapshot(): Snapshot {
    const objects = emptyRecord<AnyObject[]>(() => []) as unknown as ObjectsByKind;
    for (const kind of WATCHED_KINDS) (objects as Record<WatchedKind, AnyObject[]>)[kind] = [...this.caches[kind].values()];
    return {
      cluster: this.options.clusterInfo(),
      objects,
      status: this.streamStatus().kinds,
      eventId: this.lastId,
      actions: [...this.actions],
    };
  }

  /**
   * Registers a listener for live messages and returns what comes before them: the messages after
   * `lastEventId` when they are all still buffered, otherwise a snapshot. Synchronous, so nothing
   * can slip between the replay and the first live message.
   */
  subscribe(lastEventId: string | null | undefined, listener: HubListener, onClose?: () => void): Subscription {
    const replay = this.replayAfter(lastEventId);
    this.listeners.add(listener);
    if (onClose) this.enders.set(listener, onClose);
    const unsubscribe = () => {
      this.listeners.delete(listener);
      this.enders.delete(listener);
    };
    if (replay) return { initial: replay, resumed: true, unsubscribe };
    return { initial: [this.snapshotMessage()], resumed: false, unsubscribe };
  }

  /**
   * Ends every subscriber's stream: the browsers reconnect (EventSource does it by itself) to the
   * process's current hub and, its ids being unrelated, get a snapshot of what it watches now.
   */
  closeSubscribers(): void {
    for (const [listener, end] of [...this.enders]) {
      this.listeners.delete(listener);
      this.enders.delete(listener);
      try {
        end();
      } catch {
        // One subscriber's failure must not keep the others open.
      }
    }
  }

  snapshotMessage(): HubMessage {
    return { id: this.lastId, event: "snapshot", data: JSON.stringify(this.snapshot()) };
  }

  /** Resolves true as soon as `predicate` holds for the cache (re-checked after every change), false after timeoutMs. */
  waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      this.waiters.add(check);
    });
  }

  /** True once every enabled kind has either synced or reported why it cannot (first attempt over). */
  get settled(): boolean {
    return WATCHED_KINDS.every((kind) => this.disabled.has(kind) || this.kindStatus[kind].synced || this.kindStatus[kind].error !== undefined);
  }

  waitForSettled(timeoutMs: number): Promise<boolean> {
    return this.waitFor(() => this.settled, timeoutMs);
  }

  private replayAfter(lastEventId: string | null | undefined): HubMessage[] | undefined {
    if (!lastEventId || !/^\d{1,16}$/.test(lastEventId)) return undefined;
    const after = Number(lastEventId);
    const oldestReplayable = this.lastId - this.buffer.length;
    if (after < this.idBase || after > this.lastId || after < oldestReplayable) return undefined;
    return this.buffer.slice(this.buffer.length - (this.lastId - after));
  }

  private emitChange<K extends WatchedKind>(kind: K, type: StreamChange["type"], object: KindObjects[K]): void {
    this.broadcast("change", { kind, type, object } as StreamChange);
    this.checkWaiters();
  }

  private emitStatusIfChanged(): void {
    const status = this.streamStatus();
    const json = JSON.stringify(status);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.broadcast("status", status);
    this.checkWaiters();
  }

  private checkWaiters(): void {
    for (const check of [...this.waiters]) check();
  }

  private broadcast(event: HubEvent, payload: unknown): void {
    const message: HubMessage = { id: ++this.lastId, event, data: JSON.stringify(payload) };
    this.remember(message);
    if (event === "change") this.options.onChange?.(message.id, message.data);
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch {
        // A broken subscriber must not stop the others; the stream route unsubscribes it on close.
      }
    }
  }

  private remember(message: HubMessage): void {
    const maxMessages = this.options.bufferSize ?? 4096;
    const maxBytes = this.options.bufferBytes ?? 32 * 1024 * 1024;
    this.buffer.push(message);
    this.bufferedBytes += message.data.length;
    while (this.buffer.length > maxMessages || (this.bufferedBytes > maxBytes && this.buffer.length > 1)) {
      const dropped = this.buffer.shift()!;
      this.bufferedBytes -= dropped.data.length;
    }
  }
}
