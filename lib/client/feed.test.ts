import { describe, expect, it } from "vitest";
import { createFrameScheduler } from "./feed";

/** A scheduler environment whose frames, timers and microtasks the test runs by hand. */
function fakeEnv(visible = true) {
  const frames: (() => void)[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const microtasks: (() => void)[] = [];
  const env = {
    visible: () => visible,
    requestFrame: (fn: () => void) => void frames.push(fn),
    setTimer: (fn: () => void, ms: number) => void timers.push({ fn, ms }),
    microtask: (fn: () => void) => void microtasks.push(fn),
  };
  const run = (list: (() => void)[]) => list.splice(0).forEach((fn) => fn());
  return { env, frames, timers, microtasks, runFrame: () => run(frames), runMicrotasks: () => run(microtasks), runTimers: () => run(timers.splice(0).map((t) => t.fn)) };
}

describe("createFrameScheduler", () => {
  it("applies the first change after a frame at once, and coalesces what follows before the next frame into it", () => {
    const f = fakeEnv();
    const schedule = createFrameScheduler(f.env);
    const flushes: string[] = [];
    schedule(() => flushes.push("first"));
    f.runMicrotasks(); // right after the message's task: no frame waited for
    expect(flushes).toEqual(["first"]);
    schedule(() => flushes.push("second")); // no frame shown since: waits for the next one
    f.runMicrotasks();
    expect(flushes).toEqual(["first"]);
    f.runFrame();
    expect(flushes).toEqual(["first", "second"]);
    f.runTimers(); // the fallback timer of a flush already done does nothing
    expect(flushes).toEqual(["first", "second"]);
    f.runFrame(); // a frame shows after the second flush: the next change is applied at once
    schedule(() => flushes.push("third"));
    f.runMicrotasks();
    expect(flushes).toEqual(["first", "second", "third"]);
  });

  it("in a burst within one task, flushes once at once and then once per frame, however long each render takes", () => {
    const f = fakeEnv();
    const schedule = createFrameScheduler(f.env);
    let flushes = 0;
    // 500 messages parsed from one network chunk: each schedules when nothing is pending, and the
    // microtask checkpoint after each one runs what is due (the feed re-arms after each flush).
    let pending = false;
    for (let i = 0; i < 500; i++) {
      if (!pending) {
        pending = true;
        schedule(() => {
          pending = false;
          flushes++;
        });
      }
      f.runMicrotasks();
    }
    expect(flushes).toBe(1);
    f.runFrame();
    expect(flushes).toBe(2);
  });

  it("flushes a hidden tab on a slow timer only, never at once or by frame", () => {
    const f = fakeEnv(false);
    const schedule = createFrameScheduler(f.env);
    const flushes: number[] = [];
    schedule(() => flushes.push(1));
    f.runMicrotasks();
    expect(flushes).toEqual([]);
    expect(f.frames).toHaveLength(0);
    expect(f.timers.map((t) => t.ms)).toEqual([250]);
    f.runTimers();
    expect(flushes).toEqual([1]);
  });

  it("still flushes by timer when a visible page is withheld its frames", () => {
    const f = fakeEnv();
    const schedule = createFrameScheduler(f.env);
    schedule(() => {});
    f.runMicrotasks();
    const flushes: number[] = [];
    schedule(() => flushes.push(1)); // no frame since the last flush
    expect(f.timers.at(-1)?.ms).toBe(100);
    f.runTimers();
    expect(flushes).toEqual([1]);
  });
});
