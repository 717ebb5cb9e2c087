/**
 * The upstream specs' results as the project keeps them: the last whole-list run of each cluster in
 * e2e/fidelity/upstream-results.json, rendered as the last section of e2e/fidelity/RESULTS.md (the
 * fidelity report renders it too, so neither writer drops the other's part).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inSet, shortName, type SpecResult, type SpecSet } from "./specs";

export const RESULTS_JSON = path.resolve(import.meta.dirname, "../../e2e/fidelity/upstream-results.json");
export const RESULTS_MD = path.resolve(import.meta.dirname, "../../e2e/fidelity/RESULTS.md");
/** The heading the section starts at; everything from it to the end of RESULTS.md is this section. */
export const SECTION_HEADING = "## Upstream StatefulSet e2e specs";

export interface ClusterRun {
  description: string;
  at: string;
  /** How the runner ran it: per-spec timeout and specs at once. */
  settings: string;
  results: SpecResult[];
}

export type RecordedRuns = Partial<Record<"sim" | "real", ClusterRun>>;

/** A cause of failure the project knows and accepts, with why it is inherent. */
interface ListedCause {
  id: string;
  cluster: "sim" | "real";
  spec: RegExp;
  reason: string;
}

/** Specs that break a readiness probe or run `kubectl exec`: KWOK's kubelets run neither. */
const NEEDS_PROBES_OR_EXEC = /should provide basic identity|should adopt matching orphans|should not deadlock when a pod's predecessor fails|rolling updates and roll backs|halt if any stateful pod is unhealthy|Burst scaling should run to completion/;

export const LISTED_CAUSES: ListedCause[] = [
  {
    id: "speed-factor",
    cluster: "sim",
    spec: /AvailableReplicas should get updated accordingly when MinReadySeconds is enabled/,
    reason:
      "`minReadySeconds: 30` runs on the cluster clock, which runs PLAYGROUND_SPEED times faster than the wall clock; the spec sleeps 5 s of wall time and expects no available replica yet. No field of a user's object is ever rescaled (docs/ARCHITECTURE.md, clock.ts); at PLAYGROUND_SPEED=1 the spec passes (77 s).",
  },
  {
    id: "kwok-no-probes",
    cluster: "real",
    spec: NEEDS_PROBES_OR_EXEC,
    reason: "KWOK's kubelets run no container, so no probe and no `kubectl exec`: the spec breaks a readiness probe (or runs a container's shell) and waits for an effect that never comes. The embedded cluster's kubelet runs probes and a userland.",
  },
  {
    id: "kwok-no-termination",
    cluster: "real",
    spec: /partiton1 and delete pod-0/,
    reason: "The spec deletes pod-0 while a finalizer holds it and waits for it to stop running. A real kubelet stops the containers and reports a terminal phase; KWOK's stages never stop a deleted pod, so it stays `Running` until the finalizer goes.",
  },
  {
    id: "kwok-no-admission",
    cluster: "real",
    spec: /Should recreate evicted statefulset/,
    reason: "KWOK admits every pod: the kubelet's NodePorts admission never rejects the StatefulSet's pod that asks for the host port another pod on its node holds, so there is nothing for the controller to recreate. The embedded cluster's kubelet runs that admission.",
  },
];

const listedCause = (cluster: "sim" | "real", name: string) => LISTED_CAUSES.find((c) => c.cluster === cluster && c.spec.test(name));

export function readRecorded(file = RESULTS_JSON): RecordedRuns {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RecordedRuns) : {};
}

/** Keeps `run` as the cluster's last whole-list run (the other cluster's stays). */
export function record(cluster: "sim" | "real", run: ClusterRun, file = RESULTS_JSON): RecordedRuns {
  const runs = { ...readRecorded(file), [cluster]: run };
  writeFileSync(file, JSON.stringify(runs, null, 2) + "\n");
  return runs;
}

const outcomeCell = (r: SpecResult | undefined, cluster: "sim" | "real") => {
  if (!r) return "not in the run";
  const listed = r.outcome !== "pass" ? listedCause(cluster, r.name) : undefined;
  const cause = r.cause ? `: ${r.cause.replace(/\|/g, "\\|")}` : "";
  return `${r.outcome === "pass" ? "pass" : `**${r.outcome}**`} (${r.seconds} s)${cause}${listed ? ` (listed: \`${listed.id}\`)` : ""}`;
};

function counts(list: SpecResult[] | undefined, set: SpecSet): string {
  if (!list) return "not run";
  const of = list.filter((r) => inSet(r.name, set));
  const n = (o: string) => of.filter((r) => r.outcome === o).length;
  return `${n("pass")} / ${n("fail")} / ${n("timeout")} / ${n("not run") + n("skipped")} (of ${of.length})`;
}

/** The section of RESULTS.md: what ran, the counts per set, every spec on both clusters, and what differs. */
export function renderSection(runs: RecordedRuns): string {
  const sim = runs.sim?.results;
  const real = runs.real?.results;
  const names = [...new Set([...(sim ?? []), ...(real ?? [])].map((r) => r.name))].sort();
  const find = (list: SpecResult[] | undefined, name: string) => list?.find((r) => r.name === name);
  const out = [SECTION_HEADING, ""];
  out.push("The 32 StatefulSet specs of `k8s.io/kubernetes` v1.36.3 `test/e2e/apps`, built unmodified (tools/upstream-e2e), one process per spec, no relaxation flag. Written by `npm run test:upstream` after a run of the whole list (`--set all`); `npm test` runs the 8 `[Conformance]` specs on the embedded cluster (`npm run conformance`).", "");
  for (const [cluster, run] of Object.entries(runs)) if (run) out.push(`- ${cluster}: ${run.description}; ${run.settings}; ${run.at}`);
  out.push("", "| set | embedded cluster: pass / fail / timeout / not run | real control plane |", "|---|---|---|");
  for (const [label, set] of [["main (no [Slow], [Serial], [Disruptive], [Flaky])", "main"], ["`[Conformance]`", "conformance"], ["all", "all"]] as const) out.push(`| ${label} | ${counts(sim, set)} | ${counts(real, set)} |`);
  const realOnly = names.filter((n) => find(real, n)?.outcome === "pass" && find(sim, n)?.outcome !== "pass");
  out.push("", `Specs that pass on the real control plane and not on the embedded cluster: ${realOnly.length ? realOnly.map((n) => `${shortName(n)} (${listedCause("sim", n) ? `listed: \`${listedCause("sim", n)!.id}\`` : "**unexplained**"})`).join("; ") : "none"}.`, "");
  out.push("| spec (`[sig-apps] StatefulSet …`) | embedded cluster | real control plane |", "|---|---|---|");
  for (const name of names) out.push(`| ${shortName(name)} | ${outcomeCell(find(sim, name), "sim")} | ${outcomeCell(find(real, name), "real")} |`);
  out.push("", "Listed causes (inherent to the cluster, not bugs):", "");
  for (const c of LISTED_CAUSES) out.push(`- \`${c.id}\` (${c.cluster === "sim" ? "embedded cluster" : "real control plane"}): ${c.reason}`);
  out.push("- Clustered applications (ZooKeeper, MySQL, CockroachDB) need the real programs: not run on either cluster.", "");
  return out.join("\n");
}

/** RESULTS.md with its upstream section replaced (or appended). */
export function withSection(markdown: string, section: string): string {
  const at = markdown.indexOf(`\n${SECTION_HEADING}\n`);
  const head = (at < 0 ? markdown : markdown.slice(0, at)).replace(/\n*$/, "\n");
  return `${head}\n${section}`;
}

export function writeSection(runs: RecordedRuns, file = RESULTS_MD): void {
  const markdown = existsSync(file) ? readFileSync(file, "utf8") : "";
  writeFileSync(file, withSection(markdown, renderSection(runs)));
}
