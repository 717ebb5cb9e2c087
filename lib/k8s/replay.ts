import { applyToList, MAX_ACTIONS } from "./cache";
import { WATCHED_KINDS, type ActionRecord, type KindObjects, type ObjectsByKind, type Snapshot, type StreamChange, type WatchedKind } from "./contract";

/**
 * Replay: the namespace's watch events as the dashboard server received them, and the state of
 * every object at any one of them. Pure, so the page draws a past moment with the same components
 * (and the same reducer) it draws the present with.
 */

/** One watch event the server applied, when (wall-clock ms) and under which stream id. */
export interface HistoryEntry {
  id: number;
  at: number;
  change: StreamChange;
}

/** GET /api/history */
export interface History {
  /** Wall-clock ms of the oldest moment the history can show: the state `base`, before `entries[0]`. */
  since: number;
  base: ObjectsByKind;
  /** Oldest first; bounded in number and age (`maxEntries`, `maxAgeMs`). */
  entries: HistoryEntry[];
  /** Dashboard actions (newest first) of the same period. */
  actions: ActionRecord[];
  maxEntries: number;
  maxAgeMs: number;
}

export function emptyObjects(): ObjectsByKind {
  return Object.fromEntries(WATCHED_KINDS.map((kind) => [kind, []])) as unknown as ObjectsByKind;
}

/** The objects after applying `changes` in order to `objects` (lists are copied only where they change). */
export function applyChangesTo(objects: ObjectsByKind, changes: StreamChange[]): ObjectsByKind {
  const next = { ...objects } as Record<WatchedKind, KindObjects[WatchedKind][]>;
  for (const change of changes) next[change.kind] = applyToList(next[change.kind], change.type, change.object as KindObjects[WatchedKind]);
  return next as unknown as ObjectsByKind;
}

/** The objects right after entry `index` (−1: the base, before any entry). */
export function objectsAt(history: History, index: number): ObjectsByKind {
  const last = Math.min(index, history.entries.length - 1);
  return applyChangesTo(history.base, history.entries.slice(0, last + 1).map((e) => e.change));
}

/** The wall-clock moment of entry `index` (the base's for −1). */
export function momentOf(history: History, index: number): number {
  return index < 0 ? history.since : (history.entries[Math.min(index, history.entries.length - 1)]?.at ?? history.since);
}

/** A Snapshot of the past moment after entry `index`: its objects, and the actions done by then. */
export function snapshotAt(history: History, index: number, live: Snapshot): Snapshot {
  const at = momentOf(history, index);
  const actions = history.actions.filter((a) => Date.parse(a.at) <= at).slice(0, MAX_ACTIONS);
  return { ...live, objects: objectsAt(history, index), actions, eventId: history.entries[index]?.id ?? live.eventId };
}
