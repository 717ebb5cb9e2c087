import type { CoreV1Event } from "@kubernetes/client-node";
import type { ActionRecord } from "./contract";
import { toMillis } from "./time";

/**
 * Kubernetes Events and the dashboard's own actions as one timeline, newest first.
 */

/**
 * When an event last happened. core/v1 Events carry their time in different fields depending on
 * who recorded them: the old recorder sets first/lastTimestamp, the events.k8s.io recorder sets
 * eventTime and series.lastObservedTime (kubectl get events sorts by the same fallbacks).
 */
export function eventTime(event: CoreV1Event): number | undefined {
  return (
    toMillis(event.series?.lastObservedTime) ??
    toMillis(event.lastTimestamp) ??
    toMillis(event.eventTime) ??
    toMillis(event.firstTimestamp) ??
    toMillis(event.metadata?.creationTimestamp)
  );
}

/**
 * eventTime, parsed once per event object, for the lists below: they come from a watch cache, whose
 * objects are replaced, never changed in place. The page indexes and sorts thousands of events
 * each time the list changes, and parsing their timestamps again was most of that.
 */
const watchedEventTimes = new WeakMap<CoreV1Event, number>();

function watchedEventTime(event: CoreV1Event): number {
  let at = watchedEventTimes.get(event);
  if (at === undefined) watchedEventTimes.set(event, (at = eventTime(event) ?? 0));
  return at;
}

interface TimedEvent {
  event: CoreV1Event;
  at: number;
}

/**
 * The events of a list grouped by involved object, with their times parsed, built once per list: a
 * watched list is replaced, not changed in place, when an event arrives. At 1,000 pods the page asked
 * for the events of every slot on every frame, filtering, sorting and parsing timestamps millions of
 * times (5 s long tasks).
 */
const indexes = new WeakMap<readonly CoreV1Event[], Map<string, TimedEvent[]>>();

const indexKey = (kind: string | undefined, name: string | undefined) => `${kind ?? ""}/${name ?? ""}`;

/** The events whose involved object has this kind and name (any namespace, any uid). */
function eventsNamed(events: readonly CoreV1Event[], kind: string, name: string): readonly TimedEvent[] {
  let index = indexes.get(events);
  if (!index) {
    index = new Map();
    for (const event of events) {
      const key = indexKey(event.involvedObject?.kind, event.involvedObject?.name);
      const timed = { event, at: watchedEventTime(event) };
      const bucket = index.get(key);
      if (bucket) bucket.push(timed);
      else index.set(key, [timed]);
    }
    indexes.set(events, index);
  }
  return index.get(indexKey(kind, name)) ?? [];
}

/** How many times the event happened (`count` for old-style events, `series.count` for new ones). */
export function eventCount(event: CoreV1Event): number {
  return event.series?.count ?? event.count ?? 1;
}

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  /** Restrict to one incarnation (a pod recreated under the same name has a new uid). */
  uid?: string;
}

export function involves(event: CoreV1Event, ref: ObjectRef): boolean {
  const o = event.involvedObject;
  if (!o || o.kind !== ref.kind || o.name !== ref.name) return false;
  if (ref.namespace !== undefined && (o.namespace ?? "") !== ref.namespace) return false;
  if (ref.uid !== undefined && o.uid !== undefined && o.uid !== ref.uid) return false;
  return true;
}

/** Newest first; ties keep a stable order by name so the list does not jitter between renders. */
export function byNewest(a: CoreV1Event, b: CoreV1Event): number {
  const diff = (eventTime(b) ?? 0) - (eventTime(a) ?? 0);
  if (diff !== 0) return diff;
  return (b.metadata?.name ?? "").localeCompare(a.metadata?.name ?? "");
}

/** byNewest on times already parsed. */
function newer(a: TimedEvent, b: TimedEvent): boolean {
  return a.at !== b.at ? a.at > b.at : (a.event.metadata?.name ?? "").localeCompare(b.event.metadata?.name ?? "") > 0;
}

/** The events about one object, newest first. */
export function eventsFor(events: readonly CoreV1Event[], ref: ObjectRef): CoreV1Event[] {
  return eventsNamed(events, ref.kind, ref.name)
    .filter((t) => involves(t.event, ref))
    .sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0))
    .map((t) => t.event);
}

/** The newest event about an object with one of these reasons, if any (one pass, no sort). */
export function latestEvent(events: readonly CoreV1Event[], ref: ObjectRef, reasons?: string[]): CoreV1Event | undefined {
  let newest: TimedEvent | undefined;
  for (const timed of eventsNamed(events, ref.kind, ref.name)) {
    if (!involves(timed.event, ref) || (reasons && !reasons.includes(timed.event.reason ?? ""))) continue;
    if (!newest || newer(timed, newest)) newest = timed;
  }
  return newest?.event;
}

export type TimelineEntry =
  | {
      source: "event";
      id: string;
      at: number;
      type: string; // Normal | Warning
      reason: string;
      message: string;
      /** "Pod/kubia-1" as kubectl get events prints OBJECT. */
      object: string;
      count: number;
    }
  | {
      source: "action";
      id: string;
      at: number;
      action: string;
      target: string;
      kubectl: string;
      ok: boolean;
      message?: string;
    };

/** One entry per (watched, never changed in place) event object, so unchanged events keep their entry frame to frame. */
const eventEntries = new WeakMap<CoreV1Event, TimelineEntry>();

function fromEvent(event: CoreV1Event): TimelineEntry {
  let entry = eventEntries.get(event);
  if (!entry) eventEntries.set(event, (entry = eventEntry(event)));
  return entry;
}

function eventEntry(event: CoreV1Event): TimelineEntry {
  const o = event.involvedObject;
  return {
    source: "event",
    id: `event/${event.metadata?.uid ?? event.metadata?.name ?? ""}`,
    at: watchedEventTime(event),
    type: event.type ?? "Normal",
    reason: event.reason ?? "",
    message: event.message ?? "",
    object: `${o?.kind ?? "?"}/${o?.name ?? "?"}`,
    count: eventCount(event),
  };
}

/**
 * When an action happened on the cluster's clock, which Events are on: the time recorded with it
 * (the embedded cluster's clock runs at its speed, or stands still while paused, so the wall time
 * cannot be converted afterwards: every past action would land on the paused "now"). A record
 * without it (an older server) keeps its wall time, which is a real cluster's clock.
 */
export function actionClusterTime(action: ActionRecord): number {
  return toMillis(action.clusterAt) ?? toMillis(action.at) ?? 0;
}

function fromAction(action: ActionRecord): TimelineEntry {
  return {
    source: "action",
    id: `action/${action.id}`,
    at: actionClusterTime(action),
    action: action.action,
    target: action.target,
    kubectl: action.kubectl,
    ok: action.ok,
    ...(action.message !== undefined ? { message: action.message } : {}),
  };
}

/**
 * Kubernetes Events and dashboard actions in one list, newest first. At the same instant an
 * action is listed below the events (it is their cause), so reading bottom-up gives
 * "you scaled", then "Create Pod kubia-2".
 */
export function mergeTimeline(events: CoreV1Event[], actions: ActionRecord[], limit = Infinity): TimelineEntry[] {
  const entries = newestFirst([...events.map(fromEvent), ...actions.map(fromAction)], limit);
  entries.sort((a, b) => b.at - a.at || (a.source === b.source ? b.id.localeCompare(a.id) : a.source === "event" ? -1 : 1));
  return entries.slice(0, limit);
}

/**
 * The entries that can be among the `limit` newest (ties at the limit included), for the full sort:
 * at 1,000 pods the page sorted 5,000 entries by time and id for each new event to show 80. The
 * times alone sort natively in a typed array.
 */
function newestFirst(entries: TimelineEntry[], limit: number): TimelineEntry[] {
  if (entries.length <= limit) return entries;
  const times = Float64Array.from(entries, (e) => e.at).sort();
  const oldestShown = times[times.length - limit];
  return entries.filter((e) => e.at >= oldestShown);
}
