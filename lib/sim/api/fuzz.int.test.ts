import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCluster, startCluster } from "../cluster";
import { HEAP_BOUND_BYTES, invalidStoredObjects } from "./fuzz/harness";
import { runApiFuzz } from "./fuzz/run";

/**
 * Property-based fuzz of the embedded API server itself (a reduced run; `npm run fuzz:api` runs
 * it long): every served resource × verb × content type with hostile bodies, queries and paths.
 * Invariants (fuzz/harness.ts): no 5xx but 429/503, another client answered within 1 s, heap under
 * HEAP_BOUND_BYTES, every stored object still decodes and validates.
 */
let cluster: RunningCluster;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-fuzz-"));

beforeAll(async () => {
  cluster = await startCluster({ dataDir, apiPort: 0, dnsPort: 0, speed: 20, seedDemo: true });
});
afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the embedded API server under hostile input", () => {
  it("starts from a valid state (the oracle accepts what bootstrap makes)", () => {
    expect(invalidStoredObjects(cluster)).toEqual([]);
  });

  it("keeps every invariant for a reduced run", async () => {
    const stats = await runApiFuzz(cluster, { runs: Number(process.env.FUZZ_RUNS) || 60 });
    console.log(`[api fuzz] ${stats.requests} requests, by content type ${JSON.stringify(stats.byContentType)}, by status ${JSON.stringify(stats.byStatus)}, max heap ${Math.round(stats.maxHeapBytes / 2 ** 20)} MiB (bound ${HEAP_BOUND_BYTES / 2 ** 20}), slowest probe ${Math.round(stats.slowestProbeMs)} ms`);
    expect(stats.requests).toBeGreaterThan(60);
    expect(Object.keys(stats.byStatus).some((s) => s.startsWith("2"))).toBe(true);
  });
});
