import { describe, expect, it } from "vitest";
import { kindErrorsOf, reconnectDelay } from "./useCluster";

describe("reconnectDelay", () => {
  it("backs off exponentially from 1 s to 30 s, with ±25 % jitter", () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => reconnectDelay(a, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(reconnectDelay(0, () => 0)).toBe(750);
    expect(reconnectDelay(0, () => 1)).toBe(1250);
  });
});

describe("kindErrorsOf", () => {
  it("lists failing or unsynced watches", () => {
    expect(kindErrorsOf({ pods: { synced: true }, nodes: { synced: false, error: "forbidden" }, events: { synced: false } } as never)).toEqual([
      { kind: "nodes", error: "forbidden" },
      { kind: "events", error: "not synced yet" },
    ]);
    expect(kindErrorsOf(undefined)).toEqual([]);
  });
});
