"use client";
import { useCallback, useEffect, useState } from "react";
import useSWR from "swr";
import { applyAction, applyMessages, type StreamMessage } from "@/lib/k8s/cache";
import type { ActionRecord, KindStatus, Snapshot, StreamStatus, WatchedKind } from "@/lib/k8s/contract";
import { describeError, fetchJson } from "./api";

/**
 * The cluster as the page sees it: SWR holds the snapshot (GET /api/snapshot) and one
 * EventSource on /api/stream keeps it current — `change` events are applied to the cached
 * objects, `snapshot` replaces them, `status` tracks the server's watches, `action` feeds the
 * timeline. No polling: SWR never revalidates by itself, the stream is the only source of change.
 */

export const SNAPSHOT_KEY = "/api/snapshot";
export const STREAM_URL = "/api/stream";
/** Changes that arrive together (a scale touches pods, PVCs, events, slices) render once. */
const FLUSH_MS = 30;
const STREAM_EVENTS = ["snapshot", "change", "status", "action", "cluster"] as const;

export type StreamState = "connecting" | "open" | "reconnecting";

export interface ClusterConnection {
  /** The EventSource: connecting (first time), open, or reconnecting after a drop. */
  stream: StreamState;
  /** The server's watches are synced and the API server answers. */
  apiConnected: boolean;
  /** Kinds whose watch is failing, with the server's error text. */
  kindErrors: { kind: WatchedKind; error: string }[];
  /** GET /api/snapshot failed (and the stream has not delivered one either). */
  snapshotError?: { reason: string; message: string };
}

export interface ClusterState extends ClusterConnection {
  snapshot?: Snapshot;
  /** Adds an action the page just performed (the stream will deliver it too; duplicates are dropped). */
  recordAction(action: ActionRecord): void;
}

/** Reconnect delays after the EventSource gave up (non-200 answer, network gone): 1 s … 30 s with jitter. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + random() * 0.5));
}

export function kindErrorsOf(kinds: Record<WatchedKind, KindStatus> | undefined): { kind: WatchedKind; error: string }[] {
  return Object.entries(kinds ?? {}).flatMap(([kind, status]) =>
    status.error ? [{ kind: kind as WatchedKind, error: status.error }] : !status.synced ? [{ kind: kind as WatchedKind, error: "not synced yet" }] : [],
  );
}

export function useCluster(): ClusterState {
  const { data, error, mutate } = useSWR<Snapshot>(SNAPSHOT_KEY, fetchJson, {
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    revalidateIfStale: false,
    errorRetryInterval: 2_000,
  });
  const [stream, setStream] = useState<StreamState>("connecting");
  const [streamStatus, setStreamStatus] = useState<StreamStatus>();

  useEffect(() => {
    let source: EventSource | undefined;
    let lastEventId: string | undefined;
    let queue: StreamMessage[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let disposed = false;

    const flush = () => {
      flushTimer = undefined;
      const batch = queue;
      queue = [];
      if (batch.length > 0) void mutate((current) => applyMessages(current, batch), { revalidate: false });
    };
    const enqueue = (message: StreamMessage) => {
      // A snapshot supersedes whatever is still queued.
      if (message.event === "snapshot") queue = [];
      queue.push(message);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
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
          retryTimer = setTimeout(connect, reconnectDelay(attempt++));
        }
      };
      for (const name of STREAM_EVENTS) {
        es.addEventListener(name, (e) => {
          const message = e as MessageEvent<string>;
          if (message.lastEventId) lastEventId = message.lastEventId;
          let payload: unknown;
          try {
            payload = JSON.parse(message.data);
          } catch {
            return;
          }
          if (name === "status") setStreamStatus(payload as StreamStatus);
          if (name === "snapshot") {
            const kinds = (payload as Snapshot).status;
            setStreamStatus({ connected: kindErrorsOf(kinds).length === 0, kinds });
          }
          enqueue({ event: name, data: payload } as StreamMessage);
        });
      }
    };

    connect();
    return () => {
      disposed = true;
      source?.close();
      if (flushTimer) clearTimeout(flushTimer);
      if (retryTimer) clearTimeout(retryTimer);
    };
  }, [mutate]);

  const recordAction = useCallback(
    (action: ActionRecord) => void mutate((current) => (current ? applyAction(current, action) : current), { revalidate: false }),
    [mutate],
  );

  const kinds = streamStatus?.kinds ?? data?.status;
  const kindErrors = kindErrorsOf(kinds);
  return {
    snapshot: data,
    stream,
    apiConnected: streamStatus ? streamStatus.connected : kindErrors.length === 0,
    kindErrors,
    ...(error && !data ? { snapshotError: describeError(error) } : {}),
    recordAction,
  };
}
