import { describe, expect, it } from "vitest";
import { at, T0 } from "./testing/fixtures";
import { formatAge, humanDuration, toIso, toMillis } from "./time";

describe("toMillis / toIso", () => {
  it("reads Dates (server) and ISO strings (browser) alike", () => {
    const ms = Date.UTC(2026, 0, 1, 12);
    expect(toMillis(new Date(ms))).toBe(ms);
    expect(toMillis("2026-01-01T12:00:00Z")).toBe(ms);
    expect(toMillis(ms)).toBe(ms);
    expect(toIso("2026-01-01T12:00:00Z")).toBe("2026-01-01T12:00:00.000Z");
  });
  it("is undefined for missing or broken timestamps", () => {
    for (const bad of [undefined, null, "", "yesterday", new Date("x"), Number.NaN, {}]) expect(toMillis(bad)).toBeUndefined();
    expect(toIso(undefined)).toBeUndefined();
  });
});

describe("humanDuration / formatAge like kubectl", () => {
  it.each([
    [0, "0s"],
    [-1500, "0s"],
    [-5000, "<invalid>"],
    [5_000, "5s"],
    [119_000, "119s"],
    [182_000, "3m2s"],
    [300_000, "5m"],
    [15 * 60_000, "15m"],
    [179 * 60_000, "179m"],
    [5 * 3600_000 + 3 * 60_000, "5h3m"],
    [10 * 3600_000, "10h"],
    [2 * 86400_000, "2d"],
    [3 * 86400_000 + 4 * 3600_000, "3d4h"],
    [400 * 86400_000, "400d"],
    [(2 * 365 + 10) * 86400_000, "2y10d"],
    [9 * 365 * 86400_000, "9y"],
  ])("%i ms → %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
  it("formats from ISO strings and Dates, <unknown> without one", () => {
    expect(formatAge(at(0), T0 + 5_000)).toBe("5s");
    expect(formatAge(new Date(T0), T0 + 182_000)).toBe("3m2s");
    expect(formatAge(undefined, T0)).toBe("<unknown>");
    expect(formatAge("not a date", T0)).toBe("<unknown>");
  });
});
