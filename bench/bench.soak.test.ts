import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";

/**
 * `npm run bench` still runs: a reduced run (BENCH_SMOKE=1: a few samples, 2 pages, 3 tabs, 20
 * pods) into a temporary directory. Only that it completes and reports every measure is checked;
 * the figures themselves are never asserted (performance claims live in bench/results/).
 */
it("the benchmark runs end to end and reports every measure", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-bench-smoke-"));
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "run.ts")], {
    cwd: path.join(import.meta.dirname, ".."),
    env: { ...process.env, BENCH_SMOKE: "1", BENCH_RESULTS_DIR: dir, PLAYGROUND_KUBECTL: process.env.PLAYGROUND_KUBECTL ?? "" },
    encoding: "utf8",
    timeout: 9 * 60_000,
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const results = JSON.parse(fs.readFileSync(path.join(dir, "latest.json"), "utf8"));
  for (const key of ["scale", "snapshot", "fanOut", "store", "browser", "pods", "podsPage"]) expect(results).toHaveProperty(key);
  for (const key of ["stream1", "poll1", "streamN", "pollN", "tabs", "firstLoadJs"]) expect(results.browser).toHaveProperty(key);
  expect(fs.readFileSync(path.join(dir, "latest.md"), "utf8")).toContain("API change → DOM");
  fs.rmSync(dir, { recursive: true, force: true });
});
