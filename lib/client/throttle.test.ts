import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ThrottledValue } from "./throttle";

describe("ThrottledValue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows the first change at once, then a burst's last value when the interval is over", () => {
    const gate = new ThrottledValue("v0", 500, () => Date.now());
    const seen: string[] = [];
    gate.subscribe(() => seen.push(gate.get()));
    gate.set("v1");
    expect(gate.get()).toBe("v1");
    for (let i = 2; i <= 40; i++) {
      vi.advanceTimersByTime(10);
      gate.set(`v${i}`);
    }
    expect(gate.get()).toBe("v1");
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(["v1", "v40"]);
    // Quiet for longer than the interval: the next change is at once again.
    vi.advanceTimersByTime(1_000);
    gate.set("v41");
    expect(seen).toEqual(["v1", "v40", "v41"]);
  });

  it("shows nothing when a burst ends where it began, and nothing after dispose", () => {
    const gate = new ThrottledValue("a", 500, () => Date.now());
    const seen: string[] = [];
    gate.subscribe(() => seen.push(gate.get()));
    gate.set("b");
    gate.set("c");
    gate.set("b");
    vi.advanceTimersByTime(600);
    expect(seen).toEqual(["b"]);
    gate.set("d");
    expect(seen).toEqual(["b", "d"]);
    gate.set("e");
    gate.dispose();
    vi.advanceTimersByTime(600);
    expect(seen).toEqual(["b", "d"]);
  });
});
