/**
 * playwright.real.config.ts's webServer: the dashboard as a teacher would run it against a real
 * cluster with least privilege.
 *
 * 1. starts (or reuses) our instance of the local control plane (or takes PLAYGROUND_KUBECONFIG),
 * 2. applies the rendered deploy/ Role + the cluster-read overlay with admin rights and writes a kubeconfig
 *    holding only the ServiceAccount's token (TokenRequest API), as deploy/README.md describes,
 * 3. runs the launcher (scripts/playground.ts) in real mode with that kubeconfig — it only spawns
 *    `next start` (needs `next build`), no embedded cluster,
 * 4. on SIGTERM/SIGINT (Playwright's gracefulShutdown) stops the launcher, then the cluster if it
 *    started it (PLAYGROUND_REAL_KEEP=1 keeps it).
 *
 * The tests use the admin credentials themselves (target.ts's adminEnv) to play the teacher's
 * terminal: kubectl apply, fail-node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { leastPrivilegeKubeconfig } from "./rbac";
import { dashboardWorkDir, startTarget, type Target } from "./target";
import { REAL_E2E_NAMESPACE, REAL_E2E_PORT } from "./pw/settings";

const log = (line: string) => console.log(`[real-dashboard serve] ${line}`);
const repo = path.resolve(import.meta.dirname, "../..");

let target: Target | undefined;
let launcher: ChildProcess | undefined;
let stopping: Promise<void> | undefined;

function stopAll(code: number): Promise<void> {
  stopping ??= (async () => {
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill("SIGTERM");
      const killer = setTimeout(() => launcher?.kill("SIGKILL"), 15_000);
      await new Promise((resolve) => launcher!.once("exit", resolve));
      clearTimeout(killer);
    }
    await target?.stop().catch((err) => log(`stopping the cluster failed: ${(err as Error).message}`));
    process.exit(code);
  })();
  return stopping;
}

process.on("SIGTERM", () => void stopAll(0));
process.on("SIGINT", () => void stopAll(0));

async function main(): Promise<void> {
  target = await startTarget(log);
  const rights = await leastPrivilegeKubeconfig(target.admin, { namespace: REAL_E2E_NAMESPACE, clusterRead: true, dir: dashboardWorkDir() });
  log(`dashboard credentials: ServiceAccount ${REAL_E2E_NAMESPACE}/sts-playground (the rendered deploy/ Role + the cluster-read overlay), token only`);
  if (stopping) return;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(REAL_E2E_PORT),
    PLAYGROUND_MODE: "real",
    PLAYGROUND_KUBECONFIG: rights.kubeconfigPath,
    PLAYGROUND_CONTEXT: rights.context,
    PLAYGROUND_NAMESPACE: rights.namespace,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.PLAYGROUND_EMBEDDED_KUBECONFIG;
  delete env.PLAYGROUND_TOKEN;
  launcher = spawn(process.execPath, ["--import", "tsx", path.join(repo, "scripts/playground.ts")], { cwd: repo, env, stdio: "inherit" });
  launcher.on("exit", (code, signal) => void stopAll(code ?? (signal ? 1 : 0)));
}

main().catch(async (err) => {
  console.error(`[real-dashboard serve] ${err instanceof Error ? err.message : String(err)}`);
  await stopAll(1);
});
