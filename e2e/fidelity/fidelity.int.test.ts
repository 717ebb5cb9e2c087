/**
 * The differential fidelity suite: every scenario runs through the same client code
 * against the embedded cluster and the real control plane (kube-apiserver, kube-controller-manager,
 * kube-scheduler, etcd, KWOK kubelets); their normalized traces must be equal step by step, except
 * for the inherent divergences listed with reasons in known-divergences.ts.
 *
 *   npm run test:fidelity                      all scenarios, writes e2e/fidelity/RESULTS.md
 *   FIDELITY_SCENARIOS=force-delete,... …      a subset (RESULTS.md says PARTIAL)
 *   PLAYGROUND_SKIP_REAL=1 …                   simulator only: compares nothing, says so loudly
 *
 * Without a Go toolchain the real cluster cannot be built and the suite FAILS, never passes silently.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareTraces, describeDifference } from "./compare";
import { brokenWhys, classify, renderReport, resultsTable, type ScenarioResult } from "./report";
import { runScenario } from "./runner";
import { scenarios } from "./scenarios";
import { startRealTarget, startSimTarget, type Target } from "./targets";
import { readRecorded } from "../../tools/upstream-e2e/record";

const skipReal = process.env.PLAYGROUND_SKIP_REAL === "1";
const only = (process.env.FIDELITY_SCENARIOS ?? "").split(",").filter(Boolean);
const selected = only.length ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
const RESULTS = path.join(import.meta.dirname, "RESULTS.md");
const log = (line: string) => console.log(`fidelity: ${line}`);

describe("differential fidelity: embedded cluster vs real control plane", () => {
  let sim: Target | undefined;
  let real: Target | undefined;
  const clusters: string[] = [];

  beforeAll(async () => {
    if (only.length && selected.length !== only.length) throw new Error(`unknown scenario in FIDELITY_SCENARIOS: ${only.join(",")}`);
    if (skipReal) {
      console.warn("\n*** FIDELITY: REAL CLUSTER SKIPPED (PLAYGROUND_SKIP_REAL=1): scenarios run on the simulator only, NOTHING IS COMPARED ***\n");
    } else {
      const started = await startRealTarget(log);
      real = started;
      clusters.push(`${started.description}; build ${started.build.skipped ? "cached" : `${started.build.seconds.toFixed(0)} s`}, ${started.reused ? "reused running instance" : `started in ${started.startSeconds.toFixed(1)} s`}`);
    }
    sim = await startSimTarget();
    clusters.unshift(sim.description);
  });

  afterAll(async () => {
    await sim?.stop();
    await real?.stop();
  });

  it("runs every scenario on both clusters and finds no unexplained divergence", async () => {
    const startedAt = new Date();
    const results: ScenarioResult[] = [];
    for (const scenario of selected) {
      const t0 = Date.now();
      // Both clusters at once: the work is mostly waiting, and each has its own namespace and processes.
      const [simTrace, realTrace] = await Promise.all([runScenario(sim!, scenario, { log }), real ? runScenario(real, scenario, { log }) : Promise.resolve(undefined)]);
      const differences = realTrace ? compareTraces(simTrace, realTrace) : [];
      results.push({ id: scenario.id, title: scenario.title, sim: simTrace, real: realTrace, differences, seconds: (Date.now() - t0) / 1000 });
      log(`${scenario.id}: ${realTrace ? `${differences.length} difference(s)` : "simulator only"}`);
      if (process.env.FIDELITY_DUMP === "1") fs.writeFileSync(path.join(import.meta.dirname, `.trace-${scenario.id}.json`), JSON.stringify({ sim: simTrace, real: realTrace }, null, 2));
    }
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    fs.writeFileSync(RESULTS, renderReport({ results, clusters, startedAt, seconds, skippedReal: skipReal, partial: only.length > 0, upstream: readRecorded() }));
    console.log(`\n${resultsTable(results)}\n\nfidelity: ${seconds.toFixed(0)} s; full report in ${RESULTS}\n`);

    // A scenario that could not run on the simulator is a failure even without a reference.
    expect(results.filter((r) => r.sim.error).map((r) => `${r.id}: ${r.sim.error}`)).toEqual([]);
    const unexplained = results.flatMap((r) => classify(r).unexplained.map((d) => `${d.scenario}: ${describeDifference(d)}`));
    expect(unexplained).toEqual([]);
    // Every reason the page gives (lib/k8s/why.ts) predicted what the real control plane did next.
    expect(brokenWhys(results)).toEqual([]);
  });
});
