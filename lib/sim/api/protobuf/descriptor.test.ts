import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DESCRIPTOR_PATH, generate } from "../../../../scripts/k8s-proto";

/** Go (and its module cache) is only needed to regenerate; without Go the committed descriptor is what runs. */
const HAS_GO = spawnSync("go", ["version"]).status === 0;

describe.skipIf(!HAS_GO)("the committed protobuf descriptor", () => {
  it("is what scripts/k8s-proto.ts generates from the pinned k8s.io modules (regenerate it if this fails)", () => {
    const committed = fs.readFileSync(DESCRIPTOR_PATH, "utf8");
    const fresh = generate();
    if (committed !== fresh) throw new Error("lib/sim/api/protobuf/k8s-proto.json is stale: run `npx tsx scripts/k8s-proto.ts` and commit it");
    expect(committed.length).toBe(fresh.length);
  }, 60_000);
});
