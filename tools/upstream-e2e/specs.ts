/**
 * The upstream StatefulSet specs as Ginkgo reports them (`--ginkgo.dry-run --ginkgo.json-report`), which
 * of them a run selects, and what one spec's run came to. Pure: no processes, no files.
 */

/** The part of Ginkgo v2's JSON SpecReport this runner reads. */
export interface GinkgoSpecReport {
  ContainerHierarchyTexts: string[] | null;
  LeafNodeText: string;
  LeafNodeType: string;
  State: string;
  RunTime?: number;
  Failure?: { Message?: string; Location?: { FileName?: string; LineNumber?: number }; FailureNodeType?: string };
}

export interface GinkgoReport {
  SpecReports: GinkgoSpecReport[] | null;
}

/** The focus of every listing: the StatefulSet Describe of test/e2e/apps/statefulset.go. */
export const STATEFULSET_FOCUS = "\\[sig-apps\\] StatefulSet ";

/** What Ginkgo matches --ginkgo.focus against: the container texts and the It text, joined by spaces. */
export function fullText(spec: GinkgoSpecReport): string {
  return [...(spec.ContainerHierarchyTexts ?? []), spec.LeafNodeText].join(" ");
}

/** The StatefulSet specs of a dry run, in file order. */
export function specNames(reports: GinkgoReport[]): string[] {
  const names = reports.flatMap((r) => r.SpecReports ?? []).filter((s) => s.LeafNodeType === "It").map(fullText);
  return names.filter((name) => name.startsWith("[sig-apps] StatefulSet "));
}

/**
 * A regular expression (RE2, as Go reads it) that matches exactly this spec's full text. Ginkgo matches
 * --focus against the suite description ("Kubernetes e2e suite") followed by the spec's text, hence
 * the anchor on a space rather than ^.
 */
export function exactFocus(name: string): string {
  return `(^| )${name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}$`;
}

export type SpecSet = "all" | "main" | "conformance";

/** Tags the upstream "main" job skips (the issue's set of 26): upstream's default skip list. */
const MAIN_SKIP = ["[Slow]", "[Serial]", "[Disruptive]", "[Flaky]"];

/**
 * The clustered-application specs run ZooKeeper, MySQL and CockroachDB: programs, not kubelet
 * behaviour. Neither the embedded cluster nor KWOK's fake kubelets run programs; they are listed
 * as not run.
 */
export function isClusteredApplication(name: string): boolean {
  return /Deploy clustered applications/.test(name);
}

export function inSet(name: string, set: SpecSet): boolean {
  if (set === "conformance") return name.includes("[Conformance]");
  if (set === "main") return !MAIN_SKIP.some((tag) => name.includes(tag));
  return true;
}

export type Outcome = "pass" | "fail" | "timeout" | "skipped" | "not run";

export interface SpecResult {
  name: string;
  outcome: Outcome;
  seconds: number;
  /** The first line of Ginkgo's failure message and where it failed; "" when it passed. */
  cause: string;
}

/** One line of a failure: its message's first meaningful line and the upstream source location. */
function failureCause(spec: GinkgoSpecReport): string {
  const message = (spec.Failure?.Message ?? "").split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  const loc = spec.Failure?.Location;
  const where = loc?.FileName ? ` (${loc.FileName.replace(/^.*\/test\/e2e\//, "test/e2e/")}:${loc.LineNumber}${spec.Failure?.FailureNodeType ? `, ${spec.Failure.FailureNodeType}` : ""})` : "";
  return `${message.slice(0, 300)}${where}`;
}

/**
 * What one process's JSON report says about the spec it focused. A failed suite set-up (the
 * BeforeSuite that checks nodes and kube-system pods) is the spec's failure: it never ran.
 */
export function outcomeOf(name: string, reports: GinkgoReport[] | null, seconds: number, killed: boolean): SpecResult {
  const all = (reports ?? []).flatMap((r) => r.SpecReports ?? []);
  const suiteFailure = all.find((s) => s.LeafNodeType !== "It" && s.State !== "passed");
  const spec = all.find((s) => s.LeafNodeType === "It" && fullText(s) === name);
  if (killed && (!spec || spec.State === "pending")) return { name, outcome: "timeout", seconds, cause: "killed by the runner's timeout" };
  if (suiteFailure && (!spec || spec.State === "skipped")) return { name, outcome: "fail", seconds, cause: `suite set-up: ${failureCause(suiteFailure)}` };
  if (!spec) return { name, outcome: "fail", seconds, cause: "no report for the spec (the process crashed?)" };
  switch (spec.State) {
    case "passed":
      return { name, outcome: "pass", seconds, cause: "" };
    case "skipped":
      return { name, outcome: "skipped", seconds, cause: failureCause(spec) };
    case "timedout":
    case "interrupted":
      return { name, outcome: "timeout", seconds, cause: failureCause(spec) };
    default:
      return { name, outcome: "fail", seconds, cause: failureCause(spec) };
  }
}

/** A short label for tables: the spec's text without the common `[sig-apps] StatefulSet` prefix. */
export function shortName(name: string): string {
  return name.replace(/^\[sig-apps\] StatefulSet /, "");
}
