/**
 * `npm run fuzz:api`: the embedded API server's property-based fuzz, long (FUZZ_RUNS batches of
 * 1–8 requests, default 5000; FUZZ_SEED to replay). Prints the figures (requests per content type,
 * statuses, the heap's peak against its bound) every 500 batches and at the end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HEAP_BOUND_BYTES } from "../lib/sim/api/fuzz/harness";
import { runApiFuzz } from "../lib/sim/api/fuzz/run";
import { startCluster } from "../lib/sim/cluster";

const runs = Number(process.env.FUZZ_RUNS) || 5000;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-fuzz-"));
const cluster = await startCluster({ dataDir, apiPort: 0, dnsPort: 0, speed: 20, seedDemo: true });
const started = Date.now();
let batches = 0;
const report = (stats: Awaited<ReturnType<typeof runApiFuzz>>) =>
  `[api fuzz] ${batches} batches, ${stats.requests} requests in ${Math.round((Date.now() - started) / 1000)} s; by content type ${JSON.stringify(stats.byContentType)}; by status ${JSON.stringify(stats.byStatus)}; peak heap ${Math.round(stats.maxHeapBytes / 2 ** 20)} MiB (bound ${HEAP_BOUND_BYTES / 2 ** 20} MiB); slowest probe ${Math.round(stats.slowestProbeMs)} ms`;
try {
  const stats = await runApiFuzz(cluster, { runs, seed, onBatch: (s) => ++batches % 500 === 0 && console.log(report(s)) });
  console.log(report(stats));
  console.log("[api fuzz] no invariant broken");
} catch (e) {
  console.error(`[api fuzz] FAILED: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await cluster.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
