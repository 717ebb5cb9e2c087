/**
 * `npm start` / `npm run dev`: starts the embedded cluster in this process (unless a real cluster
 * is configured) and the Next.js server as a child, wired together through environment variables;
 * prints where to open the dashboard; stops both on Ctrl-C / SIGTERM.
 *
 *   HOST (default 127.0.0.1), PORT (default 3000), PLAYGROUND_TOKEN (required when HOST is not loopback)
 *   Embedded cluster: PLAYGROUND_API_PORT, PLAYGROUND_DNS_PORT, PLAYGROUND_DATA_DIR, PLAYGROUND_SPEED
 *   Real cluster: PLAYGROUND_KUBECONFIG (or KUBECONFIG), PLAYGROUND_CONTEXT, PLAYGROUND_NAMESPACE
 *
 * Usage: tsx scripts/playground.ts [--dev | --server <server.js>]
 *   The dashboard server is Next.js' standalone server (`output: "standalone"`, the one the
 *   container image runs), completed with its assets on each start; `next start` only if the build
 *   made none. --server names the server.js to run as is (the image, where scripts/standalone.ts
 *   bundles this launcher beside it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { clusterOptionsFromEnv, startCluster } from "../lib/sim/cluster";
import { isLoopbackHostname } from "../lib/kube/security";
import { realClusterRequested, settingsFromEnv } from "../lib/kube/settings";
import { completeStandalone } from "./standalone-files";

const STOP_TIMEOUT_MS = 10_000;

interface Launch {
  dev: boolean;
  /** The standalone server's entry file (`--server`), or undefined for `next start` / `next dev`. */
  server?: string;
  host: string;
  port: string;
  token?: string;
}

const USAGE = "usage: tsx scripts/playground.ts [--dev | --server <server.js>]";

function parseLaunch(argv: string[], env: NodeJS.ProcessEnv): Launch {
  const serverAt = argv.indexOf("--server");
  const server = serverAt >= 0 ? argv[serverAt + 1] : undefined;
  if (serverAt >= 0 && (!server || server.startsWith("--"))) fail(`--server needs the path of the standalone server.js (${USAGE})`);
  const unknown = argv.filter((a, i) => a !== "--dev" && (serverAt < 0 || (i !== serverAt && i !== serverAt + 1)));
  if (unknown.length > 0 || (server && argv.includes("--dev"))) fail(`unknown or conflicting argument(s): ${argv.join(" ")} (${USAGE})`);
  const port = env.PORT || "3000";
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) fail(`PORT must be a port number, got "${port}"`);
  return { dev: argv.includes("--dev"), server: server && path.resolve(server), host: env.HOST || "127.0.0.1", port, token: env.PLAYGROUND_TOKEN || undefined };
}

function fail(message: string): never {
  console.error(`playground: ${message}`);
  process.exit(1);
}

/** Serving beyond this machine needs an access token: anyone on the network could otherwise force-delete pods. */
function checkExposure(launch: Launch): void {
  if (isLoopbackHostname(launch.host) || launch.token) return;
  fail(
    `HOST=${launch.host} would serve the dashboard to the network; set an access token too, e.g.\n` +
      `  PLAYGROUND_TOKEN=$(node -e "console.log(require('crypto').randomBytes(16).toString('hex'))") HOST=${launch.host} npm start`,
  );
}

function urlsFor(launch: Launch): string[] {
  const shown = launch.host === "0.0.0.0" || launch.host === "::" ? "127.0.0.1" : launch.host;
  const base = `http://${shown.includes(":") ? `[${shown}]` : shown}:${launch.port}/`;
  return launch.token ? [`${base}?token=${encodeURIComponent(launch.token)}`] : [base];
}

/** Relative to the working directory when inside it (`.playground/kubeconfig`), else absolute. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/**
 * The standalone server changes its working directory to its own: relative kubeconfig paths
 * given to the launcher are made absolute first.
 */
function absolutePaths(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolveList = (value: string | undefined) =>
    value ? value.split(path.delimiter).map((p) => (p ? path.resolve(p) : p)).join(path.delimiter) : value;
  return { ...env, PLAYGROUND_KUBECONFIG: resolveList(env.PLAYGROUND_KUBECONFIG), KUBECONFIG: resolveList(env.KUBECONFIG) };
}

function spawnNext(launch: Launch, env: NodeJS.ProcessEnv): ChildProcess {
  const server = launch.server ?? (launch.dev ? undefined : completeStandalone(process.cwd()));
  // The standalone server reads its address from HOSTNAME and PORT (it has no command line).
  if (server) return spawn(process.execPath, [server], { stdio: "inherit", env: { ...absolutePaths(env), HOSTNAME: launch.host, PORT: launch.port } });
  const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const args = [nextBin, launch.dev ? "dev" : "start", "-H", launch.host, "-p", launch.port];
  return spawn(process.execPath, args, { stdio: "inherit", env });
}

/** Starts the dashboard's watches before the first browser arrives (best effort). */
async function warmUp(launch: Launch): Promise<void> {
  const host = isLoopbackHostname(launch.host) ? launch.host : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${launch.port}/api/cluster`;
  const headers: Record<string, string> = launch.token ? { Authorization: `Bearer ${launch.token}` } : {};
  for (let i = 0; i < 60; i++) {
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const launch = parseLaunch(process.argv.slice(2), process.env);
  checkExposure(launch);
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  let stopCluster: (() => Promise<void> | void) | undefined;
  const notes: string[] = [];

  if (realClusterRequested(process.env)) {
    try {
      const settings = settingsFromEnv(process.env);
      notes.push(`real cluster: context ${settings.context ?? "(current-context)"}, namespace ${settings.namespace}`);
    } catch (err) {
      fail((err as Error).message);
    }
  } else {
    const cluster = await startCluster(clusterOptionsFromEnv(process.env));
    stopCluster = () => cluster.stop();
    Object.assign(env, {
      PLAYGROUND_MODE: "embedded",
      PLAYGROUND_EMBEDDED_KUBECONFIG: cluster.kubeconfigPath,
      PLAYGROUND_DNS_PORT: String(cluster.dnsPort),
    });
    notes.push(
      `embedded cluster: API ${cluster.apiUrl}, DNS 127.0.0.1:${cluster.dnsPort}`,
      `  kubectl --kubeconfig ${shownPath(cluster.kubeconfigPath)} get pods`,
      `  dig @127.0.0.1 -p ${cluster.dnsPort} SRV kubia.default.svc.cluster.local`,
    );
    if (process.env.PLAYGROUND_PAUSE_CONTROLLERS === "1") {
      notes.push("  controllers PAUSED (PLAYGROUND_PAUSE_CONTROLLERS=1): fix the saved objects with kubectl, then start again without it");
    }
  }

  const child = spawnNext(launch, env);
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await new Promise((resolve) => child.once("exit", resolve));
      clearTimeout(killer);
    }
    try {
      await stopCluster?.();
    } catch (err) {
      console.error(`playground: stopping the embedded cluster failed: ${(err as Error).message}`);
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(130));
  process.on("SIGTERM", () => void stopAll(143));
  child.on("exit", (code, signal) => void stopAll(code ?? (signal ? 1 : 0)));
  child.on("error", (err) => {
    console.error(`playground: cannot start Next.js: ${err.message}`);
    void stopAll(1);
  });

  await warmUp(launch);
  if (stopping) return;
  console.log(["", "StatefulSet Playground", ...notes, "", "Open the dashboard:", ...urlsFor(launch).map((u) => `  ${u}`), ""].join("\n"));
}

main().catch((err) => {
  console.error(`playground: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
