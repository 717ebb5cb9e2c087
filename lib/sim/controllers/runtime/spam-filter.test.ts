import { describe, expect, it } from "vitest";
import { EventSpamFilter } from "./spam-filter";

describe("EventSpamFilter", () => {
  it("lets a burst of 25 through per key, then one per 5 minutes", () => {
    const f = new EventSpamFilter();
    const allowed = Array.from({ length: 30 }, (_v, i) => f.allow("a", i * 1000)).filter(Boolean).length;
    expect(allowed).toBe(25);
    expect(f.allow("b", 30_000)).toBe(true); // another object has its own bucket
    // The bucket refills continuously from the first event: the 26th token is whole 300 s after it.
    expect(f.allow("a", 299_000)).toBe(false);
    expect(f.allow("a", 300_500)).toBe(true);
    expect(f.allow("a", 302_000)).toBe(false);
  });
});
