"use client";
import { useCallback, useMemo, useState } from "react";
import type { Snapshot } from "@/lib/k8s/contract";
import { causeOf, snapshotAt, type History } from "@/lib/k8s/replay";
import { api } from "./api";
import { useAction } from "./useAction";

export interface Replay {
  /** The history being replayed, or undefined when the page is live. */
  history?: History;
  /** The entry whose moment is shown (−1: the state before the first entry). */
  index: number;
  /** The snapshot to draw: the live one, or the recorded state at `index`. */
  view?: Snapshot;
  /** The timeline id of the Kubernetes Event that explains the change shown (see causeOf). */
  cause?: string;
  loading: boolean;
  error: ReturnType<typeof useAction>["error"];
  /** Loads the history and shows its last moment (then `step`/`seek` move through it). */
  start(stepBack?: boolean): void;
  step(delta: number): void;
  seek(index: number): void;
  live(): void;
}

/**
 * Replay of the namespace's recorded watch events (GET /api/history, fetched when replay starts):
 * the page draws any past moment with the same components as the live one. The live snapshot keeps
 * updating underneath; `live()` returns to it.
 */
export function useReplay(liveSnapshot: Snapshot | undefined): Replay {
  const [history, setHistory] = useState<History>();
  const [index, setIndex] = useState(-1);
  const { run, pending, error } = useAction();
  const last = history ? history.entries.length - 1 : -1;

  const start = useCallback(
    (stepBack = false) => {
      void run(async () => {
        const loaded = await api.history();
        setHistory(loaded);
        setIndex(Math.max(-1, loaded.entries.length - 1 - (stepBack ? 1 : 0)));
      });
    },
    [run],
  );
  const seek = useCallback((next: number) => setIndex(Math.max(-1, Math.min(last, next))), [last]);
  const step = useCallback((delta: number) => setIndex((current) => Math.max(-1, Math.min(last, current + delta))), [last]);
  const live = useCallback(() => setHistory(undefined), []);
  const view = useMemo(() => (history && liveSnapshot ? snapshotAt(history, index, liveSnapshot) : liveSnapshot), [history, index, liveSnapshot]);
  const cause = useMemo(() => (history ? causeOf(history, index) : undefined), [history, index]);
  return { history, index, view, cause, loading: pending, error, start, step, seek, live };
}
