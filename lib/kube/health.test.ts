import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiHealthCheck } from "./health";

/** The health check's state machine with a scripted probe and fake timers. */
afterEach(() => {
  vi.useRealTimers();
});

function scripted(outcomes: ("ok" | "timeout")[]) {
  const calls: number[] = [];
  const probe = async (timeoutMs: number) => {
    calls.push(timeoutMs);
    const next = outcomes.shift() ?? "ok";
    if (next === "timeout") throw new Error("the Kubernetes API server did not answer in time");
  };
  return { probe, calls };
}

describe("ApiHealthCheck", () => {
  it("reports down on every failed probe and up once when the server answers again", async () => {
    const { probe } = scripted(["ok", "timeout", "timeout", "ok", "ok"]);
    const events: string[] = [];
    const check = new ApiHealthCheck(probe, { onDown: (m) => events.push(`down: ${m}`), onUp: () => events.push("up") });
    for (let i = 0; i < 5; i++) await check.check();
    expect(events).toEqual(["down: the Kubernetes API server did not answer in time", "down: the Kubernetes API server did not answer in time", "up"]);
    expect(check.isDown).toBe(false);
  });

  it("never reports up without having been down", async () => {
    const { probe } = scripted(["ok", "ok"]);
    const onUp = vi.fn();
    const check = new ApiHealthCheck(probe, { onDown: vi.fn(), onUp });
    await check.check();
    await check.check();
    expect(onUp).not.toHaveBeenCalled();
  });

  it("probes on its interval with its timeout, one at a time, and stops", async () => {
    vi.useFakeTimers();
    let resolveProbe: (() => void) | undefined;
    const calls: number[] = [];
    const probe = (timeoutMs: number) => {
      calls.push(timeoutMs);
      return new Promise<void>((resolve) => (resolveProbe = resolve));
    };
    const check = new ApiHealthCheck(probe, { onDown: vi.fn(), onUp: vi.fn() }, { intervalMs: 1_000, timeoutMs: 700 });
    check.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([700]);
    // A slow probe: no second one while the first is pending.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
    resolveProbe!();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    check.stop();
    resolveProbe!();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
  });

  it("ignores outcomes that arrive after stop()", async () => {
    let fail!: () => void;
    const probe = () => new Promise<void>((_, reject) => (fail = () => reject(new Error("late"))));
    const onDown = vi.fn();
    const check = new ApiHealthCheck(probe, { onDown, onUp: vi.fn() });
    const pending = check.check();
    check.stop();
    fail();
    await pending;
    expect(onDown).not.toHaveBeenCalled();
  });
});
