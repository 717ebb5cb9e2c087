import { describe, expect, it } from "vitest";
import { createFrameScheduler } from "./feed";

/** A scheduler environment whose time, frames, timers and microtasks the test runs by hand. */
function fakeEnv(visible = true) {
  const frames: (() => void)[] = [];
  const timers: { fn: () => void; at: number }[] = [];
  const microtasks: (() => void)[] = [];
  const env = {
    t: 0,
    now: () => env.t,
    visible: () => visible,
    requestFrame: (fn: () => void) => void frames.push(fn),
    setTimer: (fn: () => void, ms: number) => void timers.push({ fn, at: env.t + ms }),
    microtask: (fn: () => void) => void microtasks.push(fn),
  };
  const run = (list: (() => void)[]) => list.splice(0).forEach((fn) => fn());
  return { env, frames, timers, microtasks, runFrame: () => run(frames), runMicrotasks: () => run(microtasks), runTimers: () => run(timers.splice(0).map((t) => t.fn)) };
}

describe("createFrameScheduler", () => {
  it("applies the first change after a quiet frame at once, and coalesces what follows within a frame into the next one", () => {
    const f = fakeEnv();
    const schedule = createFrameScheduler(f.env);
    const flushes: string[] = [];
    schedule(() => flushes.push("first"));
    expect(f.frames).toHaveLength(0);
    f.runMicrotasks(); // right after the message's task: no frame waited for
    expect(flushes).toEqual(["first"]);
    f.env.t = 5; // 5 ms later, another message: waits for the next frame
    schedule(() => flushes.push("second"));
    f.runMicrotasks();
    expect(flushes).toEqual(["first"]);
    f.env.t = 16;
    f.runFrame();
    expect(flushes).toEqual(["first", "second"]);
    f.runTimers(); // the fallback timer of a flush already done does nothing
    expect(flushes).toEqual(["first", "second"]);
    f.env.t = 100; // quiet again: at once
    schedule(() => flushes.push("third"));
    f.runMicrotasks();
    expect(flushes).toEqual(["first", "second", "third"]);
  });

  it("flushes a hidden tab on a slow timer only, never at once or by frame", () => {
    const f = fakeEnv(false);
    const schedule = createFrameScheduler(f.env);
    const flushes: number[] = [];
    schedule(() => flushes.push(1));
    f.runMicrotasks();
    expect(flushes).toEqual([]);
    expect(f.frames).toHaveLength(0);
    expect(f.timers.map((t) => t.at)).toEqual([250]);
    f.runTimers();
    expect(flushes).toEqual([1]);
  });

  it("still flushes by timer when a visible page is withheld its frames", () => {
    const f = fakeEnv();
    const schedule = createFrameScheduler(f.env);
    schedule(() => {});
    f.runMicrotasks();
    const flushes: number[] = [];
    schedule(() => flushes.push(1)); // within the frame of the last flush
    expect(f.timers.at(-1)?.at).toBe(100);
    f.runTimers();
    expect(flushes).toEqual([1]);
  });
});
