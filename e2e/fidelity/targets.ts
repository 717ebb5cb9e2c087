import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startCluster } from "@/lib/sim/cluster";
import { KUBECONFIG_CONTEXT } from "@/lib/sim/kubeconfig";
import { down, up } from "../../tools/real-cluster/cluster";
import { realClusterInstancePaths, settingsFromEnv, type RealClusterPaths, type RealClusterSettings } from "../../tools/real-cluster/config";

/** A cluster the scenarios run against: nothing but a kubeconfig and a context for the client. */
export interface Target {
  name: "sim" | "real";
  kubeconfigPath: string;
  context: string;
  /** One line for the report: what exactly ran. */
  description: string;
  stop(): Promise<void>;
}

/**
 * Speed of the embedded cluster's artificial delays (image pulls, container start, grace periods,
 * node heartbeats): semantics do not depend on it, only the run time does.
 */
export const SIM_SPEED = Number(process.env.FIDELITY_SIM_SPEED || 20);

export async function startSimTarget(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fidelity-sim-"));
  const cluster = await startCluster({ host: "127.0.0.1", apiPort: 0, dnsPort: 0, dataDir: dir, speed: SIM_SPEED, seedDemo: false });
  return {
    name: "sim",
    kubeconfigPath: cluster.kubeconfigPath,
    context: KUBECONFIG_CONTEXT,
    description: `embedded cluster (lib/sim) at ${cluster.apiUrl}, speed ${SIM_SPEED}`,
    async stop() {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real control plane's timing for this suite. Only delays change, never semantics: KWOK's
 * pod stages after 0.5 s, and a failed node turns Unknown after 10 s instead of 20 s.
 */
function fidelitySettings(): RealClusterSettings {
  return { ...settingsFromEnv(), podCreateMs: 500, podReadyMs: 500, nodeGraceSeconds: 10, leaseSeconds: 8, graceScale: 1 };
}

/** Our own instance of the real control plane (see realClusterInstancePaths). */
export function fidelityRealPaths(): RealClusterPaths {
  return realClusterInstancePaths("fidelity");
}

export async function startRealTarget(log: (line: string) => void): Promise<Target & { build: { skipped: boolean; seconds: number }; startSeconds: number; reused: boolean }> {
  const paths = fidelityRealPaths();
  const started = await up({ paths, settings: fidelitySettings(), log });
  return {
    name: "real",
    kubeconfigPath: started.PLAYGROUND_KUBECONFIG,
    context: started.PLAYGROUND_CONTEXT,
    description: `real control plane (tools/real-cluster, KWOK kubelets) state ${paths.stateDir}`,
    build: started.build,
    startSeconds: started.startSeconds,
    reused: started.reused,
    async stop() {
      if (process.env.FIDELITY_KEEP_REAL === "1") return; // for debugging: leave it running
      await down({ paths, log });
    },
  };
}
