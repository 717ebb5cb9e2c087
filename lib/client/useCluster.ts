"use client";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { ActionRecord, KindStatus, Snapshot, WatchedKind } from "@/lib/k8s/contract";
import { ClusterFeed, type StreamState } from "./feed";
import { connectFeed } from "./stream";

/**
 * The cluster as the page sees it: a ClusterFeed fed by the browser's one shared event stream
 * (lib/client/stream.ts). The stream's first message is the snapshot, so the page loads it once
 * (a follower tab copies the leader's); `change` events are applied per animation frame, only to
 * the objects they touch. No polling: the stream is the only source of change.
 */

export { reconnectDelay } from "./stream";
export type { StreamState } from "./feed";

export interface ClusterConnection {
  /** The EventSource: connecting (first time), open, or reconnecting after a drop. */
  stream: StreamState;
  /** The server's watches are synced and the API server answers. */
  apiConnected: boolean;
  /** Kinds whose watch is failing, with the server's error text. */
  kindErrors: { kind: WatchedKind; error: string }[];
  /** The stream failed before delivering a snapshot, and the snapshot route says why. */
  snapshotError?: { reason: string; message: string };
}

export interface ClusterState extends ClusterConnection {
  snapshot?: Snapshot;
  /** Adds an action the page just performed (the stream will deliver it too; duplicates are dropped). */
  recordAction(action: ActionRecord): void;
}

export function kindErrorsOf(kinds: Record<WatchedKind, KindStatus> | undefined): { kind: WatchedKind; error: string }[] {
  return Object.entries(kinds ?? {}).flatMap(([kind, status]) =>
    status.error ? [{ kind: kind as WatchedKind, error: status.error }] : !status.synced ? [{ kind: kind as WatchedKind, error: "not synced yet" }] : [],
  );
}

export function useCluster(): ClusterState {
  const [feed] = useState(() => new ClusterFeed());
  useEffect(() => connectFeed(feed), [feed]);
  const state = useSyncExternalStore(feed.subscribe, feed.getState, feed.getState);
  const recordAction = useCallback((action: ActionRecord) => feed.recordAction(action), [feed]);

  const { snapshot, streamStatus } = state;
  const kinds = streamStatus?.kinds ?? snapshot?.status;
  const kindErrors = kindErrorsOf(kinds);
  return {
    snapshot,
    stream: state.stream,
    apiConnected: streamStatus ? streamStatus.connected : kindErrors.length === 0,
    kindErrors,
    ...(state.snapshotError && !snapshot ? { snapshotError: state.snapshotError } : {}),
    recordAction,
  };
}
