import type { StreamMessage } from "@/lib/k8s/cache";
import { CHANGES_EVENT, type Snapshot, type StreamChange, type StreamStatus } from "@/lib/k8s/contract";
import { describeError, fetchJson } from "./api";
import type { ClusterFeed, StreamState } from "./feed";

/**
 * One event stream per browser, shared by its tabs. A browser allows six HTTP/1.1 connections per
 * origin, so a stream per tab starves the seventh tab; and every tab's stream costs the server a
 * fan-out. The tabs elect a leader with a Web Lock (held while the tab lives, released by the
 * browser when it closes, so the next waiting tab takes over at once); the leader holds the
 * EventSource and relays every message on a BroadcastChannel. A new follower asks for the
 * leader's copy of the snapshot instead of loading it again. A new leader resumes the stream from
 * the event id its copy is at (the server replays, or sends a snapshot when that is too old).
 * Without Web Locks or BroadcastChannel every tab has its own stream, as before.
 */

export const STREAM_URL = "/api/stream";
export const SNAPSHOT_URL = "/api/snapshot";
export const CHANNEL = "sts-playground:stream";
const STREAM_EVENTS = ["snapshot", "change", CHANGES_EVENT, "status", "action", "cluster"] as const;
type StreamEvent = (typeof STREAM_EVENTS)[number];
const COPY_TIMEOUT_MS = 3_000;

type Relay =
  // The server's text, as it came: cloning a string for each tab is a copy, cloning the parsed
  // object a walk of it (at 1,000 pods the leader spent a tenth of its script time in postMessage).
  | { t: "message"; event: StreamEvent; data: string }
  | { t: "stream"; stream: StreamState }
  // What the leader relayed within one task, in order, as one postMessage (see connectFeed).
  | { t: "batch"; relays: Relay[] }
  | { t: "hello"; from: string }
  | { t: "welcome"; to: string; snapshot: Snapshot; stream: StreamState; streamStatus?: StreamStatus };

/** A frame's messages: one, or each change of a `changes` frame (the server's batch). */
function parseMessages(event: StreamEvent, text: string): StreamMessage[] {
  try {
    if (event !== CHANGES_EVENT) return [{ event, data: JSON.parse(text) } as StreamMessage];
    const changes: unknown = JSON.parse(text);
    return Array.isArray(changes) ? changes.map((data: StreamChange) => ({ event: "change", data })) : [];
  } catch {
    return [];
  }
}

/** Reconnect delays after the EventSource gave up (non-200 answer, network gone): 1 s … 30 s with jitter. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + random() * 0.5));
}

export type StreamRole = "solo" | "leader" | "follower";

/**
 * Opens the EventSource into `feed` (and to `relay` for followers). Resumes after `eventId()` when
 * the feed already has a snapshot. Returns the closer.
 */
export function openEventSource(feed: ClusterFeed, relay?: (r: Relay) => void): () => void {
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let disposed = false;
  let lastEventId = feed.eventId()?.toString();
  const setStream = (stream: StreamState) => {
    feed.setStream(stream);
    relay?.({ t: "stream", stream });
  };

  // Without a snapshot yet, a failing stream says nothing about why: ask the snapshot route, whose
  // error carries the reason (and whose answer, if it works after all, is the snapshot).
  const explainFailure = () => {
    if (feed.getState().snapshot) return;
    fetchJson<Snapshot>(SNAPSHOT_URL).then(
      (snapshot) => !disposed && !feed.getState().snapshot && feed.push({ event: "snapshot", data: snapshot }),
      (err) => !disposed && feed.setSnapshotError(describeError(err)),
    );
  };

  const connect = () => {
    if (disposed) return;
    // The browser sends Last-Event-ID itself when it reconnects; a new EventSource needs the query.
    const url = lastEventId ? `${STREAM_URL}?lastEventId=${encodeURIComponent(lastEventId)}` : STREAM_URL;
    const es = new EventSource(url);
    source = es;
    es.onopen = () => {
      attempt = 0;
      setStream("open");
    };
    es.onerror = () => {
      if (disposed) return;
      setStream("reconnecting");
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (e.g. a 503), so do it here.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        explainFailure();
        retryTimer = setTimeout(connect, reconnectDelay(attempt++));
      }
    };
    for (const name of STREAM_EVENTS) {
      es.addEventListener(name, (e) => {
        const event = e as MessageEvent<string>;
        if (event.lastEventId) lastEventId = event.lastEventId;
        const messages = parseMessages(name, event.data);
        if (!messages.length) return;
        for (const message of messages) feed.push(message);
        relay?.({ t: "message", event: name, data: event.data });
      });
    }
  };

  connect();
  return () => {
    disposed = true;
    source?.close();
    if (retryTimer) clearTimeout(retryTimer);
  };
}

function canShare(): boolean {
  return typeof BroadcastChannel === "function" && typeof navigator !== "undefined" && !!navigator.locks?.request;
}

/**
 * Connects the feed: leader or follower when the browser can share, solo otherwise. `onRole`
 * reports the role as it changes (a follower becomes leader when the leader's tab closes).
 */
export function connectFeed(feed: ClusterFeed, onRole?: (role: StreamRole) => void): () => void {
  if (!canShare()) {
    onRole?.("solo");
    return openEventSource(feed);
  }
  const id = Math.random().toString(36).slice(2);
  const channel = new BroadcastChannel(CHANNEL);
  // The leader's relays are posted once per task: a BroadcastChannel message is a round trip
  // through the browser process whether or not another tab listens, and an EventSource delivers a
  // burst (1,000 pods starting) as hundreds of events in one task. One post per event cost the
  // leader 0.9 s of its main thread over a 1,000-pod scale-up. A MessageChannel task, unlike a
  // timer, is not throttled in a background tab, so followers stay as live as before.
  let pending: Relay[] = [];
  const flushRelays = () => {
    const relays = pending;
    if (!relays.length) return;
    pending = [];
    channel.postMessage(relays.length === 1 ? relays[0] : { t: "batch", relays });
  };
  const tick = new MessageChannel();
  tick.port1.onmessage = flushRelays;
  const relay = (r: Relay) => {
    if (!pending.length) tick.port2.postMessage(null);
    pending.push(r);
  };
  // Anything else goes out at once, after what is queued (a welcome's snapshot includes it).
  const post = (r: Relay) => {
    flushRelays();
    channel.postMessage(r);
  };
  let leading = false;
  let closeSource: (() => void) | undefined;
  let waitingForCopy = true;
  const askers = new Set<string>();

  const welcome = () => {
    const snapshot = feed.current();
    if (!snapshot) return;
    const { stream, streamStatus } = feed.getState();
    for (const to of askers) post({ t: "welcome", to, snapshot, stream, streamStatus });
    askers.clear();
  };
  const unsubscribe = feed.subscribe(() => {
    if (leading && askers.size) welcome();
  });

  channel.onmessage = (e: MessageEvent<Relay>) => {
    if (e.data.t === "batch") e.data.relays.forEach(receive);
    else receive(e.data);
  };
  function receive(r: Relay) {
    // Every tab notes who is waiting for a copy: a hello sent while the lock is changing hands is
    // answered by whichever tab becomes the leader.
    if (r.t === "hello") askers.add(r.from);
    if (r.t === "welcome") askers.delete(r.to);
    if (leading) {
      if (r.t === "hello") welcome();
      return;
    }
    if (waitingForCopy && (r.t === "stream" || r.t === "message")) awaitCopy();
    if (r.t === "message") for (const message of parseMessages(r.event, r.data)) feed.push(message);
    else if (r.t === "stream") feed.setStream(r.stream);
    else if (r.t === "welcome" && r.to === id && waitingForCopy) {
      waitingForCopy = false;
      if (r.streamStatus) feed.push({ event: "status", data: r.streamStatus });
      feed.push({ event: "snapshot", data: r.snapshot });
      feed.setStream(r.stream);
    }
  }

  const release = new AbortController();
  onRole?.("follower");
  post({ t: "hello", from: id });
  // A leader that cannot answer (its tab frozen in the background): load the snapshot directly.
  // Any word from a leader (its stream state, a relayed message) restarts the wait: a leader still
  // connecting on a busy machine is worth waiting for, a silent one is not.
  let copyTimer: ReturnType<typeof setTimeout> | undefined;
  const awaitCopy = () => {
    clearTimeout(copyTimer);
    copyTimer = setTimeout(() => {
      if (leading || feed.getState().snapshot || !waitingForCopy) return;
      waitingForCopy = false;
      fetchJson<Snapshot>(SNAPSHOT_URL).then(
        (snapshot) => feed.push({ event: "snapshot", data: snapshot }),
        (err) => feed.setSnapshotError(describeError(err)),
      );
    }, COPY_TIMEOUT_MS);
  };
  awaitCopy();

  navigator.locks
    .request(CHANNEL, { signal: release.signal }, () => {
      leading = true;
      onRole?.("leader");
      post({ t: "stream", stream: feed.getState().stream });
      closeSource = openEventSource(feed, relay);
      welcome();
      // Held until this tab goes away (or disconnects): the browser then hands the lock on.
      return new Promise<void>((resolve) => release.signal.addEventListener("abort", () => resolve()));
    })
    .catch(() => {
      // Aborted while waiting: this tab is closing.
    });

  return () => {
    clearTimeout(copyTimer);
    release.abort();
    closeSource?.();
    unsubscribe();
    flushRelays();
    tick.port1.close();
    channel.close();
  };
}
