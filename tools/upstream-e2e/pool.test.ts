import { describe, expect, it } from "vitest";
import { inPool, inPoolSerialLast } from "./pool";

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

describe("inPoolSerialLast", () => {
  it("runs the items it must run alone after the others, one at a time, and keeps the order of results", async () => {
    let running = 0;
    const log: string[] = [];
    const items = ["a", "S1", "b", "c", "S2"];
    const results = await inPoolSerialLast(items, 3, (x) => x.startsWith("S"), async (x) => {
      running++;
      log.push(`${x}:${running}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return x.toLowerCase();
    });
    expect(results).toEqual(["a", "s1", "b", "c", "s2"]);
    // The shared ones overlapped; each serial one started with nothing else running, after them.
    expect(log.slice(0, 3).map((l) => l.split(":")[0]).sort()).toEqual(["a", "b", "c"]);
    expect(log.slice(3)).toEqual(["S1:1", "S2:1"]);
    expect(Math.max(...log.slice(0, 3).map((l) => Number(l.split(":")[1])))).toBe(3);
  });
});
