import fc from "fast-check";
import type { RunningCluster } from "../../cluster";
import { acceptableStatus, checkHeap, type FuzzStats, invalidStoredObjects, newStats, probe, send } from "./harness";
import { requestArb } from "./requests";

export interface FuzzRun {
  /** Batches of 1–8 concurrent requests. */
  runs: number;
  seed?: number;
  /** Called after every batch (progress of long runs). */
  onBatch?: (stats: FuzzStats) => void;
}

/**
 * Runs the fuzz against `cluster` and returns its figures; throws (with fast-check's seed and
 * counterexample) on the first broken invariant. The stored state is checked at the end and every
 * 50 batches.
 */
export async function runApiFuzz(cluster: RunningCluster, opts: FuzzRun): Promise<FuzzStats> {
  const stats = newStats();
  let batches = 0;
  const check = fc.assert(
    fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 8 }), async (batch) => {
      const statuses = await Promise.all([...batch.map((r) => send(cluster.apiUrl, r, stats)), probe(cluster.apiUrl, stats).then(() => 200)]);
      statuses.forEach((status, i) => {
        if (!acceptableStatus(status)) throw new Error(`${batch[i].method} ${batch[i].path.slice(0, 200)} (${batch[i].contentType}) answered ${status}`);
      });
      checkHeap(stats);
      if (++batches % 50 === 0) {
        const invalid = invalidStoredObjects(cluster);
        if (invalid.length) throw new Error(`stored state invalid:\n${invalid.join("\n")}`);
      }
      opts.onBatch?.(stats);
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: true },
  );
  await check.catch((e: Error) => {
    // Counterexamples hold bodies of megabytes: squeeze repetitions, keep the cause.
    const squeeze = (text: string) => text.replace(/(.{1,8}?)\1{20,}/gs, (run, unit: string) => `${unit}…×${Math.round(run.length / unit.length)}`).slice(0, 8000);
    const cause = e.cause instanceof Error ? `\nCaused by: ${e.cause.message}` : "";
    throw new Error(squeeze(e.message) + squeeze(cause));
  });
  const invalid = invalidStoredObjects(cluster);
  if (invalid.length) throw new Error(`stored state invalid:\n${invalid.join("\n")}`);
  return stats;
}
