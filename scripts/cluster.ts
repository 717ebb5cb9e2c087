/**
 * `npm run cluster`: the embedded cluster alone, in the foreground. Prints one line when ready;
 * Ctrl-C / SIGTERM stops it cleanly (watches closed, state flushed).
 *
 *   PLAYGROUND_API_PORT (16443), PLAYGROUND_DNS_PORT (10053), PLAYGROUND_DATA_DIR (.playground),
 *   PLAYGROUND_SPEED (1), PLAYGROUND_SEED_DEMO (1: create the kubia demo on first start)
 */
import path from "node:path";
import { clusterOptionsFromEnv, startCluster } from "../lib/sim/cluster";

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

async function main(): Promise<void> {
  const cluster = await startCluster(clusterOptionsFromEnv(process.env));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await cluster.stop();
    } catch (err) {
      console.error(`playground cluster: ${(err as Error).message}`);
      code = 1;
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  console.log(`playground cluster ready: api=${cluster.apiUrl} dns=127.0.0.1:${cluster.dnsPort} kubeconfig=${shown(cluster.kubeconfigPath)}`);
}

main().catch((err) => {
  console.error(`playground cluster: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
