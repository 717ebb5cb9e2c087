import { applyAction, applyMessages, type StreamMessage } from "@/lib/k8s/cache";
import type { ActionRecord, Snapshot, StreamStatus } from "@/lib/k8s/contract";

/**
 * The page's copy of the cluster, outside React: stream messages are queued and applied in batches
 * (applyMessages: O(changed) per batch; createFrameScheduler says when), then subscribers
 * (useSyncExternalStore) render once per batch.
 */

export type StreamState = "connecting" | "open" | "reconnecting";

export interface FeedState {
  snapshot?: Snapshot;
  stream: StreamState;
  streamStatus?: StreamStatus;
  snapshotError?: { reason: string; message: string };
}

type Scheduler = (flush: () => void) => void;

const HIDDEN_FLUSH_MS = 250;
const FRAME_FALLBACK_MS = 100;
interface SchedulerEnv {
  visible(): boolean;
  requestFrame(fn: () => void): void;
  setTimer(fn: () => void, ms: number): void;
  microtask(fn: () => void): void;
}

const browserEnv: SchedulerEnv = {
  visible: () => typeof requestAnimationFrame === "function" && typeof document !== "undefined" && !document.hidden,
  requestFrame: (fn) => requestAnimationFrame(fn),
  setTimer: (fn, ms) => void setTimeout(fn, ms),
  microtask: (fn) => queueMicrotask(fn),
};

/**
 * When to apply what the stream delivered. Leading edge: the first change after the page has shown
 * a frame since its last flush is applied at once (right after the message's task), so it is in the
 * DOM before the next frame starts, not a frame later. Otherwise it waits for the next animation
 * frame with everything else that arrives meanwhile: a burst (1,000 pods, or many messages parsed
 * from one network chunk in one task) renders once per frame. "A frame since", not "a while since":
 * React renders after the flush returns, so a clock would not see a long render and would flush
 * again for every message of the burst. In a hidden tab frames do not run: a slow timer flushes.
 * And a timer in any case, since a browser may withhold frames from a page it considers occluded.
 */
export function createFrameScheduler(env: SchedulerEnv = browserEnv): Scheduler {
  let frameSinceFlush = true;
  return (flush) => {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      frameSinceFlush = false;
      flush();
      if (env.visible()) env.requestFrame(() => (frameSinceFlush = true));
    };
    const visible = env.visible();
    if (visible && frameSinceFlush) return env.microtask(once);
    if (visible) env.requestFrame(once);
    env.setTimer(once, visible ? FRAME_FALLBACK_MS : HIDDEN_FLUSH_MS);
  };
}

export class ClusterFeed {
  private state: FeedState = { stream: "connecting" };
  private queue: StreamMessage[] = [];
  private scheduled = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly schedule: Scheduler = createFrameScheduler()) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): FeedState => this.state;

  /** The snapshot with everything queued applied (for handing to another tab). */
  current(): Snapshot | undefined {
    this.flush();
    return this.state.snapshot;
  }

  /** The event id the snapshot is at (to resume a stream from). */
  eventId(): number | undefined {
    return this.current()?.eventId;
  }

  push(message: StreamMessage): void {
    // A snapshot supersedes whatever is still queued.
    if (message.event === "snapshot") this.queue = [];
    if (message.event === "status") this.set({ streamStatus: message.data });
    if (message.event === "snapshot") {
      const kinds = message.data.status;
      const connected = Object.values(kinds).every((k) => k.synced && !k.error);
      this.set({ streamStatus: { connected, kinds }, snapshotError: undefined }, false);
    }
    this.queue.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  setStream(stream: StreamState): void {
    if (stream !== this.state.stream) this.set({ stream });
  }

  setSnapshotError(error: { reason: string; message: string } | undefined): void {
    this.set({ snapshotError: error });
  }

  recordAction(action: ActionRecord): void {
    const snapshot = this.current();
    if (snapshot) this.set({ snapshot: applyAction(snapshot, action) });
  }

  flush(): void {
    this.scheduled = false;
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    const before = this.state.snapshot;
    // Changes that arrive before the first snapshot wait for it (a follower tab between asking
    // the leader for its copy and receiving it); stale ones are then dropped by resourceVersion.
    const firstSnapshot = batch.findIndex((m) => m.event === "snapshot");
    if (!before && firstSnapshot < 0) {
      this.queue = batch.filter((m) => m.event === "change" || m.event === "action");
      return;
    }
    const ordered = !before && firstSnapshot > 0 ? [batch[firstSnapshot], ...batch.slice(0, firstSnapshot), ...batch.slice(firstSnapshot + 1)] : batch;
    const after = applyMessages(before, ordered);
    if (after !== before) this.set({ snapshot: after });
  }

  private set(patch: Partial<FeedState>, notify = true): void {
    this.state = { ...this.state, ...patch };
    if (notify) for (const l of [...this.listeners]) l();
  }
}
