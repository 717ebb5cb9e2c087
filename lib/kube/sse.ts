import "server-only";
import type { Hub, HubMessage } from "./hub";
import { batcherFor, encodeFrame, type BatchQueue } from "./sse-batch";

/**
 * GET /api/stream as Server-Sent Events: `id:`/`event:`/`data:` frames from the hub, a heartbeat
 * comment every 15 s (proxies and browsers drop silent connections), `retry:` so EventSource
 * reconnects quickly, and resume with Last-Event-ID (header, or `?lastEventId=` for clients that
 * cannot set headers). A subscriber that cannot keep up is disconnected instead of buffering
 * without bound; it reconnects and resumes from its last id.
 */
export const HEARTBEAT_MS = 15_000;
export const RECONNECT_MS = 1_000;
/** Bytes queued for one client before it counts as stuck. */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();

export interface StreamOptions {
  lastEventId?: string | null;
  signal?: AbortSignal;
  /** Awaited before subscribing (e.g. the runtime's first sync), bounded by the caller. */
  before?: Promise<unknown>;
  heartbeatMs?: number;
}

export function eventStream(hub: Hub, options: StreamOptions): ReadableStream<Uint8Array> {
  let cleanup = () => {};
  // Shared with cancel(): a consumer that goes away while start() still awaits `before` must stop
  // it from subscribing afterwards (found by the H-SEC fuzz/soak tests: that leaked a hub listener
  // and a heartbeat timer per abandoned request).
  let closed = false;
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const close = () => {
          if (closed) return;
          closed = true;
          cleanup();
          try {
            controller.close();
          } catch {
            // Already closed or errored by the consumer.
          }
        };
        const send = (bytes: Uint8Array) => {
          if (closed) return;
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
            close();
            return;
          }
          try {
            controller.enqueue(bytes);
          } catch {
            close();
          }
        };
        if (options.signal?.aborted) return close();
        options.signal?.addEventListener("abort", close, { once: true });
        await options.before?.catch(() => undefined);
        if (closed || options.signal?.aborted) return close();

        send(encoder.encode(`retry: ${RECONNECT_MS}\n\n`));
        if (closed) return;
        // Changes go through the hub's batcher (sse-batch.ts); anything else after what it holds.
        const batcher = batcherFor(hub);
        const queue: BatchQueue = { pending: [], send };
        const deliver = (message: HubMessage) => {
          if (message.event === "change") return batcher.enqueue(queue, message);
          batcher.flush(queue);
          send(encodeFrame(message));
        };
        const subscription = hub.subscribe(options.lastEventId, deliver, close);
        const heartbeat = setInterval(() => send(encoder.encode(`: heartbeat ${Date.now()}\n\n`)), options.heartbeatMs ?? HEARTBEAT_MS);
        cleanup = () => {
          batcher.discard(queue);
          clearInterval(heartbeat);
          subscription.unsubscribe();
          options.signal?.removeEventListener("abort", close);
        };
        // A resume's replay of changes goes in batches as well.
        for (const message of subscription.initial) deliver(message);
      },
      cancel() {
        closed = true;
        cleanup();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

export function eventStreamResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: Next's gzip (the `compression` package) then leaves the stream unbuffered.
      "Cache-Control": "no-cache, no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
