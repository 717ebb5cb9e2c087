import type { Trace } from "./trace";

/** One field where the embedded cluster's trace differs from the reference (the real control plane). */
export interface Difference {
  scenario: string;
  stepIndex: number;
  step: string;
  /** Dotted path inside the step state, e.g. `pods.kubia-1.terminating`, `events.Pod.Killing`, `podOps`. */
  path: string;
  sim: unknown;
  real: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every leaf that differs; arrays (op sequences) compare as a whole. Absent keys show as undefined. */
export function diffValues(path: string, sim: unknown, real: unknown, out: { path: string; sim: unknown; real: unknown }[]): void {
  // An object missing on one side compares as empty, so the path names the leaf (events.Pod.Killing).
  if ((isObject(sim) || sim === undefined) && (isObject(real) || real === undefined) && sim !== real) {
    const s = (sim ?? {}) as Record<string, unknown>;
    const r = (real ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(r), ...Object.keys(s)])];
    for (const key of keys) diffValues(path ? `${path}.${key}` : key, s[key], r[key], out);
    return;
  }
  if (JSON.stringify(sim) !== JSON.stringify(real)) out.push({ path, sim, real });
}

/** All differences between two traces of one scenario, step by step, in step order. */
export function compareTraces(sim: Trace, real: Trace): Difference[] {
  const diffs: Difference[] = [];
  const push = (stepIndex: number, step: string, d: { path: string; sim: unknown; real: unknown }) => diffs.push({ scenario: real.scenario, stepIndex, step, ...d });
  if (sim.error !== real.error) push(-1, "(scenario)", { path: "error", sim: sim.error, real: real.error });
  const steps = Math.max(sim.steps.length, real.steps.length);
  for (let i = 0; i < steps; i++) {
    const s = sim.steps[i];
    const r = real.steps[i];
    const name = r?.step ?? s?.step ?? "?";
    if (!s || !r) {
      push(i, name, { path: "(step)", sim: s ? "recorded" : "missing", real: r ? "recorded" : "missing" });
      continue;
    }
    const leaves: { path: string; sim: unknown; real: unknown }[] = [];
    diffValues("", s.state, r.state, leaves);
    for (const leaf of leaves) push(i, name, leaf);
  }
  return diffs;
}

export function formatValue(v: unknown): string {
  return v === undefined ? "(absent)" : typeof v === "string" ? v : JSON.stringify(v);
}

export function describeDifference(d: Difference): string {
  return `step ${d.stepIndex + 1} "${d.step}": ${d.path}: sim=${formatValue(d.sim)} real=${formatValue(d.real)}`;
}
