import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { realClusterPaths } from "../tools/real-cluster/config";

/**
 * The real kubectl every test drives: PLAYGROUND_KUBECTL, else the kubectl built from the real
 * control plane's Go modules (`npm run tools`, the first step of `npm test`, builds it), else
 * `kubectl` on PATH. So tests never depend on the machine's packaged kubectl (Debian's is 1.20).
 */
export const KUBECTL = process.env.PLAYGROUND_KUBECTL || builtKubectl() || "kubectl";

function builtKubectl(): string | undefined {
  const built = realClusterPaths().kubectl;
  return existsSync(built) ? built : undefined;
}

/** kubectl tests run unless PLAYGROUND_SKIP_KUBECTL=1; a missing binary is an error, not a silent skip. */
export const SKIP_KUBECTL = process.env.PLAYGROUND_SKIP_KUBECTL === "1";

export function requireKubectl(): void {
  const probe = spawnSync(KUBECTL, ["version", "--client"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) {
    throw new Error(`kubectl (${KUBECTL}) does not run: ${probe.error?.message ?? probe.stderr}. Build one with \`npm run tools\` (needs Go), or set PLAYGROUND_KUBECTL, or set PLAYGROUND_SKIP_KUBECTL=1`);
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against one kubeconfig with its own discovery cache (ports differ between runs). */
export function kubectlFor(kubeconfig: string, cacheDir: string) {
  const base = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir];
  const run = (args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(KUBECTL, [...base, ...args], { timeout: opts.timeoutMs ?? 30_000, env: { ...process.env, KUBECONFIG: "" } }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  /** Runs kubectl and fails with its stderr unless it succeeds. */
  const ok = async (args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<string> => {
    const r = await run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  /** Starts a long-running kubectl (get -w, logs -f); `stop()` ends it and returns what it printed. */
  const background = (args: string[]) => {
    const child = spawn(KUBECTL, [...base, ...args], { env: { ...process.env, KUBECONFIG: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    return {
      output: () => stdout,
      async stop(): Promise<{ stdout: string; stderr: string }> {
        if (child.exitCode === null) child.kill("SIGTERM");
        await exited;
        return { stdout, stderr };
      },
    };
  };
  return { run, ok, background };
}

/** Rows of a kubectl table output as objects keyed by header (columns split on 2+ spaces). */
export function parseTable(output: string): Record<string, string>[] {
  const lines = output.split("\n").filter((l) => l.trim() !== "");
  if (!lines.length) return [];
  const header = lines[0];
  const starts: number[] = [];
  const re = /(\S+(?: \S+)*)/g;
  let m: RegExpExecArray | null;
  const names: string[] = [];
  while ((m = re.exec(header))) {
    starts.push(m.index);
    names.push(m[1]);
  }
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    names.forEach((name, i) => (row[name] = line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()));
    return row;
  });
}
