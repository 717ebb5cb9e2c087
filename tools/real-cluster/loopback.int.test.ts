/**
 * The real-cluster tests run where only loopback exists (scripts/loopback-only.ts, used by `npm run
 * real` and `npm run fidelity`), so a dial or a DNS query off the machine fails the test instead of
 * leaving. CI requires it (PLAYGROUND_REQUIRE_LOOPBACK_NETNS=1 in .ci/run).
 */
import os from "node:os";
import { describe, expect, it } from "vitest";

const isolated = process.env.PLAYGROUND_LOOPBACK_NETNS === "1";
const required = process.env.PLAYGROUND_REQUIRE_LOOPBACK_NETNS === "1";
if (!isolated) console.warn("\n*** real-cluster tests NOT in a loopback-only network namespace (run them through npm run real) ***\n");

describe("network isolation of the real-cluster tests", () => {
  it.runIf(isolated || required)("has no interface but loopback", () => {
    expect(isolated).toBe(true);
    expect(Object.keys(os.networkInterfaces())).toEqual(["lo"]);
  });
});
