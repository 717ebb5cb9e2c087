/**
 * `npm run cluster:real -- <command>`: the local real Kubernetes control plane used by
 * `npm run test:real` (see tools/real-cluster/README.md).
 *
 *   build               build bin/playground-cluster (the control plane) if its sources changed
 *   kubectl             build if needed, print the path of kubectl of the same release (bin/kubectl)
 *   tools               what `npm test` needs first: kubectl, which the integration and browser tests
 *                       drive (test:real and fidelity build the control plane when they start it);
 *                       with PLAYGROUND_SKIP_REAL=1 and no Go, skips loudly
 *   up                  build if needed, start (or reuse) the cluster, wait until nodes are Ready
 *   down                stop it
 *   env                 print PLAYGROUND_KUBECONFIG=... and PLAYGROUND_CONTEXT=... (one per line)
 *   status              show the supervisor, the API server and the nodes
 *   fail-node <n>       annotate k8s-node<n> playground.k8s.io/down=true (its kubelet stops)
 *   recover-node <n>    remove the annotation (its kubelet comes back)
 *
 * Exit status is non-zero on any failure, with the tails of the logs for `up`.
 */
import { CoreV1Api } from "@kubernetes/client-node";
import { buildBinary, buildKubectl, GoMissingError } from "../tools/real-cluster/build";
import { clusterEnv, down, kubeConfigFor, nodeName, nodeReadyStatus, readState, runningCluster, setNodeDown, up } from "../tools/real-cluster/cluster";
import { realClusterPaths } from "../tools/real-cluster/config";

const log = (line: string) => console.error(`cluster:real: ${line}`);

function printEnv(): void {
  for (const [key, value] of Object.entries(clusterEnv())) console.log(`${key}=${value}`);
}

async function status(): Promise<number> {
  const paths = realClusterPaths();
  const state = readState(paths);
  const running = runningCluster(paths);
  if (!state || !running) {
    console.log(`not running${state ? ` (last status: ${state.status}${state.error ? `: ${state.error}` : ""})` : ""}`);
    return 1;
  }
  console.log(`running: ${state.server} supervisor pid ${state.pid}, ready since ${state.readyAt}`);
  console.log(`kubeconfig: ${state.kubeconfig} (context ${state.context})`);
  const nodes = await kubeConfigFor(clusterEnv(paths)).makeApiClient(CoreV1Api).listNode();
  for (const node of nodes.items) {
    const down = state.downNodes?.includes(node.metadata?.name ?? "") ? " (failed: kubelet stopped)" : "";
    console.log(`node ${node.metadata?.name}: Ready=${nodeReadyStatus(node)}${down}`);
  }
  return 0;
}

async function setDown(arg: string | undefined, isDown: boolean): Promise<number> {
  if (!arg) throw new Error(`usage: ${isDown ? "fail-node" : "recover-node"} <n | node name>`);
  const node = nodeName(arg);
  await setNodeDown(clusterEnv(), node, isDown);
  log(`${node}: ${isDown ? "failed (Ready turns Unknown after the node monitor grace period)" : "recovering"}`);
  return 0;
}

async function buildTools(): Promise<number> {
  try {
    await buildKubectl(realClusterPaths(), log);
  } catch (err) {
    if (!(err instanceof GoMissingError) || process.env.PLAYGROUND_SKIP_REAL !== "1") throw err;
    log("*** NO GO TOOLCHAIN: nothing built (PLAYGROUND_SKIP_REAL=1); kubectl tests use PLAYGROUND_KUBECTL or kubectl on PATH ***");
    return 0;
  }
  log(`kubectl for the tests: ${realClusterPaths().kubectl}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  switch (command) {
    case "build": {
      const result = await buildBinary(realClusterPaths(), log);
      log(result.skipped ? `up to date: ${result.binary}` : `built ${result.binary} in ${result.seconds.toFixed(1)}s`);
      return 0;
    }
    case "kubectl": {
      await buildKubectl(realClusterPaths(), log);
      console.log(realClusterPaths().kubectl);
      return 0;
    }
    case "tools":
      return buildTools();
    case "up":
      await up({ log });
      printEnv();
      return 0;
    case "down":
      await down({ log });
      return 0;
    case "env":
      printEnv();
      return 0;
    case "status":
      return status();
    case "fail-node":
      return setDown(arg, true);
    case "recover-node":
      return setDown(arg, false);
    default:
      console.error("usage: npm run cluster:real -- build|kubectl|tools|up|down|env|status|fail-node <n>|recover-node <n>");
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`cluster:real: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
