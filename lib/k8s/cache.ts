import type { ActionRecord, ClusterInfo, KindObjects, Snapshot, StreamChange, StreamStatus, WatchedKind } from "./contract";

/**
 * Applying the stream to the browser's snapshot, purely (the SWR cache holds the result).
 * Objects are keyed by kind + namespace/name. A change older than the cached object (by
 * resourceVersion) is ignored, so a late or replayed event never moves the page back in time.
 */

type AnyObject = KindObjects[WatchedKind];

export const MAX_ACTIONS = 200;

export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;
}

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

export function applyChanges(snapshot: Snapshot, changes: StreamChange[]): Snapshot {
  return changes.reduce(applyChange, snapshot);
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

export function applyMessages(snapshot: Snapshot | undefined, messages: StreamMessage[]): Snapshot | undefined {
  return messages.reduce(applyMessage, snapshot);
}
