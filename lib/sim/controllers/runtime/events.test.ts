import type { CoreV1Event } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { createTestContext } from "../../testing/context";
import type { StoredObject } from "../../store/store";
import { recordEvent } from "./events";

const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", uid: `uid-${name}`, resourceVersion: "1" } }) as StoredObject;

describe("recordEvent", () => {
  it("names every event of a burst within one millisecond apart (client-go's <object>.<UnixNano hex>)", () => {
    const ctx = createTestContext();
    // 300 different events about one object at the same clock reading: none may collide.
    for (let i = 0; i < 300; i++) recordEvent(ctx, pod("crowd-0"), "Normal", "Created", `message ${i}`, { component: "kubelet", host: "k8s-node1" });
    const events = ctx.store.list("events").items as unknown as CoreV1Event[];
    expect(events).toHaveLength(300);
    expect(new Set(events.map((e) => e.metadata.name)).size).toBe(300);
    for (const e of events) expect(e.metadata.name).toMatch(/^crowd-0\.[0-9a-f]{15,}$/);
  });

  it("aggregates the same reason and message for the same object into one Event with a count", () => {
    const ctx = createTestContext();
    for (let i = 0; i < 3; i++) recordEvent(ctx, pod("kubia-0"), "Warning", "BackOff", "Back-off restarting failed container", { component: "kubelet", host: "k8s-node1" });
    const events = ctx.store.list("events").items as unknown as CoreV1Event[];
    expect(events).toHaveLength(1);
    expect(events[0].count).toBe(3);
  });
});
