import { describe, expect, it } from "vitest";
import { toIso, toMillis } from "./time";

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
