import type { StreamMessage } from "@/lib/k8s/cache";
import type { Snapshot, StreamStatus } from "@/lib/k8s/contract";
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
const STREAM_EVENTS = ["snapshot", "change", "status", "action", "cluster"] as const;
const COPY_TIMEOUT_MS = 3_000;

type Relay =
  // The server's text, as it came: cloning a string for each tab is a copy, cloning the parsed
  // object a walk of it (at 1,000 pods the leader spent a tenth of its script time in postMessage).
  | { t: "message"; event: StreamMessage["event"]; data: string }
  | { t: "stream"; stream: StreamState }
  | { t: "hello"; from: string }
  | { t: "welcome"; to: string; snapshot: Snapshot; stream: StreamState; streamStatus?: StreamStatus };

function parseMessage(event: StreamMessage["event"], text: string): StreamMessage | undefined {
  try {
    return { event, data: JSON.parse(text) } as StreamMessage;
  } catch {
    return undefined;
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
        const message = parseMessage(name, event.data);
        if (!message) return;
        feed.push(message);
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
  const post = (r: Relay) => channel.postMessage(r);
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
    const r = e.data;
    // Every tab notes who is waiting for a copy: a hello sent while the lock is changing hands is
    // answered by whichever tab becomes the leader.
    if (r.t === "hello") askers.add(r.from);
    if (r.t === "welcome") askers.delete(r.to);
    if (leading) {
      if (r.t === "hello") welcome();
      return;
    }
    if (waitingForCopy && (r.t === "stream" || r.t === "message")) awaitCopy();
    if (r.t === "message") {
      const message = parseMessage(r.event, r.data);
      if (message) feed.push(message);
    }
    else if (r.t === "stream") feed.setStream(r.stream);
    else if (r.t === "welcome" && r.to === id && waitingForCopy) {
      waitingForCopy = false;
      if (r.streamStatus) feed.push({ event: "status", data: r.streamStatus });
      feed.push({ event: "snapshot", data: r.snapshot });
      feed.setStream(r.stream);
    }
  };

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
      closeSource = openEventSource(feed, post);
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
    channel.close();
  };
}
