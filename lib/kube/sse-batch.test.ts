import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HubMessage } from "./hub";
import { BATCH_WINDOW_MS, ChangeBatcher, MAX_BATCH_BYTES, type BatchQueue } from "./sse-batch";

const decoder = new TextDecoder();
const change = (id: number, name = `pod-${id}`, pad = 0): HubMessage => ({ id, event: "change", data: JSON.stringify({ kind: "pods", type: "MODIFIED", object: { metadata: { name }, pad: "x".repeat(pad) } }) });

/** A queue that records the frames it sends, as text and as the bytes themselves. */
function recorder(): BatchQueue & { texts: string[]; bytes: Uint8Array[] } {
  const texts: string[] = [];
  const bytes: Uint8Array[] = [];
  return { pending: [], texts, bytes, send: (b) => (bytes.push(b), texts.push(decoder.decode(b))) };
}

const frameOf = (text: string) => ({ id: /^id: (\d+)$/m.exec(text)?.[1], event: /^event: (\S+)$/m.exec(text)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(text)![1]) });

describe("ChangeBatcher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends a lone change at once, as a `change` frame", () => {
    const batcher = new ChangeBatcher(BATCH_WINDOW_MS, () => Date.now());
    const q = recorder();
    batcher.enqueue(q, change(1));
    expect(q.texts).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(q.texts.map(frameOf)).toEqual([{ id: "1", event: "change", data: expect.objectContaining({ kind: "pods" }) }]);
  });

  it("sends the changes that follow within the window as one `changes` frame, in order, with the last id", () => {
    const batcher = new ChangeBatcher(50, () => Date.now());
    const q = recorder();
    batcher.enqueue(q, change(1));
    vi.advanceTimersByTime(0);
    for (let id = 2; id <= 40; id++) {
      vi.advanceTimersByTime(1);
      batcher.enqueue(q, change(id));
    }
    expect(q.texts).toHaveLength(1);
    vi.advanceTimersByTime(50);
    expect(q.texts).toHaveLength(2);
    const batch = frameOf(q.texts[1]);
    expect(batch.event).toBe("changes");
    expect(batch.id).toBe("40");
    expect(batch.data.map((c: { object: { metadata: { name: string } } }) => c.object.metadata.name)).toEqual(Array.from({ length: 39 }, (_, i) => `pod-${i + 2}`));
  });

  it("flushes what a stream holds before a message that must follow it", () => {
    const batcher = new ChangeBatcher(BATCH_WINDOW_MS, () => Date.now());
    const q = recorder();
    batcher.enqueue(q, change(1));
    vi.advanceTimersByTime(0);
    batcher.enqueue(q, change(2));
    batcher.enqueue(q, change(3));
    batcher.flush(q);
    q.send(new TextEncoder().encode("id: 4\nevent: status\ndata: {}\n\n"));
    vi.advanceTimersByTime(BATCH_WINDOW_MS * 2);
    expect(q.texts.map((t) => frameOf(t).id)).toEqual(["1", "3", "4"]);
  });

  it("gives streams that received the same changes the same encoded frame", () => {
    const batcher = new ChangeBatcher(BATCH_WINDOW_MS, () => Date.now());
    const streams = [recorder(), recorder(), recorder()];
    for (const id of [1, 2, 3]) for (const q of streams) batcher.enqueue(q, change(id));
    vi.advanceTimersByTime(0);
    expect(streams[0].bytes).toHaveLength(1);
    expect(streams[1].bytes[0]).toBe(streams[0].bytes[0]);
    expect(streams[2].bytes[0]).toBe(streams[0].bytes[0]);
  });

  it("cuts a long run into frames of at most MAX_BATCH_BYTES of JSON", () => {
    const batcher = new ChangeBatcher(BATCH_WINDOW_MS, () => Date.now());
    const q = recorder();
    const big = Array.from({ length: 50 }, (_, i) => change(i + 1, `p${i}`, 20_000));
    for (const m of big) batcher.enqueue(q, m);
    vi.advanceTimersByTime(0);
    const frames = q.texts.map(frameOf);
    expect(frames.length).toBeGreaterThan(1);
    for (const text of q.texts) expect(/^data: (.*)$/m.exec(text)![1].length).toBeLessThanOrEqual(MAX_BATCH_BYTES + 2);
    expect(frames.flatMap((f) => (f.event === "changes" ? f.data : [f.data])).map((c: { object: { metadata: { name: string } } }) => c.object.metadata.name)).toEqual(big.map((_, i) => `p${i}`));
    expect(frames.at(-1)!.id).toBe("50");
  });

  it("drops what a closed stream holds", () => {
    const batcher = new ChangeBatcher(BATCH_WINDOW_MS, () => Date.now());
    const q = recorder();
    batcher.enqueue(q, change(1));
    batcher.discard(q);
    vi.advanceTimersByTime(BATCH_WINDOW_MS);
    expect(q.texts).toEqual([]);
  });
});
