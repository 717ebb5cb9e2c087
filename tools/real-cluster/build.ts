import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withBuildLock } from "./build-lock";
import type { RealClusterPaths } from "./config";

/** Thrown when no Go toolchain is found: callers must fail loudly, never skip silently. */
export class GoMissingError extends Error {
  constructor() {
    super(
      "Go toolchain not found ($PLAYGROUND_GO if set, else `go` on PATH or /usr/local/go/bin/go). " +
        "The real-cluster tests build kube-apiserver, the controller manager, the scheduler, etcd and KWOK from source " +
        "and cannot run without it. Install Go >= 1.26, or set PLAYGROUND_SKIP_REAL=1 to skip them deliberately.",
    );
    this.name = "GoMissingError";
  }
}

/** The `go` binary, or null when there is none. An explicit PLAYGROUND_GO is the only candidate. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = env.PLAYGROUND_GO ? [env.PLAYGROUND_GO] : ["go", "/usr/local/go/bin/go"];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ["version"], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/** The Kubernetes release the module pins (k8s.io/kubernetes in go.mod): the one source of truth. */
export function kubernetesVersion(moduleDir: string): string {
  const gomod = readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const match = /^\s*k8s\.io\/kubernetes (v\d+\.\d+\.\d+)\s*$/m.exec(gomod);
  if (!match) throw new Error(`k8s.io/kubernetes is not pinned in ${moduleDir}/go.mod`);
  return match[1];
}

/** What upstream's build sets with -X: kubectl version, node info and discovery report it. */
function ldflags(version: string): string {
  const [major, minor] = version.slice(1).split(".");
  const v = "k8s.io/component-base/version";
  return [
    "-s -w", // no symbol table / DWARF: a much faster link of a ~170 MB binary
    `-X ${v}.gitVersion=${version}`,
    `-X ${v}.gitMajor=${major}`,
    `-X ${v}.gitMinor=${minor}`,
    `-X ${v}.gitTreeState=clean`,
    `-X ${v}.buildDate=1970-01-01T00:00:00Z`,
  ].join(" ");
}

function sourceFiles(moduleDir: string): string[] {
  const files = ["go.mod", "go.sum"];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(moduleDir, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (!entry.name.endsWith("_test.go")) files.push(rel);
    }
  };
  walk("cmd");
  return files.sort();
}

/** Hash of everything that determines the binary: sources, toolchain, flags. */
export function buildStamp(moduleDir: string, goVersion: string, flags: string): string {
  const hash = createHash("sha256").update(goVersion).update("\0").update(flags);
  for (const file of sourceFiles(moduleDir)) {
    hash.update("\0").update(file).update("\0").update(readFileSync(path.join(moduleDir, file)));
  }
  return hash.digest("hex");
}

export interface BuildResult {
  skipped: boolean;
  seconds: number;
  binary: string;
}

/** One Go binary of this module: what is built, where, and the files that record its last build. */
interface GoTarget {
  what: string;
  pkg: string;
  output: string;
  stampFile: string;
  logFile: string;
}

/**
 * Builds bin/playground-cluster (the control plane, for test:real and fidelity) unless an
 * up-to-date one exists. Niced and at most two parallel compile jobs (PLAYGROUND_REAL_GOFLAGS
 * overrides): the machines have two cores, shared.
 */
export function buildBinary(paths: RealClusterPaths, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<BuildResult> {
  const target = { what: "the control plane", pkg: "./cmd/playground-cluster", output: paths.binary, stampFile: paths.buildStamp, logFile: paths.buildLog };
  return buildIfStale(target, paths, log, env);
}

/**
 * Builds bin/kubectl (upstream's cmd/kubectl of the same release) unless an up-to-date one exists:
 * what every kubectl test drives. A binary of its own, not the control plane's multi-call one, so
 * the integration and browser tests can start after a build of about a third of the packages
 * while the control plane builds in the background (.ci/run).
 */
export function buildKubectl(paths: RealClusterPaths, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<BuildResult> {
  const target = { what: "kubectl", pkg: "k8s.io/kubernetes/cmd/kubectl", output: paths.kubectl, stampFile: paths.kubectlStamp, logFile: paths.kubectlBuildLog };
  return buildIfStale(target, paths, log, env);
}

async function buildIfStale(target: GoTarget, paths: RealClusterPaths, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<BuildResult> {
  const go = findGo(env);
  if (!go) throw new GoMissingError();
  const goVersion = spawnSync(go, ["version"], { encoding: "utf8" }).stdout.trim();
  const flags = ldflags(kubernetesVersion(paths.moduleDir));
  const stamp = buildStamp(paths.moduleDir, goVersion, `${target.pkg} ${flags} ${env.PLAYGROUND_REAL_GOFLAGS ?? ""}`);
  const upToDate = () => existsSync(target.output) && existsSync(target.stampFile) && readFileSync(target.stampFile, "utf8").trim() === stamp;
  const skipped = { skipped: true, seconds: 0, binary: target.output };
  if (upToDate()) return skipped;
  // Another process (.ci/run's background build) may be building it: wait, then it is up to date.
  return withBuildLock(target.output, log, async () => {
    if (upToDate()) return skipped;
    mkdirSync(path.dirname(target.output), { recursive: true });
    // Caches from before kubectl had its own binary hold bin/kubectl as a symlink to the control plane.
    if (existsSync(target.output) && lstatSync(target.output).isSymbolicLink()) rmSync(target.output);
    // -buildvcs=false: the repository's commit is not an input (no relink on every commit).
    const args = ["build", "-trimpath", "-buildvcs=false", "-ldflags", flags, "-o", target.output, target.pkg];
    log(`building ${target.what}: ${target.output} (${goVersion}; log: ${target.logFile}) ...`);
    const { code, seconds } = await runGoNiced(go, args, { cwd: paths.moduleDir, goCache: paths.goCache, logFile: target.logFile, env });
    if (code !== 0) throw new Error(`go build of ${target.what} failed (exit ${code}) after ${seconds.toFixed(0)}s:\n${tail(target.logFile, 40)}`);
    writeFileSync(target.stampFile, stamp + "\n");
    log(`built ${target.what} in ${seconds.toFixed(1)}s (${(statSync(target.output).size / 1e6).toFixed(0)} MB)`);
    return { skipped: false, seconds, binary: target.output };
  });
}

/**
 * Runs `go <args>` niced (when `nice` works), output to `logFile`, with its GOCACHE and at most two
 * parallel compile jobs (PLAYGROUND_REAL_GOFLAGS overrides): the machines have two cores, shared.
 */
export async function runGoNiced(
  go: string,
  args: string[],
  o: { cwd: string; goCache: string; logFile: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; seconds: number }> {
  const useNice = spawnSync("nice", ["-n", "15", "true"]).status === 0;
  const [command, commandArgs] = useNice ? ["nice", ["-n", "15", go, ...args]] : [go, args];
  const started = Date.now();
  const out = createWriteStream(o.logFile);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: o.cwd,
      env: { ...o.env, GOCACHE: o.goCache, GOFLAGS: o.env.PLAYGROUND_REAL_GOFLAGS ?? "-p=2" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on("error", reject);
    child.on("close", (c) => resolve(c ?? 1));
  });
  await new Promise<void>((resolve) => out.end(resolve));
  return { code, seconds: (Date.now() - started) / 1000 };
}

/** The last `lines` lines of a text file ("" when it does not exist). */
export function tail(file: string, lines: number): string {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}
