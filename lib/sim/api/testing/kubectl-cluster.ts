import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { kubectlFor, parseTable, requireKubectl } from "@/testing/kubectl";
import { type RunningCluster, startCluster } from "../../cluster";

type Kubectl = ReturnType<typeof kubectlFor>;

/**
 * The embedded cluster a file's kubectl tests share: started once (beforeAll) in a fresh temporary
 * directory, with the real kubectl pointed at its kubeconfig, both gone after the file (afterAll).
 * `world.restart()` stops it and starts it again on the same data directory (a restart the user
 * sees through the same kubeconfig).
 */
export function withKubectlCluster(name: string, opts: { seedDemo: boolean; speed?: number }) {
  const world = {} as { cluster: RunningCluster; k: Kubectl; dir: string; restart(): Promise<void> };
  const start = () => startCluster({ apiPort: 0, dnsPort: 0, dataDir: path.join(world.dir, "data"), speed: opts.speed ?? 50, seedDemo: opts.seedDemo });
  beforeAll(async () => {
    requireKubectl();
    world.dir = fs.mkdtempSync(path.join(os.tmpdir(), `playground-${name}-`));
    world.cluster = await start();
    world.k = kubectlFor(world.cluster.kubeconfigPath, path.join(world.dir, "cache"));
    world.restart = async () => {
      await world.cluster.stop();
      world.cluster = await start();
    };
  });
  afterAll(async () => {
    await world.cluster?.stop();
    if (world.dir) fs.rmSync(world.dir, { recursive: true, force: true });
  });
  return world;
}

/** `kubectl get pods` rows once every named pod is Running with all containers ready (1/1), else undefined. */
export async function runningReady(k: Kubectl, names: string[]): Promise<Record<string, string>[] | undefined> {
  const rows = parseTable(await k.ok(["get", "pods"]));
  return names.every((n) => rows.some((r) => r.NAME === n && r.READY === "1/1" && r.STATUS === "Running")) ? rows : undefined;
}

/**
 * Fails the node under `pod` (the playground's down annotation) while `during` runs, handing it that
 * node's InternalIP (what the API server's dial to its kubelet names); recovers the node afterwards.
 */
export async function whileNodeOfPodIsDown<T>(k: Kubectl, pod: string, during: (nodeIP: string) => Promise<T>): Promise<T> {
  const node = (await k.ok(["get", "pod", pod, "-o", "jsonpath={.spec.nodeName}"])).trim();
  const ip = (await k.ok(["get", "node", node, "-o", "jsonpath={.status.addresses[?(@.type=='InternalIP')].address}"])).trim();
  await k.ok(["annotate", "node", node, "playground.k8s.io/down=true"]);
  try {
    return await during(ip);
  } finally {
    await k.ok(["annotate", "node", node, "playground.k8s.io/down-"]);
  }
}
