import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { record, renderSection, SECTION_HEADING, withSection, writeSection, type ClusterRun } from "./record";
import type { SpecResult } from "./specs";

const P = "[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] ";
const spec = (name: string, outcome: SpecResult["outcome"], cause = ""): SpecResult => ({ name, outcome, seconds: 10, cause });
const run = (results: SpecResult[]): ClusterRun => ({ description: "a cluster", at: "2026-12-07T00:00:00Z", settings: "runner timeout 600 s per spec, 3 at once", results });

const MIN_READY = "[sig-apps] StatefulSet AvailableReplicas should get updated accordingly when MinReadySeconds is enabled";
const IDENTITY = `${P}should provide basic identity`;
const SCALE = `${P}should have a working scale subresource [Conformance]`;
const ORDINAL = "[sig-apps] StatefulSet Scaling StatefulSetStartOrdinal Setting .start.ordinal";

describe("the upstream specs' section of RESULTS.md", () => {
  it("counts each set per cluster, lists every spec with its cause, and names what passes on real only, listed or not", () => {
    const text = renderSection({
      sim: run([spec(MIN_READY, "fail", "expected 0"), spec(IDENTITY, "pass"), spec(SCALE, "pass"), spec(ORDINAL, "timeout", "killed | by the runner")]),
      real: run([spec(MIN_READY, "pass"), spec(IDENTITY, "fail", "too many pods"), spec(SCALE, "pass"), spec(ORDINAL, "pass")]),
    });
    expect(text.startsWith(SECTION_HEADING)).toBe(true);
    expect(text).toContain("| `[Conformance]` | 1 / 0 / 0 / 0 (of 1) | 1 / 0 / 0 / 0 (of 1) |");
    expect(text).toContain("| all | 2 / 1 / 1 / 0 (of 4) | 3 / 1 / 0 / 0 (of 4) |");
    expect(text).toContain("AvailableReplicas should get updated accordingly when MinReadySeconds is enabled (listed: `speed-factor`)");
    expect(text).toContain("Scaling StatefulSetStartOrdinal Setting .start.ordinal (**unexplained**)");
    expect(text).toContain("| Basic StatefulSet functionality [StatefulSetBasic] should provide basic identity | pass (10 s) | **fail** (10 s): too many pods (listed: `kwok-no-probes`) |");
    expect(text).toContain("killed \\| by the runner"); // a pipe in a cause does not split the table's cell
  });

  it("keeps each cluster's last run, and replaces the section at the end of RESULTS.md without touching the rest", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "upstream-record-"));
    const json = path.join(dir, "upstream-results.json");
    const md = path.join(dir, "RESULTS.md");
    record("real", run([spec(SCALE, "pass")]), json);
    const runs = record("sim", run([spec(SCALE, "fail", "first")]), json);
    expect(Object.keys(runs).sort()).toEqual(["real", "sim"]);
    writeFileSync(md, "# Differential fidelity\n\n| scenario |\n");
    writeSection(runs, md);
    writeSection(record("sim", run([spec(SCALE, "pass")]), json), md);
    const text = readFileSync(md, "utf8");
    expect(text.startsWith("# Differential fidelity\n\n| scenario |\n\n## Upstream")).toBe(true);
    expect(text.split(SECTION_HEADING)).toHaveLength(2);
    expect(text).not.toContain("first");
    expect(withSection("# A\n", "S")).toBe("# A\n\nS");
  });
});
