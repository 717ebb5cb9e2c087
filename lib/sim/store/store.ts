import { randomUUID } from "node:crypto";
import { errors } from "./errors";
import type { Input, Stored } from "./types";
import { type Clock, realClock } from "../clock";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors";
import { timeField } from "../../k8s/time";
import { namespacedKey } from "../../k8s/keys";

export type { ChangeEvent, DeleteOptions, ListOptions, StoredObject, StoreSnapshot, Strategy, WatchEventType, WatchOptions } from "./contracts";
import type { ChangeEvent, DeleteOptions, ListOptions, StoredObject, StoreSnapshot, Strategy, WatchEventType, WatchOptions } from "./contracts";
import { deepCopy } from "./copy";

const GC_FINALIZERS = { Foreground: "foregroundDeletion", Orphan: "orphan" } as const;

type Watcher = (event: ChangeEvent) => void;

const clone = deepCopy;

/**
 * The store keeps every resource as a StoredObject and hands it out as the resource's client-node
 * type (`Stored<R>`): the one place that relates the two, so no caller casts (the resource key is
 * the type's witness, see types.ts).
 */
const typed = <R extends string>(o: StoredObject): Stored<R> => o as Stored<R>;
const untyped = (o: unknown): StoredObject => o as StoredObject;

/** Generated-name suffix as the API server makes it: 5 chars of consonants and digits. */
function randomSuffix(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let s = "";
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

function sameExcept(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The object store of the embedded cluster: etcd plus the generic registry of the API server.
 * One global, monotonically increasing resourceVersion; deep copies in and out; optimistic
 * concurrency; finalizers and graceful deletion; a bounded history for watches.
 */
export class Store {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private history: ChangeEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly commitHooks = new Set<Watcher>();
  private readonly strategies = new Map<string, Strategy<StoredObject>>();

  constructor(
    readonly clock: Clock = realClock,
    private readonly historyLimit = 2000,
  ) {}

  setStrategy<R extends string>(resource: R, strategy: Strategy<Stored<R>>): void {
    this.strategies.set(resource, strategy);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can still start from (exclusive). */
  get oldestWatchableVersion(): number {
    return this.history.length ? this.history[0].resourceVersion - 1 : this.rv;
  }

  private bucket(resource: string): Map<string, StoredObject> {
    let b = this.objects.get(resource);
    if (!b) this.objects.set(resource, (b = new Map()));
    return b;
  }

  /** Synchronous hook run for every commit before the call returns (used by persistence). */
  onCommit(hook: Watcher): () => void {
    this.commitHooks.add(hook);
    return () => this.commitHooks.delete(hook);
  }

  /**
   * The event carries the stored objects themselves, not copies: a write always stores a new object,
   * so they never change; commit hooks and `shared` watchers read them, every other watcher gets a copy.
   */
  private commit(event: ChangeEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) this.history = this.history.slice(-Math.floor(this.historyLimit * 0.75));
    for (const hook of this.commitHooks) hook(event);
    for (const w of [...this.watchers]) {
      try {
        w(event);
      } catch {
        // A failing watcher must not break the write that notified it.
      }
    }
  }

  private nextVersion(): string {
    this.rv += 1;
    return String(this.rv);
  }

  private now(): Date {
    return timeField(this.clock.now());
  }

  get<R extends string>(resource: R, namespace: string | undefined, name: string): Stored<R> {
    const obj = this.bucket(resource).get(namespacedKey(namespace, name));
    if (!obj) throw errors.notFound(...split(resource), name);
    return typed(clone(obj));
  }

  /** The store's own object, not a copy: read it, never modify it (see `view`). */
  peek<R extends string>(resource: R, namespace: string | undefined, name: string): Readonly<Stored<R>> | undefined {
    const obj = this.bucket(resource).get(namespacedKey(namespace, name));
    return obj && typed<R>(obj);
  }

  tryGet<R extends string>(resource: R, namespace: string | undefined, name: string): Stored<R> | undefined {
    const obj = this.bucket(resource).get(namespacedKey(namespace, name));
    return obj ? typed<R>(clone(obj)) : undefined;
  }

  list<R extends string>(resource: R, opts: ListOptions = {}): { items: Stored<R>[]; resourceVersion: string } {
    return { items: this.view(resource, opts).map((o) => clone(o) as Stored<R>), resourceVersion: String(this.rv) };
  }

  /** `list` without copies, for readers: every write stores a new object, so a view never changes; never modify it. */
  view<R extends string>(resource: R, opts: ListOptions = {}): readonly Readonly<Stored<R>>[] {
    const labels = typeof opts.labelSelector === "string" || !opts.labelSelector ? parseLabelSelector(opts.labelSelector as string) : opts.labelSelector;
    const fields = typeof opts.fieldSelector === "string" || !opts.fieldSelector ? parseFieldSelector(opts.fieldSelector as string) : opts.fieldSelector;
    const keyed: [string, StoredObject][] = [];
    for (const [key, obj] of this.bucket(resource)) {
      if (opts.namespace && obj.metadata.namespace !== opts.namespace) continue;
      if (!matchesLabels(labels, obj.metadata.labels) || !matchesFields(fields, obj)) continue;
      keyed.push([key, obj]);
    }
    // etcd returns a range in key order: plain byte order, not the locale's.
    keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return keyed.map(([, o]) => typed<R>(o));
  }

  /** Counts objects without copying them, in a namespace if given; `where` sees the stored object (read only). */
  count<R extends string>(resource: R, namespace?: string, where?: (obj: Readonly<Stored<R>>) => boolean): number {
    if (!namespace && !where) return this.bucket(resource).size;
    let n = 0;
    for (const obj of this.bucket(resource).values()) if ((!namespace || obj.metadata.namespace === namespace) && (!where || where(typed<R>(obj)))) n++;
    return n;
  }

  create<R extends string>(resource: R, input: Input<R>): Stored<R> {
    const obj = untyped(clone(input));
    const meta = obj.metadata ?? (obj.metadata = {});
    if (!meta.name && meta.generateName) {
      for (let i = 0; i < 20 && !meta.name; i++) {
        const candidate = meta.generateName + randomSuffix();
        if (!this.bucket(resource).has(namespacedKey(meta.namespace, candidate))) meta.name = candidate;
      }
    }
    if (!meta.name) throw errors.invalid(kindOf(obj), split(resource)[1], "", [{ field: "metadata.name", reason: "FieldValueRequired", message: "Required value: name or generateName is required" }]);
    const key = namespacedKey(meta.namespace, meta.name);
    if (this.bucket(resource).has(key)) throw errors.alreadyExists(...split(resource), meta.name);
    const strategy = this.strategies.get(resource);
    // The uid is filled before validation, as BeforeCreate does: the Job strategy's Validate builds
    // the generated selector from it.
    meta.uid = randomUUID();
    strategy?.defaults?.(obj);
    strategy?.validate?.(obj, undefined);
    strategy?.admit?.(obj);
    meta.creationTimestamp = this.now();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.resourceVersion = this.nextVersion();
    this.bucket(resource).set(key, obj);
    this.commit({ resource, type: "ADDED", object: obj, resourceVersion: this.rv });
    return typed(clone(obj));
  }

  /**
   * Replaces an object. With `subresource: "status"` only `.status` is taken from the input;
   * otherwise `.status` is kept from the stored object (as the API server does for the main resource).
   * A stale metadata.resourceVersion is a 409 Conflict; an empty one means "last write wins".
   */
  update<R extends string>(resource: R, body: Input<R>, opts: { subresource?: "status"; keepStatus?: boolean } = {}): Stored<R> {
    const input = untyped(body);
    const meta = input.metadata ?? {};
    const name = meta.name ?? "";
    const old = this.bucket(resource).get(namespacedKey(meta.namespace, name));
    if (!old) throw errors.notFound(...split(resource), name);
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(...split(resource), name, "the object has been modified; please apply your changes to the latest version and try again");
    }
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw errors.conflict(...split(resource), name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    let next: StoredObject;
    if (opts.subresource === "status") {
      next = clone(old);
      next.status = clone(input.status);
    } else {
      next = clone(input);
      if (opts.keepStatus !== false && "status" in old) next.status = clone(old.status);
      // Immutable and server-owned metadata.
      next.metadata.uid = old.metadata.uid;
      next.metadata.creationTimestamp = old.metadata.creationTimestamp;
      next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      next.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      next.metadata.generation = old.metadata.generation;
      next.metadata.namespace = old.metadata.namespace;
      const strategy = this.strategies.get(resource);
      strategy?.validate?.(next, clone(old));
      const genFields = strategy?.generationFields ?? ["spec"];
      if (genFields.some((f) => !sameExcept(next[f], old[f]))) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    next.apiVersion = old.apiVersion;
    next.kind = old.kind;
    if (sameExcept({ ...next, metadata: { ...next.metadata, resourceVersion: "" } }, { ...old, metadata: { ...old.metadata, resourceVersion: "" } })) {
      return typed(clone(old)); // A no-op update does not bump the resourceVersion, as in Kubernetes.
    }
    next.metadata.resourceVersion = this.nextVersion();
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !this.isGracefullyTerminating(resource, next)) {
      return typed(this.remove(resource, next, old));
    }
    this.bucket(resource).set(namespacedKey(next.metadata.namespace, name), next);
    this.commit({ resource, type: "MODIFIED", object: next, previous: old, resourceVersion: this.rv });
    return typed(clone(next));
  }

  /**
   * Graceful deletion in progress: an object of a resource whose strategy deletes gracefully (a
   * RESTGracefulDeleteStrategy upstream: pods) with deletionGracePeriodSeconds > 0 waits for whoever
   * finishes it (the kubelet) instead of going when its last finalizer does.
   */
  private isGracefullyTerminating(resource: string, obj: StoredObject): boolean {
    return !!this.strategies.get(resource)?.gracePeriod && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  private remove(resource: string, obj: StoredObject, previous: StoredObject): StoredObject {
    this.bucket(resource).delete(namespacedKey(obj.metadata.namespace, obj.metadata.name!));
    if (obj.metadata.resourceVersion === previous.metadata.resourceVersion) obj.metadata.resourceVersion = this.nextVersion();
    this.commit({ resource, type: "DELETED", object: obj, previous: previous, resourceVersion: this.rv });
    return clone(obj);
  }

  /**
   * Deletes as the API server does: finalizers and graceful deletion set deletionTimestamp and
   * keep the object; otherwise it is removed. Returns the object and whether it is gone.
   */
  delete<R extends string>(resource: R, namespace: string | undefined, name: string, opts: DeleteOptions = {}): { object: Stored<R>; removed: boolean } {
    const old = this.bucket(resource).get(namespacedKey(namespace, name));
    if (!old) throw errors.notFound(...split(resource), name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw errors.conflict(...split(resource), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(...split(resource), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
    }
    const next = clone(old);
    const finalizers = new Set(next.metadata.finalizers ?? []);
    const gcFinalizer = opts.propagationPolicy && opts.propagationPolicy !== "Background" ? GC_FINALIZERS[opts.propagationPolicy] : undefined;
    if (gcFinalizer && !next.metadata.deletionTimestamp) finalizers.add(gcFinalizer);
    const strategy = this.strategies.get(resource);
    const grace = strategy?.gracePeriod ? strategy.gracePeriod(next, opts.gracePeriodSeconds) : 0;
    const alreadyDeleting = !!next.metadata.deletionTimestamp;

    if (alreadyDeleting) {
      // A second delete may only shorten the grace period (e.g. --force after a graceful delete).
      const current = next.metadata.deletionGracePeriodSeconds ?? 0;
      if (grace >= current && finalizers.size === (next.metadata.finalizers ?? []).length) return { object: typed(clone(old)), removed: false };
      if (grace < current) {
        next.metadata.deletionGracePeriodSeconds = grace;
        next.metadata.deletionTimestamp = timeField(this.clock.now() + grace * 1000);
      }
    } else if (grace > 0 || finalizers.size > 0) {
      next.metadata.deletionTimestamp = timeField(this.clock.now() + grace * 1000);
      next.metadata.deletionGracePeriodSeconds = grace;
    }
    next.metadata.finalizers = finalizers.size ? [...finalizers] : undefined;
    if (!next.metadata.finalizers) delete next.metadata.finalizers;

    if (finalizers.size === 0 && grace === 0) {
      // A resource with graceful deletion (pods) deleted with grace 0 is first updated with
      // deletionTimestamp and deletionGracePeriodSeconds 0, then removed, so watchers see MODIFIED
      // (Terminating) before DELETED (apiserver registry/rest BeforeDelete and
      // store.updateForGracefulDeletionAndFinalizers). Only an object already at grace 0 goes at once.
      const graceful = !!strategy?.gracePeriod && (!alreadyDeleting || (old.metadata.deletionGracePeriodSeconds ?? 0) > 0);
      if (!graceful) return { object: typed(this.remove(resource, next, old)), removed: true };
      next.metadata.deletionTimestamp = this.now();
      next.metadata.deletionGracePeriodSeconds = 0;
      next.metadata.generation = (old.metadata.generation ?? 1) + (alreadyDeleting ? 0 : 1);
      next.metadata.resourceVersion = this.nextVersion();
      this.commit({ resource, type: "MODIFIED", object: next, previous: old, resourceVersion: this.rv });
      return { object: typed(this.remove(resource, clone(next), next)), removed: true };
    }
    next.metadata.generation = (old.metadata.generation ?? 1) + (alreadyDeleting ? 0 : 1);
    next.metadata.resourceVersion = this.nextVersion();
    this.bucket(resource).set(namespacedKey(namespace, name), next);
    this.commit({ resource, type: "MODIFIED", object: next, previous: old, resourceVersion: this.rv });
    return { object: typed(clone(next)), removed: false };
  }

  /**
   * Subscribes to changes. With a resourceVersion, replays the history after it first; a version
   * older than the history keeps is a 410 Expired, so clients exercise their relist path.
   */
  watch<R extends string>(resource: R, opts: WatchOptions, onEvent: (type: WatchEventType, object: Stored<R>) => void): () => void {
    const labels = typeof opts.labelSelector === "string" || !opts.labelSelector ? parseLabelSelector(opts.labelSelector as string) : opts.labelSelector;
    const fields = typeof opts.fieldSelector === "string" || !opts.fieldSelector ? parseFieldSelector(opts.fieldSelector as string) : opts.fieldSelector;
    const matches = (o: StoredObject | undefined) =>
      !!o && (!opts.namespace || o.metadata.namespace === opts.namespace) && matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o);
    const copy = opts.shared ? (o: StoredObject) => typed<R>(o) : (o: StoredObject) => typed<R>(clone(o));
    const deliver = (e: ChangeEvent) => {
      if (e.resource !== resource) return;
      const now = matches(e.object);
      const before = e.previous ? matches(e.previous) : false;
      if (e.type === "DELETED") {
        if (now || before) onEvent("DELETED", copy(e.object));
      } else if (now && (before || e.type === "ADDED")) onEvent(e.type, copy(e.object));
      else if (now && !before) onEvent("ADDED", copy(e.object));
      else if (!now && before) onEvent("DELETED", copy(e.object));
    };
    const from = opts.resourceVersion && opts.resourceVersion !== "0" ? Number(opts.resourceVersion) : NaN;
    if (opts.resourceVersion && opts.resourceVersion !== "0" && !Number.isInteger(from)) {
      throw errors.badRequest(`invalid resource version: ${opts.resourceVersion}`);
    }
    if (Number.isInteger(from)) {
      if (from < this.oldestWatchableVersion) throw errors.gone(`too old resource version: ${from} (${this.oldestWatchableVersion + 1})`);
      for (const e of this.history) if (e.resourceVersion > from) deliver(e);
    }
    this.watchers.add(deliver);
    return () => this.watchers.delete(deliver);
  }

  snapshot(): StoreSnapshot {
    const objects: Record<string, StoredObject[]> = {};
    for (const [resource, bucket] of this.objects) objects[resource] = [...bucket.values()].map(clone);
    return { resourceVersion: this.rv, objects };
  }

  restore(snapshot: StoreSnapshot): void {
    this.objects.clear();
    this.history = [];
    this.rv = snapshot.resourceVersion;
    for (const [resource, items] of Object.entries(snapshot.objects)) {
      const bucket = this.bucket(resource);
      for (const o of items) bucket.set(namespacedKey(o.metadata.namespace, o.metadata.name!), clone(o));
    }
  }

  /** Re-applies a committed change (used when replaying a write-ahead log). */
  replay(event: ChangeEvent): void {
    const bucket = this.bucket(event.resource);
    const key = namespacedKey(event.object.metadata.namespace, event.object.metadata.name!);
    if (event.type === "DELETED") bucket.delete(key);
    else bucket.set(key, clone(event.object));
    this.rv = Math.max(this.rv, event.resourceVersion);
  }

  resources(): string[] {
    return [...this.objects.keys()];
  }
}

function split(resource: string): [string, string] {
  const dot = resource.indexOf(".");
  return dot < 0 ? [resource, ""] : [resource.slice(0, dot), resource.slice(dot + 1)];
}

function kindOf(obj: StoredObject): string {
  return obj.kind ?? "Object";
}

