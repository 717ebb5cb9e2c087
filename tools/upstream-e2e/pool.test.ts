import { describe, expect, it } from "vitest";
import { inPool } from "./pool";

describe("inPool", () => {
  it("never runs more than its width at once, runs every item once and keeps their order", async () => {
    let running = 0;
    let widest = 0;
    const seen: number[] = [];
    const results = await inPool([5, 1, 4, 2, 3, 0], 3, async (delay, i) => {
      running++;
      widest = Math.max(widest, running);
      seen.push(i);
      await new Promise((resolve) => setTimeout(resolve, delay * 5));
      running--;
      return delay * 10;
    });
    expect(widest).toBe(3);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
  });

  it("runs one at a time at width 1, and nothing for no items", async () => {
    const order: string[] = [];
    await inPool(["a", "b"], 1, async (x) => {
      order.push(`start ${x}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      order.push(`end ${x}`);
    });
    expect(order).toEqual(["start a", "end a", "start b", "end b"]);
    expect(await inPool([], 4, async () => 1)).toEqual([]);
  });
});
