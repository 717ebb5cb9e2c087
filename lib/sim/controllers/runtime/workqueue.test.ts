import { describe, expect, it } from "vitest";
import { ManualClock } from "../../clock";
import { WorkQueue } from "./workqueue";

describe("WorkQueue", () => {
  it("processes a key queued twice once", () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const q = new WorkQueue(clock, (k) => seen.push(k));
    q.add("a");
    q.add("a");
    q.add("b");
    clock.advance(0);
    expect(seen).toEqual(["a", "b"]);
  });

  it("runs a key again when it was re-added during processing", () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const q: WorkQueue = new WorkQueue(clock, (k) => {
      seen.push(k);
      if (seen.length === 1) q.add(k);
    });
    q.add("a");
    clock.advance(0);
    expect(seen).toEqual(["a", "a"]);
  });

  it("retries a failing key with growing back-off", () => {
    const clock = new ManualClock();
    let calls = 0;
    const q = new WorkQueue(clock, () => {
      calls++;
      throw new Error("boom");
    });
    q.add("a");
    clock.advance(0);
    expect(calls).toBe(1);
    clock.advance(5);
    expect(calls).toBe(2);
    clock.advance(9);
    expect(calls).toBe(2);
    clock.advance(1);
    expect(calls).toBe(3);
  });

  it("keeps the earlier deadline of two delayed adds", () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const q = new WorkQueue(clock, () => seen.push(clock.now()));
    const t0 = clock.now();
    q.addAfter("a", 100);
    q.addAfter("a", 500);
    clock.advance(1000);
    expect(seen).toEqual([t0 + 100]);
  });
});
