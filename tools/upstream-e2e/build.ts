import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findGo, GoMissingError, runGoNiced, tail } from "../real-cluster/build";
import { withBuildLock } from "../real-cluster/build-lock";
import { playgroundCacheDir, realClusterPaths } from "../real-cluster/config";

/**
 * Where the upstream e2e test binary lives, outside the repository:
 * `${PLAYGROUND_UPSTREAM_E2E_DIR:-${XDG_CACHE_HOME:-~/.cache}/sts-playground/upstream-e2e}`
 *   bin/upstream-e2e.test   `go test -c` of this module (k8s.io/kubernetes/test/e2e/apps, unmodified)
 *   build.log, build.stamp  last build's output and the hash of the sources it was built from
 *   runs/<cluster>/         one directory per spec run: its log and Ginkgo's JSON report
 * The Go build cache is the real control plane's (GOCACHE): both link k8s.io/* v1.36.3 built with the
 * same flags, so after `npm run tools` most packages are already compiled.
 */
export interface UpstreamE2EPaths {
  base: string;
  moduleDir: string;
  binary: string;
  buildLog: string;
  buildStamp: string;
  goCache: string;
  runsDir: string;
}

export function upstreamE2EPaths(env: NodeJS.ProcessEnv = process.env): UpstreamE2EPaths {
  const base = playgroundCacheDir(env, env.PLAYGROUND_UPSTREAM_E2E_DIR, "upstream-e2e");
  return {
    base,
    moduleDir: path.resolve(import.meta.dirname),
    binary: path.join(base, "bin", "upstream-e2e.test"),
    buildLog: path.join(base, "build.log"),
    buildStamp: path.join(base, "build.stamp"),
    goCache: realClusterPaths(env).goCache,
    runsDir: path.join(base, "runs"),
  };
}

/** -vet=off: upstream code, vetted upstream (vet of test/e2e/apps took minutes). -s -w: no symbol table / DWARF, a faster link. */
const BUILD_ARGS = ["test", "-c", "-vet=off", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w"];

/** Hash of everything that determines the binary: go.mod, go.sum, the Go files, toolchain, flags. */
function buildStamp(moduleDir: string, goVersion: string, flags: string): string {
  const hash = createHash("sha256").update(goVersion).update("\0").update(flags);
  const files = readdirSync(moduleDir).filter((f) => f === "go.mod" || f === "go.sum" || f.endsWith(".go")).sort();
  for (const file of files) hash.update("\0").update(file).update("\0").update(readFileSync(path.join(moduleDir, file)));
  return hash.digest("hex");
}

export interface E2EBuildResult {
  skipped: boolean;
  seconds: number;
  binary: string;
}

/** Builds the test binary unless an up-to-date one exists; niced, two compile jobs (PLAYGROUND_REAL_GOFLAGS overrides). */
export async function buildUpstreamE2E(paths: UpstreamE2EPaths, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<E2EBuildResult> {
  const go = findGo(env);
  if (!go) throw new GoMissingError();
  const goVersion = spawnSync(go, ["version"], { encoding: "utf8" }).stdout.trim();
  const stamp = buildStamp(paths.moduleDir, goVersion, `${BUILD_ARGS.join(" ")} ${env.PLAYGROUND_REAL_GOFLAGS ?? "-p=2"}`);
  const upToDate = () => existsSync(paths.binary) && existsSync(paths.buildStamp) && readFileSync(paths.buildStamp, "utf8").trim() === stamp;
  if (upToDate()) return { skipped: true, seconds: 0, binary: paths.binary };
  // Another process (.ci/run's background build) may be building it: wait, then it is up to date.
  return withBuildLock(paths.binary, log, async () => {
    if (upToDate()) return { skipped: true, seconds: 0, binary: paths.binary };
    mkdirSync(path.dirname(paths.binary), { recursive: true });
    log(`building ${paths.binary} (${goVersion}; log: ${paths.buildLog}) ...`);
    const { code, seconds } = await runGoNiced(go, [...BUILD_ARGS, "-o", paths.binary, "."], { cwd: paths.moduleDir, goCache: paths.goCache, logFile: paths.buildLog, env });
    if (code !== 0) throw new Error(`go test -c failed (exit ${code}) after ${seconds.toFixed(0)}s:\n${tail(paths.buildLog, 40)}`);
    writeFileSync(paths.buildStamp, stamp + "\n");
    log(`built in ${seconds.toFixed(1)}s`);
    return { skipped: false, seconds, binary: paths.binary };
  });
}
