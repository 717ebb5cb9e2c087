import { type Clock, realClock } from "../clock";
import type { PodLogs } from "../context";

/** One line a container wrote, with the moment the runtime saw it (for `kubectl logs --timestamps`/`--since`). */
export interface LogEntry {
  time: number; // ms since the epoch, from the cluster clock
  line: string;
}

export interface PodLogBook extends PodLogs {
  /** The retained lines with their timestamps, oldest first. */
  entries(namespace: string, pod: string, container: string): LogEntry[];
}

/** Like the kubelet's log rotation, keep only the tail: a chatty pod must not grow the process without bound. */
export const DEFAULT_MAX_LINES_PER_CONTAINER = 1000;

const key = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

/**
 * Container logs of the simulated pods, by namespace/pod/container.
 *
 * `read` returns what `kubectl logs` prints: every line terminated by "\n", as the app's
 * `console.log` wrote it. Logs live on the node in a real cluster and go with the pod, so the
 * kubelet calls `clear` when a pod is gone; they are not persisted across restarts of the playground.
 */
export function createPodLogs(opts: { clock?: Clock; maxLinesPerContainer?: number } = {}): PodLogBook {
  const clock = opts.clock ?? realClock;
  const max = Math.max(1, opts.maxLinesPerContainer ?? DEFAULT_MAX_LINES_PER_CONTAINER);
  const logs = new Map<string, LogEntry[]>();
  return {
    append(namespace, pod, container, line) {
      const k = key(namespace, pod, container);
      let entries = logs.get(k);
      if (!entries) logs.set(k, (entries = []));
      // A "line" holding several lines is stored line by line, so the bound and --tail count real lines.
      for (const part of line.replace(/\n$/, "").split("\n")) entries.push({ time: clock.now(), line: part });
      if (entries.length > max) entries.splice(0, entries.length - max);
    },
    read(namespace, pod, container) {
      return (logs.get(key(namespace, pod, container)) ?? []).map((e) => e.line + "\n").join("");
    },
    entries(namespace, pod, container) {
      return (logs.get(key(namespace, pod, container)) ?? []).map((e) => ({ ...e }));
    },
    clear(namespace, pod) {
      const prefix = `${namespace}/${pod}/`;
      for (const k of [...logs.keys()]) if (k.startsWith(prefix)) logs.delete(k);
    },
  };
}
