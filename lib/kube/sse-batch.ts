import "server-only";
import { CHANGES_EVENT } from "@/lib/k8s/contract";
import type { HubMessage } from "./hub";

/**
 * Consecutive `change` messages sent as one `changes` frame. A browser's EventSource pays for every
 * frame (parsing, a MessageEvent, a dispatch, a microtask checkpoint): 1,000 pods starting are
 * about 27,000 changes in five seconds, and the page spent a 140 ms task on 1,350 of them that
 * arrived together, 37 ms of it in its own code. Batched, that is one frame per window.
 *
 * The first change after a quiet window goes out at once (a click's change is not delayed); the
 * changes that follow within BATCH_WINDOW_MS go together when the window ends. Every stream of
 * one hub flushes on the same tick, so streams that received the same run of changes share one
 * encoded frame, as they share every single-message frame.
 */
// One frame of a 60 Hz screen: a change that comes while a burst is being sent waits at most this,
// and the page still gets at most one frame of changes per frame it draws (50 ms made the first change
// of a scale during another cascade 13 ms slower at the median on the bench).
export const BATCH_WINDOW_MS = 16;
/**
 * A frame holds at most this much JSON (one change larger than it goes alone): the page parses a
 * frame in one piece, and a resume's replay (up to 32 MiB) must not become one long task.
 */
export const MAX_BATCH_BYTES = 256 * 1024;

/**
 * One stream's queue: the change messages it has not sent yet, and how it sends a frame. Anything
 * else the stream sends flushes the queue first, so a queue holds a run of consecutive ids (as the
 * contract says of a `changes` frame).
 */
export interface BatchQueue {
  pending: HubMessage[];
  send: (bytes: Uint8Array) => void;
}

const encoder = new TextEncoder();
/** Frames are encoded once per message, then shared by every subscriber. */
const frames = new WeakMap<HubMessage, Uint8Array>();

export function formatFrame(message: HubMessage): string {
  // JSON.stringify never emits raw newlines, so the payload is always a single data: line.
  return `id: ${message.id}\nevent: ${message.event}\ndata: ${message.data}\n\n`;
}

export function encodeFrame(message: HubMessage): Uint8Array {
  let bytes = frames.get(message);
  if (!bytes) {
    bytes = encoder.encode(formatFrame(message));
    frames.set(message, bytes);
  }
  return bytes;
}

/** The `changes` frame of a run of change messages (their data are JSON texts already). */
export function formatBatch(messages: readonly HubMessage[]): string {
  return `id: ${messages[messages.length - 1].id}\nevent: ${CHANGES_EVENT}\ndata: [${messages.map((m) => m.data).join(",")}]\n\n`;
}

export class ChangeBatcher {
  private readonly waiting = new Set<BatchQueue>();
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  private lastFlushAt = -Infinity;
  /** Batch frames of this tick by their run of ids (a queue holds consecutive change messages). */
  private batches = new Map<string, Uint8Array>();

  constructor(
    private readonly windowMs = BATCH_WINDOW_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  enqueue(queue: BatchQueue, message: HubMessage): void {
    queue.pending.push(message);
    this.waiting.add(queue);
    this.schedule();
  }

  /** Sends what `queue` holds now: before a message that must follow it (status, action), or at its end. */
  flush(queue: BatchQueue): void {
    this.waiting.delete(queue);
    const messages = queue.pending;
    if (!messages.length) return;
    queue.pending = [];
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < messages.length; i++) {
      bytes += messages[i].data.length;
      const last = i === messages.length - 1;
      if (!last && bytes + messages[i + 1].data.length <= MAX_BATCH_BYTES) continue;
      queue.send(i === start ? encodeFrame(messages[i]) : this.batchFrame(messages.slice(start, i + 1)));
      start = i + 1;
      bytes = 0;
    }
  }

  /** The stream ended: what it holds is dropped (its client resumes from the last id it got). */
  discard(queue: BatchQueue): void {
    this.waiting.delete(queue);
    queue.pending = [];
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastFlushAt + this.windowMs - this.now();
    // At once means after the current task: the changes one watch event fans into go together.
    this.timer = wait <= 0 ? setImmediate(this.flushAll) : setTimeout(this.flushAll, wait);
  }

  private readonly flushAll = (): void => {
    this.timer = undefined;
    this.lastFlushAt = this.now();
    for (const queue of [...this.waiting]) this.flush(queue);
    this.batches = new Map();
  };

  private batchFrame(messages: readonly HubMessage[]): Uint8Array {
    const key = `${messages[0].id}-${messages[messages.length - 1].id}`;
    let bytes = this.batches.get(key);
    if (!bytes) {
      bytes = encoder.encode(formatBatch(messages));
      this.batches.set(key, bytes);
    }
    return bytes;
  }
}

const batchers = new WeakMap<object, ChangeBatcher>();

/** The batcher shared by every stream of one hub. */
export function batcherFor(hub: object): ChangeBatcher {
  let batcher = batchers.get(hub);
  if (!batcher) batchers.set(hub, (batcher = new ChangeBatcher()));
  return batcher;
}
