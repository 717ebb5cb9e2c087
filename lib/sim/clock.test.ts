import { describe, expect, it } from "vitest";
import { ManualClock, ScaledClock, STALL_THRESHOLD_MS } from "./clock";

function setup(speed = 1) {
  const wall = new ManualClock(0);
  const clock = new ScaledClock(wall, speed);
  const fired: string[] = [];
  return { wall, clock, fired };
}

describe("ScaledClock", () => {
  it("runs cluster time at the speed factor of the base clock", () => {
    const { wall, clock } = setup(10);
    wall.advance(1_000);
    expect(clock.now()).toBe(10_000);
    clock.set({ speed: 0.25 });
    wall.advance(4_000);
    expect(clock.now()).toBe(11_000);
  });

  it("fires a timer after its cluster duration divided by the speed", () => {
    const { wall, clock, fired } = setup(0.25);
    clock.setTimeout(() => fired.push("grace over"), 30_000);
    wall.advance(119_999);
    expect(fired).toEqual([]);
    wall.advance(1);
    expect(fired).toEqual(["grace over"]);
    expect(clock.now()).toBe(30_000);
  });

  it("reschedules pending timers by the cluster time they still have to wait when the speed changes", () => {
    const { wall, clock, fired } = setup(1);
    clock.setTimeout(() => fired.push("a"), 30_000);
    wall.advance(10_000); // 20 s of cluster time left
    clock.set({ speed: 10 });
    wall.advance(1_999);
    expect(fired).toEqual([]);
    wall.advance(1);
    expect(fired).toEqual(["a"]);
  });

  it("stands still while paused and resumes at the speed it had", () => {
    const { wall, clock, fired } = setup(2);
    clock.setTimeout(() => fired.push("a"), 10_000);
    wall.advance(1_000);
    const paused = clock.set({ paused: true });
    expect(paused).toMatchObject({ speed: 2, paused: true, clusterTime: 2_000 });
    wall.advance(3_600_000);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(2_000);
    expect(wall.pending()).toBe(0);
    clock.set({ paused: false });
    wall.advance(3_999);
    expect(fired).toEqual([]);
    wall.advance(1);
    expect(fired).toEqual(["a"]);
  });

  it("fires timers in due order and lets a timer schedule the next one", () => {
    const { wall, clock, fired } = setup(4);
    clock.setTimeout(() => fired.push("late"), 8_000);
    clock.setTimeout(() => {
      fired.push("early");
      clock.setTimeout(() => fired.push("chained"), 1_000);
    }, 4_000);
    wall.advance(2_000);
    expect(fired).toEqual(["early", "chained", "late"]);
  });

  it("cancels timers, also across speed changes", () => {
    const { wall, clock, fired } = setup(1);
    const handle = clock.setTimeout(() => fired.push("a"), 1_000);
    clock.set({ speed: 2 });
    clock.clearTimeout(handle);
    wall.advance(10_000);
    expect(fired).toEqual([]);
    expect(wall.pending()).toBe(0);
  });

  it("never goes backwards and reaches a timer's due time when it fires", () => {
    const { wall, clock } = setup(3);
    let at = 0;
    clock.setTimeout(() => (at = clock.now()), 1_000);
    wall.advance(334);
    expect(at).toBe(1_000);
    expect(clock.now()).toBeGreaterThanOrEqual(1_000);
  });

  it("counts the cluster time in which its timers fired late (the event loop stalled), and only that", () => {
    // A base clock whose timers run when the test says, however late: a stalled event loop.
    let wall = 0;
    const due: { at: number; fn: () => void }[] = [];
    const base = { now: () => wall, setTimeout: (fn: () => void, ms: number) => due.push({ at: wall + ms, fn }), clearTimeout: () => undefined };
    const clock = new ScaledClock(base, 10);
    const start = clock.now();
    const runDue = () => due.splice(0).forEach((t) => t.fn());
    clock.setTimeout(() => undefined, 1_000); // due 100 ms of wall later
    wall = 100;
    runDue(); // on time
    expect(clock.stalledSince(start)).toBe(0);
    clock.setTimeout(() => undefined, 1_000); // due at wall 200
    wall = 3_200; // the loop was busy for 3 s: the timer fires 3,000 ms (30 s of cluster time) late
    runDue();
    expect(clock.stalledSince(start)).toBe(30_000);
    // Only the part after `since` counts.
    expect(clock.stalledSince(start + 2_000 + 10_000)).toBe(20_000);
    // Late by less than the threshold is the machine's ordinary jitter, not a stall.
    clock.setTimeout(() => undefined, 1_000);
    wall += 100 + STALL_THRESHOLD_MS / 2;
    runDue();
    expect(clock.stalledSince(start)).toBe(30_000);
  });

  it("refuses speeds outside (0, 100]", () => {
    const { clock } = setup(1);
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 101]) expect(() => clock.set({ speed })).toThrow(/speed must be/);
    expect(() => new ScaledClock(new ManualClock(0), 0)).toThrow(/speed must be/);
    expect(clock.state().speed).toBe(1);
  });
});
