import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "@/lib/k8s/contract";
import { Hub } from "./hub";
import { eventStream } from "./sse";

/**
 * Subscriber bookkeeping of the event stream under every way a client can leave: a hub listener
 * (and its heartbeat timer) must exist exactly while a consumer reads the stream.
 */
const newHub = () => new Hub({ clusterInfo: () => ({}) as ClusterInfo, idBase: 1_000 });
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe("event stream subscriptions", () => {
  it("a consumer that cancels while the stream still waits for the first sync never subscribes", async () => {
    const hub = newHub();
    const gate = deferred();
    const stream = eventStream(hub, { before: gate.promise });
    await stream.cancel();
    gate.release();
    await tick();
    expect(hub.subscriberCount).toBe(0);
  });

  it("a request aborted while waiting for the first sync never subscribes", async () => {
    const hub = newHub();
    const gate = deferred();
    const abort = new AbortController();
    eventStream(hub, { before: gate.promise, signal: abort.signal });
    abort.abort();
    gate.release();
    await tick();
    expect(hub.subscriberCount).toBe(0);
  });

  it("subscribes while read and unsubscribes on cancel or abort", async () => {
    const hub = newHub();
    const first = eventStream(hub, {}).getReader();
    await first.read();
    const abort = new AbortController();
    const second = eventStream(hub, { signal: abort.signal }).getReader();
    await second.read();
    expect(hub.subscriberCount).toBe(2);
    await first.cancel();
    expect(hub.subscriberCount).toBe(1);
    abort.abort();
    await tick();
    expect(hub.subscriberCount).toBe(0);
    // What was queued before the abort is still delivered, then the stream ends.
    let chunks = 0;
    while (!(await second.read()).done) chunks++;
    expect(chunks).toBeLessThanOrEqual(2);
  });

  it("a thousand clients that come and go leave no subscriber behind", async () => {
    const hub = newHub();
    const gate = deferred();
    const streams = Array.from({ length: 1000 }, (_, i) => eventStream(hub, { before: i % 2 ? gate.promise : undefined }));
    await tick();
    await Promise.all(streams.map((s) => s.cancel()));
    gate.release();
    await tick();
    expect(hub.subscriberCount).toBe(0);
  });
});
