import { describe, expect, it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import type { ClusterInfo } from "@/lib/k8s/contract";
import { Hub } from "./hub";
import { MAX_QUEUED_BYTES, eventStream, eventStreamResponse } from "./sse";

const cluster = { mode: "embedded", namespace: "default", context: "embedded" } as ClusterInfo;
const pod = (name: string, rv: string): V1Pod => ({ metadata: { name, namespace: "default", resourceVersion: rv } });

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Reads SSE frames as EventSource would parse them. */
async function readFrames(stream: ReadableStream<Uint8Array>, count: number): Promise<Frame[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const frames: Frame[] = [];
  while (frames.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf("\n\n")) >= 0 && frames.length < count) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const frame: Frame = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comment = line.slice(1).trim();
        else {
          const [field, ...rest] = line.split(": ");
          (frame as Record<string, string>)[field] = rest.join(": ");
        }
      }
      frames.push(frame);
    }
  }
  reader.releaseLock();
  return frames;
}

describe("event stream", () => {
  it("starts with retry and a snapshot, then live changes with ids", async () => {
    const hub = new Hub({ clusterInfo: () => cluster, idBase: 500 });
    hub.apply("pods", "ADDED", pod("a", "1"));
    const controller = new AbortController();
    const stream = eventStream(hub, { signal: controller.signal });
    const head = await readFrames(stream, 2);
    expect(head[0].retry).toBeDefined();
    expect(head[1].event).toBe("snapshot");
    expect(head[1].id).toBe("501");
    expect(JSON.parse(head[1].data!).objects.pods).toHaveLength(1);
    hub.apply("pods", "ADDED", pod("b", "2"));
    const [change] = await readFrames(stream, 1);
    expect(change).toMatchObject({ id: "502", event: "change" });
    expect(JSON.parse(change.data!)).toMatchObject({ kind: "pods", type: "ADDED", object: { metadata: { name: "b" } } });
    controller.abort();
    expect(hub.subscriberCount).toBe(0);
  });

  it("resumes from Last-Event-ID without a snapshot", async () => {
    const hub = new Hub({ clusterInfo: () => cluster, idBase: 500 });
    hub.apply("pods", "ADDED", pod("a", "1"));
    hub.apply("pods", "ADDED", pod("b", "2"));
    const controller = new AbortController();
    const frames = await readFrames(eventStream(hub, { lastEventId: "501", signal: controller.signal }), 2);
    expect(frames[1]).toMatchObject({ id: "502", event: "change" });
    controller.abort();
  });

  it("sends heartbeat comments", async () => {
    const hub = new Hub({ clusterInfo: () => cluster });
    const controller = new AbortController();
    const frames = await readFrames(eventStream(hub, { signal: controller.signal, heartbeatMs: 10 }), 3);
    expect(frames[2].comment).toMatch(/^heartbeat/);
    controller.abort();
  });

  it("unsubscribes when the consumer cancels", async () => {
    const hub = new Hub({ clusterInfo: () => cluster });
    const stream = eventStream(hub, {});
    await readFrames(stream, 2);
    expect(hub.subscriberCount).toBe(1);
    await stream.cancel();
    expect(hub.subscriberCount).toBe(0);
  });

  it("never subscribes when the request is already aborted", async () => {
    const hub = new Hub({ clusterInfo: () => cluster });
    const controller = new AbortController();
    controller.abort();
    const frames = await readFrames(eventStream(hub, { signal: controller.signal }), 1);
    expect(frames).toEqual([]);
    expect(hub.subscriberCount).toBe(0);
  });

  it("sends the changes of one task as one `changes` frame (ids run on; the frame has the last), then a status after them", async () => {
    const hub = new Hub({ clusterInfo: () => cluster, idBase: 700 });
    const controller = new AbortController();
    const stream = eventStream(hub, { signal: controller.signal });
    await readFrames(stream, 2);
    for (let i = 0; i < 5; i++) hub.apply("pods", "ADDED", pod(`p${i}`, String(i + 1)));
    hub.setStatus("pods", { synced: false, error: "watch broken" });
    const [batch, status] = await readFrames(stream, 2);
    expect(batch).toMatchObject({ id: "705", event: "changes" });
    expect(JSON.parse(batch.data!).map((c: { object: V1Pod }) => c.object.metadata?.name)).toEqual(["p0", "p1", "p2", "p3", "p4"]);
    expect(status).toMatchObject({ id: "706", event: "status" });
    controller.abort();
  });

  it("disconnects a client that stops reading instead of queueing without bound", async () => {
    const hub = new Hub({ clusterInfo: () => cluster });
    const stream = eventStream(hub, {});
    await readFrames(stream, 2);
    const big = "x".repeat(64 * 1024);
    for (let i = 0; i * big.length < MAX_QUEUED_BYTES * 1.5; i++) {
      hub.apply("pods", "MODIFIED", { ...pod("a", String(i + 1)), metadata: { name: "a", namespace: "default", resourceVersion: String(i + 1), annotations: { big } } });
    }
    // Changes go out in batches after the current task (sse-batch.ts): the bound is checked then.
    await new Promise((resolve) => setImmediate(resolve));
    expect(hub.subscriberCount).toBe(0);
  });

  it("responds with event-stream headers that keep proxies and gzip from buffering", () => {
    const res = eventStreamResponse(new ReadableStream());
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toContain("no-transform");
  });
});
