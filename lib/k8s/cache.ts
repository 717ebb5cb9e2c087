import { objectKey } from "./keys";
import type { ActionRecord, ClusterInfo, KindObjects, Snapshot, StreamChange, StreamStatus, WatchedKind } from "./contract";

/**
 * Applying the stream to the browser's snapshot, purely (the SWR cache holds the result).
 * Objects are keyed by kind + namespace/name. A change older than the cached object (by
 * resourceVersion) is ignored, so a late or replayed event never moves the page back in time.
 */

type AnyObject = KindObjects[WatchedKind];

export const MAX_ACTIONS = 200;

/**
 * resourceVersion as a number when it is one. Kubernetes calls RVs opaque, but every API server
 * (etcd revisions) and the embedded one issue increasing integers; anything else is never compared.
 */
export function resourceVersionOf(obj: { metadata?: { resourceVersion?: string } } | undefined): bigint | undefined {
  const rv = obj?.metadata?.resourceVersion;
  if (!rv || !/^\d+$/.test(rv)) return undefined;
  return BigInt(rv);
}

/** incoming is strictly older than cached, as far as can be told. */
export function isOlder(incoming: AnyObject, cached: AnyObject): boolean {
  const a = resourceVersionOf(incoming);
  const b = resourceVersionOf(cached);
  return a !== undefined && b !== undefined && a < b;
}

function sameVersion(incoming: AnyObject, cached: AnyObject): boolean {
  const a = incoming.metadata?.resourceVersion;
  return !!a && a === cached.metadata?.resourceVersion && incoming.metadata?.uid === cached.metadata?.uid;
}

/** The list of one kind after one watch event; the same array when nothing changes. */
export function applyToList<T extends AnyObject>(list: T[], type: StreamChange["type"], object: T): T[] {
  const key = objectKey(object);
  const index = list.findIndex((o) => objectKey(o) === key);
  const cached = index >= 0 ? list[index] : undefined;
  if (type === "DELETED") {
    if (!cached || isOlder(object, cached)) return list;
    // A late DELETED of an earlier incarnation must not remove the pod recreated under the same name.
    const uid = object.metadata?.uid;
    if (uid && cached.metadata?.uid && uid !== cached.metadata.uid) return list;
    return [...list.slice(0, index), ...list.slice(index + 1)];
  }
  if (!cached) return [...list, object];
  if (isOlder(object, cached) || sameVersion(object, cached)) return list;
  const next = list.slice();
  next[index] = object;
  return next;
}

export function applyChange(snapshot: Snapshot, change: StreamChange): Snapshot {
  const kind = change.kind;
  const list = snapshot.objects[kind] as AnyObject[];
  const next = applyToList(list, change.type, change.object as AnyObject);
  if (next === list) return snapshot;
  return { ...snapshot, objects: { ...snapshot.objects, [kind]: next } };
}

/** Newest first, without duplicates (the snapshot and the stream may both carry an action). */
export function applyAction(snapshot: Snapshot, action: ActionRecord, limit = MAX_ACTIONS): Snapshot {
  if (snapshot.actions.some((a) => a.id === action.id)) return snapshot;
  return { ...snapshot, actions: [action, ...snapshot.actions].slice(0, limit) };
}

export function applyStatus(snapshot: Snapshot, status: StreamStatus): Snapshot {
  return { ...snapshot, status: status.kinds };
}

/** Everything the stream can say, as one value the hook queues and applies per animation frame. */
export type StreamMessage =
  | { event: "change"; data: StreamChange }
  | { event: "snapshot"; data: Snapshot }
  | { event: "status"; data: StreamStatus }
  | { event: "action"; data: ActionRecord }
  | { event: "cluster"; data: ClusterInfo };

export function applyMessage(snapshot: Snapshot | undefined, message: StreamMessage): Snapshot | undefined {
  if (message.event === "snapshot") return message.data;
  // Before the first snapshot there is nothing to apply to; the stream always starts with one.
  if (!snapshot) return snapshot;
  switch (message.event) {
    case "change":
      return applyChange(snapshot, message.data);
    case "status":
      return applyStatus(snapshot, message.data);
    case "action":
      return applyAction(snapshot, message.data);
    case "cluster":
      return { ...snapshot, cluster: message.data };
  }
}

/**
 * One batch of stream messages (what arrived within one animation frame) applied at once: each
 * kind's list is indexed and copied at most once per batch, so a batch of k changes over n cached
 * objects costs O(n + k), not O(n · k); kinds and objects the batch does not change keep their
 * identity (memoised views skip them).
 */
export function applyMessages(snapshot: Snapshot | undefined, messages: StreamMessage[]): Snapshot | undefined {
  let current = snapshot;
  let pending = new BatchedLists();
  for (const message of messages) {
    if (message.event === "change") {
      if (current) pending.apply(current, message.data);
      continue;
    }
    if (current) current = pending.commit(current);
    pending = new BatchedLists();
    current = applyMessage(current, message);
  }
  return current && pending.commit(current);
}

/**
 * Each list's key index, handed from a list to the list a batch makes of it (when the batch deleted
 * nothing, positions are unchanged): at 1,000 pods and 5,000 events, building them again every
 * frame was the page's largest cost in applying a burst. A list whose index was handed on (an
 * older snapshot, e.g. one replayed) gets a new one built when it is the base of a batch again.
 */
const listIndexes = new WeakMap<readonly AnyObject[], Map<string, number>>();

/** Per kind: a working copy of the list, its key index, and whether the batch changed it. */
class BatchedLists {
  private readonly kinds = new Map<WatchedKind, { source: AnyObject[]; list: (AnyObject | undefined)[]; index: Map<string, number>; changed: boolean; deleted: boolean }>();

  private working(snapshot: Snapshot, kind: WatchedKind) {
    let w = this.kinds.get(kind);
    if (!w) {
      const source = snapshot.objects[kind] as AnyObject[];
      const list = source.slice();
      const index = listIndexes.get(source) ?? new Map(list.map((o, i) => [objectKey(o!), i]));
      listIndexes.delete(source);
      w = { source, list, index, changed: false, deleted: false };
      this.kinds.set(kind, w);
    }
    return w;
  }

  apply(snapshot: Snapshot, change: StreamChange): void {
    const w = this.working(snapshot, change.kind);
    const object = change.object as AnyObject;
    const key = objectKey(object);
    const at = w.index.get(key);
    const cached = at === undefined ? undefined : w.list[at];
    if (change.type === "DELETED") {
      if (!cached || isOlder(object, cached)) return;
      const uid = object.metadata?.uid;
      if (uid && cached.metadata?.uid && uid !== cached.metadata.uid) return;
      w.list[at!] = undefined;
      w.index.delete(key);
      w.changed = w.deleted = true;
      return;
    }
    if (!cached) {
      w.index.set(key, w.list.length);
      w.list.push(object);
      w.changed = true;
      return;
    }
    if (isOlder(object, cached) || sameVersion(object, cached)) return;
    w.list[at!] = object;
    w.changed = true;
  }

  commit(snapshot: Snapshot): Snapshot {
    const objects = { ...snapshot.objects } as Record<WatchedKind, AnyObject[]>;
    let changed = false;
    for (const [kind, w] of this.kinds) {
      if (!w.changed) {
        // Untouched by the batch: the list stays, and so does its index.
        listIndexes.set(w.source, w.index);
        continue;
      }
      changed = true;
      const list = w.deleted ? w.list.filter((o): o is AnyObject => o !== undefined) : (w.list as AnyObject[]);
      if (!w.deleted) listIndexes.set(list, w.index);
      objects[kind] = list;
    }
    return changed ? { ...snapshot, objects: objects as Snapshot["objects"] } : snapshot;
  }
}
