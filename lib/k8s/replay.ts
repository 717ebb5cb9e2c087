import type { CoreV1Event } from "@kubernetes/client-node";
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
  /** The cluster's time (ms) then: the embedded cluster's clock runs at its speed, or stands still. */
  clusterTime: number;
  change: StreamChange;
}

/** GET /api/history */
export interface History {
  /** Wall-clock ms of the oldest moment the history can show: the state `base`, before `entries[0]`. */
  since: number;
  /** The cluster's time at `since`. */
  sinceClusterTime: number;
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

/** The cluster's time at entry `index` (the base's for −1). */
export function clusterTimeOf(history: History, index: number): number {
  return index < 0 ? history.sinceClusterTime : (history.entries[Math.min(index, history.entries.length - 1)]?.clusterTime ?? history.sinceClusterTime);
}

/**
 * A Snapshot of the past moment after entry `index`: its objects, the actions done by then, and a
 * cluster clock stopped at that moment (ages and grace-period countdowns read as they did then).
 */
export function snapshotAt(history: History, index: number, live: Snapshot): Snapshot {
  const at = momentOf(history, index);
  const actions = history.actions.filter((a) => Date.parse(a.at) <= at).slice(0, MAX_ACTIONS);
  const clock = { ...live.cluster.clock, paused: true, clusterTime: clusterTimeOf(history, index), at };
  return { ...live, cluster: { ...live.cluster, clock }, objects: objectsAt(history, index), actions, eventId: history.entries[index]?.id ?? live.eventId };
}

/** How far back (cluster time) a Kubernetes Event can be the cause of the change at an entry. */
const CAUSE_WINDOW_MS = 10_000;
const CAUSE_LOOKBACK = 50;

function namesObject(event: CoreV1Event, kind: string | undefined, name: string): boolean {
  const o = event.involvedObject;
  if (o?.name === name && (!kind || o.kind === kind)) return true;
  // Controllers name the object they acted on in the message ("delete Pod kubia-2 in StatefulSet kubia successful").
  return new RegExp(`(^|[\\s"'])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s"',.])`).test(event.message ?? "");
}

/** How soon after a change (cluster time) its controller's own Event follows it: it records the event after the write. */
const CAUSE_FOLLOW_MS = 1_000;
const CAUSE_LOOKAHEAD = 20;

/**
 * The Kubernetes Event of the recorded moment that explains the change at entry `index`: the event
 * itself when the entry is an Event; else the Event recorded right after it (within a second) that
 * is about the changed object or names it, as a controller records "delete Pod kubia-2 in
 * StatefulSet kubia successful" just after its write; else the latest such Event recorded shortly
 * before it. Its timeline id (`event/<uid>`), or undefined.
 */
export function causeOf(history: History, index: number): string | undefined {
  const entry = history.entries[index];
  if (!entry) return undefined;
  const { change } = entry;
  if (change.kind === "events") return `event/${change.object.metadata?.uid ?? change.object.metadata?.name ?? ""}`;
  const name = change.object.metadata?.name;
  if (!name) return undefined;
  const explains = (i: number): string | undefined => {
    const other = history.entries[i].change;
    if (other.kind !== "events" || other.type === "DELETED") return undefined;
    const event = other.object as CoreV1Event;
    return namesObject(event, change.object.kind, name) ? `event/${event.metadata?.uid ?? event.metadata?.name ?? ""}` : undefined;
  };
  for (let i = index + 1; i < Math.min(history.entries.length, index + 1 + CAUSE_LOOKAHEAD); i++) {
    if (history.entries[i].clusterTime - entry.clusterTime > CAUSE_FOLLOW_MS) break;
    const found = explains(i);
    if (found) return found;
  }
  for (let i = index - 1; i >= Math.max(0, index - CAUSE_LOOKBACK); i--) {
    if (entry.clusterTime - history.entries[i].clusterTime > CAUSE_WINDOW_MS) break;
    const found = explains(i);
    if (found) return found;
  }
  return undefined;
}
