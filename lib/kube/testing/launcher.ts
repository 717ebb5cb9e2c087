import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * The real thing for the soak test and the benchmarks: `scripts/playground.ts` (embedded cluster in
 * the launcher process, `next start` as its child) on free loopback ports with a throw-away data
 * directory. Needs a production build (`next build`). Optionally with the Node inspector on
 * loopback, so a test can force a GC in the Next server and read its heap (see inspector.ts).
 * No vitest imports: bench/run.ts uses it too.
 */
export const ROOT = path.resolve(import.meta.dirname, "../../..");

export function hasProductionBuild(): boolean {
  return fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"));
}

/** The kernel's range for ephemeral ports (outgoing connections and `listen(0)`). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: the IANA range
  }
  return [49152, 65535];
}

async function canListen(port: number): Promise<boolean> {
  const server = net.createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()));
  return ok;
}

/**
 * A loopback port that is free now, chosen below the ephemeral range. A port from `listen(0)` is
 * an ephemeral one: between this probe and the child's own bind, any outgoing connection on the
 * machine (a fetch, the Next server dialling its API) may take it as its local port, which is how
 * a CI run once failed with EADDRINUSE. Below the range only another explicit bind can collide,
 * and launchPlayground retries that.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  const floor = Math.min(20_000, low - 1_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = floor + Math.floor(Math.random() * (low - floor));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port in ${floor}–${low - 1}`);
}

export interface LaunchOptions {
  speed?: number;
  /** Start both processes with `--inspect=127.0.0.1:0`. */
  inspect?: boolean;
  env?: Record<string, string>;
  /**
   * Run what the container image runs: `node .next/standalone/playground.mjs --server
   * .next/standalone/server.js` (made by scripts/standalone.ts) instead of tsx scripts/playground.ts.
   */
  bundled?: boolean;
  /** How each port is chosen; the test of the retry hands out a taken one first. */
  pickPort?: () => Promise<number>;
}

export interface LaunchedPlayground {
  url: string;
  apiUrl: string;
  dataDir: string;
  launcher: ChildProcess;
  /** The `next start` process (the dashboard server). */
  nextPid(): number;
  /** The Next server's inspector WebSocket URL (with `inspect`). */
  nextInspectorUrl(): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** Launch attempts when a chosen port was taken before the child bound it. */
const LAUNCH_ATTEMPTS = 3;

export async function launchPlayground(options: LaunchOptions = {}): Promise<LaunchedPlayground> {
  if (!hasProductionBuild()) throw new Error("no production build in .next: run `npx next build` first (npm run test:soak / npm run bench do)");
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= LAUNCH_ATTEMPTS) throw error;
    }
  }
}

/** The child exited because a port chosen for it was bound by someone else in the meantime. */
class PortTakenError extends Error {}

async function launchOnce(options: LaunchOptions): Promise<LaunchedPlayground> {
  const pick = options.pickPort ?? freePort;
  const [port, apiPort, dnsPort] = [await pick(), await pick(), await pick()];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-launch-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("PLAYGROUND_") || key === "VITEST" || key.startsWith("VITEST_")) delete env[key];
  Object.assign(env, {
    HOST: "127.0.0.1",
    PORT: String(port),
    PLAYGROUND_API_PORT: String(apiPort),
    PLAYGROUND_DNS_PORT: String(dnsPort),
    PLAYGROUND_DATA_DIR: dataDir,
    PLAYGROUND_SPEED: String(options.speed ?? 20),
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    NODE_OPTIONS: options.inspect ? "--inspect=127.0.0.1:0" : "",
    ...options.env,
  });
  const standalone = path.join(ROOT, ".next", "standalone");
  const args = options.bundled
    ? [path.join(standalone, "playground.mjs"), "--server", path.join(standalone, "server.js")]
    : ["--import", "tsx", path.join(ROOT, "scripts/playground.ts")];
  const launcher = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const token = env.PLAYGROUND_TOKEN;
  let out = "";
  launcher.stdout!.on("data", (c: Buffer) => (out = (out + c.toString()).slice(-200_000)));
  launcher.stderr!.on("data", (c: Buffer) => (out = (out + c.toString()).slice(-200_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (launcher.exitCode !== null || launcher.signalCode !== null) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const Failure = /EADDRINUSE/.test(out) ? PortTakenError : Error;
      throw new Failure(`the playground exited before serving:\n${out}`);
    }
    if (Date.now() > deadline) {
      launcher.kill("SIGKILL");
      throw new Error(`the playground did not serve within 120 s:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/api/cluster`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5_000) });
      if (res.ok && /Open the dashboard/.test(out)) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }

  const nextPid = () => {
    const pid = childrenOf(launcher.pid!).find((p) => /next/.test(cmdline(p)));
    if (!pid) throw new Error(`cannot find the next server process under the launcher ${launcher.pid}`);
    return pid;
  };

  return {
    url,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    dataDir,
    launcher,
    nextPid,
    async nextInspectorUrl() {
      for (const m of out.matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:(\d+)\/[\w-]+)/g)) {
        try {
          const targets = (await (await fetch(`http://127.0.0.1:${m[2]}/json/list`)).json()) as { url: string; webSocketDebuggerUrl: string }[];
          const target = targets.find((t) => /next/.test(t.url) && !/playground\.ts/.test(t.url));
          if (target) return target.webSocketDebuggerUrl;
        } catch {
          // that process is gone
        }
      }
      throw new Error("no inspector found for the next server (start with inspect: true)");
    },
    output: () => out,
    async stop() {
      if (launcher.exitCode === null && launcher.signalCode === null) {
        const exited = new Promise((resolve) => launcher.once("exit", resolve));
        let child: number | undefined;
        try {
          child = nextPid();
        } catch {
          child = undefined;
        }
        launcher.kill("SIGTERM");
        const timer = setTimeout(() => {
          launcher.kill("SIGKILL");
          if (child) {
            try {
              process.kill(child, "SIGKILL");
            } catch {
              // already gone
            }
          }
        }, 15_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
