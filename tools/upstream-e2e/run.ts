/**
 * `npm run test:upstream`: the upstream Kubernetes StatefulSet e2e specs (k8s.io/kubernetes v1.36.3
 * test/e2e/apps, unmodified, built by build.ts) against the embedded cluster and/or the suite's real
 * control plane, one process per spec, `--ginkgo.focus` on the spec's exact name. No relaxation flag:
 * protobuf, ServiceAccount verification and node auto-detection as upstream runs them.
 *
 *   --cluster sim|real|both    (both)   sim: lib/sim at PLAYGROUND_SPEED (10); real: tools/real-cluster
 *                                       instance UPSTREAM_E2E_REAL_INSTANCE (upstream-e2e)
 *   --kubeconfig <file>                 any other cluster instead (with --context)
 *   --set all|main|conformance (all)    main: without [Slow], [Serial], [Disruptive], [Flaky]
 *   --focus <regex>                     only specs whose name matches (JavaScript regex)
 *   --timeout <seconds>        (600)    per spec; [Slow] specs get twice as long
 *   --parallel <n>             (1)      specs run at once against the same cluster (each in its own
 *                                       namespaces, as upstream's parallel Ginkgo runs them); they
 *                                       mostly sleep in the framework's 10 s polls, so 4 is ~3× faster;
 *                                       `[Serial]` specs run alone, after the others, as in Ginkgo
 *   --out <file.json>                   the results (default: <cache>/runs/<cluster>/results.json)
 *   --strict                            exit 1 unless every selected spec passed
 *   --table                             run nothing: print the table of the last sim and real results
 *   --table --record                    …and keep them as the project's record (as a whole-list run
 *                                       of sim or real does by itself): e2e/fidelity/upstream-results.json
 *                                       and the last section of e2e/fidelity/RESULTS.md
 *   --build-only                        build the binary if needed, run nothing (`npm run conformance`
 *                                       builds outside the loopback-only namespace, then runs inside it)
 *
 * Without a Go toolchain and with PLAYGROUND_SKIP_REAL=1 it skips loudly (as `npm run tools` does).
 *
 * Prints one line per spec and a table at the end.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startCluster } from "../../lib/sim/cluster";
import { KUBECONFIG_CONTEXT } from "../../lib/sim/kubeconfig";
import { down, up } from "../real-cluster/cluster";
import { GoMissingError } from "../real-cluster/build";
import { realClusterInstancePaths, realClusterPaths, settingsFromEnv } from "../real-cluster/config";
import { inPoolSerialLast } from "./pool";
import { readRecorded, record, writeSection, type ClusterRun } from "./record";
import { buildUpstreamE2E, upstreamE2EPaths, type UpstreamE2EPaths } from "./build";
import { exactFocus, inSet, isClusteredApplication, outcomeOf, shortName, specNames, STATEFULSET_FOCUS, type GinkgoReport, type SpecResult, type SpecSet } from "./specs";

const log = (line: string) => console.error(`upstream-e2e: ${line}`);

interface Target {
  name: string;
  kubeconfig: string;
  context: string;
  description: string;
  stop(): Promise<void>;
}

async function simTarget(): Promise<Target> {
  const speed = Number(process.env.PLAYGROUND_SPEED || 10);
  const dir = await import("node:fs/promises").then((fs) => fs.mkdtemp(path.join(os.tmpdir(), "upstream-e2e-sim-")));
  const cluster = await startCluster({ host: "127.0.0.1", apiPort: 0, dnsPort: 0, dataDir: dir, speed, seedDemo: false });
  return {
    name: "sim",
    kubeconfig: cluster.kubeconfigPath,
    context: KUBECONFIG_CONTEXT,
    description: `embedded cluster (lib/sim) at ${cluster.apiUrl}, PLAYGROUND_SPEED=${speed}`,
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function realTarget(): Promise<Target> {
  const paths = realClusterInstancePaths(process.env.UPSTREAM_E2E_REAL_INSTANCE || "upstream-e2e");
  const started = await up({ paths, settings: settingsFromEnv(), log });
  return {
    name: "real",
    kubeconfig: started.PLAYGROUND_KUBECONFIG,
    context: started.PLAYGROUND_CONTEXT,
    description: `real control plane (tools/real-cluster, KWOK kubelets), state ${paths.stateDir}`,
    stop: () => (process.env.UPSTREAM_E2E_KEEP_REAL === "1" ? Promise.resolve() : down({ paths, log })),
  };
}

interface RunOptions {
  binary: string;
  kubeconfig: string;
  context: string;
  extraArgs: string[];
  reportFile: string;
  logFile: string;
  timeoutSeconds: number;
}

/** Runs the binary once; resolves with whether the runner had to kill it (its own timeout passed). */
function runBinary(o: RunOptions): Promise<{ killed: boolean }> {
  const args = [
    `--kubeconfig=${o.kubeconfig}`,
    `--context=${o.context}`,
    `--kubectl-path=${realClusterPaths().kubectl}`,
    `--ginkgo.json-report=${o.reportFile}`,
    "--ginkgo.no-color",
    `--ginkgo.timeout=${o.timeoutSeconds}s`,
    "--ginkgo.v", // progress in the log: what each spec was waiting for when it failed
    `-test.timeout=${o.timeoutSeconds + 120}s`,
    ...o.extraArgs,
  ];
  const fd = openSync(o.logFile, "w");
  try {
    const child = spawn(o.binary, args, { detached: true, stdio: ["ignore", fd, fd], env: { ...process.env, KUBECONFIG: o.kubeconfig } });
    let killed = false;
    // Ginkgo's own timeout reports first; this is for a process that hangs past it.
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, (o.timeoutSeconds + 90) * 1000);
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", () => {
        clearTimeout(timer);
        resolve({ killed });
      });
    });
  } finally {
    closeSync(fd);
  }
}

function readReport(file: string): GinkgoReport[] | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GinkgoReport[];
  } catch {
    return null;
  }
}

/** Every StatefulSet spec the binary holds (a dry run: no cluster needed). */
async function listSpecs(paths: UpstreamE2EPaths): Promise<string[]> {
  const dir = path.join(paths.runsDir, "list");
  mkdirSync(dir, { recursive: true });
  const reportFile = path.join(dir, "report.json");
  rmSync(reportFile, { force: true });
  await runBinary({
    binary: paths.binary, kubeconfig: "", context: "", reportFile, logFile: path.join(dir, "log.txt"), timeoutSeconds: 120,
    extraArgs: ["--ginkgo.dry-run", `--ginkgo.focus=${STATEFULSET_FOCUS}`],
  });
  const names = specNames(readReport(reportFile) ?? []);
  if (names.length === 0) throw new Error(`the dry run listed no StatefulSet spec (see ${dir}/log.txt)`);
  return names;
}

async function runSpec(paths: UpstreamE2EPaths, target: Target, runDir: string, name: string, index: number, timeoutSeconds: number): Promise<SpecResult> {
  if (isClusteredApplication(name)) return { name, outcome: "not run", seconds: 0, cause: "clustered application: needs the real program (out of scope on both clusters)" };
  const dir = path.join(runDir, String(index).padStart(2, "0"));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const reportFile = path.join(dir, "report.json");
  const timeout = name.includes("[Slow]") ? timeoutSeconds * 2 : timeoutSeconds;
  const started = Date.now();
  const { killed } = await runBinary({
    binary: paths.binary, kubeconfig: target.kubeconfig, context: target.context, reportFile, logFile: path.join(dir, "log.txt"), timeoutSeconds: timeout,
    extraArgs: [`--ginkgo.focus=${exactFocus(name)}`],
  });
  return outcomeOf(name, readReport(reportFile), Math.round((Date.now() - started) / 1000), killed);
}

function table(results: Map<string, SpecResult[]>): string {
  const clusters = [...results.keys()];
  const names = results.get(clusters[0])!.map((r) => r.name);
  const rows = names.map((name, i) => `| ${shortName(name)} | ${clusters.map((c) => { const r = results.get(c)![i]; return `${r.outcome} (${r.seconds}s)${r.cause ? `: ${r.cause}` : ""}`; }).join(" | ")} |`);
  return [`| spec | ${clusters.join(" | ")} |`, `|---|${clusters.map(() => "---|").join("")}`, ...rows].join("\n");
}

/** The table of the last results of each cluster (their own runs), matched by spec name. */
function printLastResults(paths: UpstreamE2EPaths, keep: boolean): number {
  const results = new Map<string, SpecResult[]>();
  for (const cluster of ["sim", "real"] as const) {
    const file = path.join(paths.runsDir, cluster, "results.json");
    if (!existsSync(file)) continue;
    const run = JSON.parse(readFileSync(file, "utf8")) as ClusterRun;
    results.set(cluster, run.results);
    if (keep) record(cluster, { description: run.description, at: run.at ?? "(time not recorded)", settings: run.settings ?? "", results: run.results });
  }
  if (keep) writeSection(readRecorded());
  if (results.size === 0) throw new Error(`no results under ${paths.runsDir}`);
  const names = [...new Set([...results.values()].flat().map((r) => r.name))].sort();
  const missing = (name: string): SpecResult => ({ name, outcome: "not run", seconds: 0, cause: "not in this run" });
  const aligned = new Map([...results].map(([c, list]) => [c, names.map((n) => list.find((r) => r.name === n) ?? missing(n))]));
  console.log(table(aligned));
  return 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cluster: { type: "string", default: "both" },
      kubeconfig: { type: "string" },
      context: { type: "string", default: "" },
      set: { type: "string", default: "all" },
      focus: { type: "string" },
      timeout: { type: "string", default: "600" },
      parallel: { type: "string", default: "1" },
      out: { type: "string" },
      strict: { type: "boolean", default: false },
      table: { type: "boolean", default: false },
      record: { type: "boolean", default: false },
      "build-only": { type: "boolean", default: false },
    },
  });
  if (values.table) return printLastResults(upstreamE2EPaths(), values.record!);
  const set = values.set as SpecSet;
  if (!["all", "main", "conformance"].includes(set)) throw new Error(`--set ${set}: all, main or conformance`);
  const focus = values.focus ? new RegExp(values.focus) : null;
  const timeoutSeconds = Number(values.timeout);
  const parallel = Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 8) throw new Error(`--parallel ${values.parallel}: 1 to 8`);
  const paths = upstreamE2EPaths();
  let build;
  try {
    build = await buildUpstreamE2E(paths, log);
  } catch (err) {
    if (!(err instanceof GoMissingError) || process.env.PLAYGROUND_SKIP_REAL !== "1") throw err;
    log("*** NO GO TOOLCHAIN: the upstream specs are not built and not run (PLAYGROUND_SKIP_REAL=1) ***");
    return 0;
  }
  log(build.skipped ? `binary up to date: ${build.binary}` : `built ${build.binary} in ${build.seconds.toFixed(0)}s`);
  if (values["build-only"]) return 0;
  const names = (await listSpecs(paths)).filter((n) => inSet(n, set) && (!focus || focus.test(n)));
  log(`${names.length} StatefulSet specs selected (set ${set}${focus ? `, focus ${focus}` : ""})`);
  if (values.strict && names.length === 0) throw new Error("--strict: no spec selected, nothing would be proven");

  const starters: Array<() => Promise<Target>> = values.kubeconfig
    ? [async () => ({ name: "custom", kubeconfig: values.kubeconfig!, context: values.context!, description: values.kubeconfig!, stop: async () => {} })]
    : values.cluster === "both" ? [simTarget, realTarget] : values.cluster === "real" ? [realTarget] : [simTarget];
  const results = new Map<string, SpecResult[]>();
  for (const start of starters) {
    const target = await start();
    log(`running against ${target.description}`);
    // A whole list's run is the one `--table` shows; a subset (conformance, a focus) keeps its logs apart.
    const runDir = path.join(paths.runsDir, set === "all" && !focus ? target.name : `${target.name}.${focus ? "focus" : set}`);
    const started = Date.now();
    let list: SpecResult[] = [];
    try {
      list = await inPoolSerialLast(names, parallel, (name) => name.includes("[Serial]"), async (name, i) => {
        const result = await runSpec(paths, target, runDir, name, i, timeoutSeconds);
        log(`${target.name} ${result.outcome.padEnd(7)} ${String(result.seconds).padStart(4)}s ${shortName(name)}${result.cause ? `\n    ${result.cause}` : ""}`);
        return result;
      });
    } finally {
      await target.stop();
    }
    log(`${target.name}: ${list.filter((r) => r.outcome === "pass").length}/${list.length} passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    results.set(target.name, list);
    const out = values.out ? values.out.replace("{cluster}", target.name) : path.join(runDir, "results.json");
    mkdirSync(path.dirname(out), { recursive: true });
    const run: ClusterRun = { description: target.description, at: new Date(started).toISOString(), settings: `runner timeout ${timeoutSeconds} s per spec, ${parallel} at once`, results: list };
    writeFileSync(out, JSON.stringify({ ...run, set }, null, 2));
    // The whole list on one of the suite's two clusters: the project's record (RESULTS.md).
    if (set === "all" && !focus && (target.name === "sim" || target.name === "real")) {
      writeSection(record(target.name, run));
      log(`recorded in e2e/fidelity/upstream-results.json and RESULTS.md`);
    }
  }
  console.log(table(results));
  const failed = [...results.values()].flat().filter((r) => r.outcome !== "pass" && r.outcome !== "not run");
  return values.strict && failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`upstream-e2e: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
