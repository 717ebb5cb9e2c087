/**
 * The cluster the real-dashboard tests run against: by default our own instance of the local
 * control plane (tools/real-cluster), else any cluster named by PLAYGROUND_KUBECONFIG /
 * PLAYGROUND_CONTEXT (used with admin rights to set up namespaces and RBAC; node failure is then
 * skipped, grace periods are the cluster's own).
 *
 * Shared by the vitest integration tests and the Playwright webServer (serve.ts), so both use the
 * same state directory and settings and a kept cluster (PLAYGROUND_REAL_KEEP=1) is reused.
 */
import path from "node:path";
import { down, up, type ClusterEnv } from "../../tools/real-cluster/cluster";
import { realClusterInstancePaths, settingsFromEnv, type RealClusterPaths, type RealClusterSettings } from "../../tools/real-cluster/config";

export const SKIP_REAL = process.env.PLAYGROUND_SKIP_REAL === "1";

/**
 * An external cluster named when the tests start. Captured once: the tests later set
 * PLAYGROUND_KUBECONFIG themselves to point the dashboard's runtime at the credentials under test.
 */
const EXTERNAL: ClusterEnv | undefined = process.env.PLAYGROUND_KUBECONFIG
  ? { PLAYGROUND_KUBECONFIG: process.env.PLAYGROUND_KUBECONFIG, PLAYGROUND_CONTEXT: process.env.PLAYGROUND_CONTEXT ?? "" }
  : undefined;

/**
 * Timing of our instance. Only delays change, never semantics: pods start in 0.5 s steps, a failed
 * node turns Unknown after 10 s (lease 8 s), and a deleted pod's kubelet confirms after a fifth of
 * its grace period — the demo's 30 s grace becomes 6 s of Terminating (the API server still
 * records 30 s, so the dashboard's countdown shows the real figure).
 */
export function dashboardClusterSettings(): RealClusterSettings {
  return { ...settingsFromEnv(), podCreateMs: 500, podReadyMs: 500, nodeGraceSeconds: 10, leaseSeconds: 8, graceScale: 0.2 };
}

/**
 * Our own instance of the real control plane (see realClusterInstancePaths): `real-dashboard`, or
 * E2E_REAL_INSTANCE's, so two checkouts running these flows at once each start their own.
 */
export function dashboardRealPaths(): RealClusterPaths {
  return realClusterInstancePaths(process.env.E2E_REAL_INSTANCE || "real-dashboard");
}

/** Where serve.ts writes what it generated (the ServiceAccount's kubeconfig), beside our instance's state. */
export function dashboardWorkDir(): string {
  return path.join(path.dirname(dashboardRealPaths().stateDir), "work");
}

export interface Target {
  /** Admin credentials: the client-certificate kubeconfig of the local cluster (O=system:masters), or the given one. */
  admin: ClusterEnv;
  local: boolean;
  /** Seconds a deleted pod stays Terminating per second of grace period (1 on an external cluster). */
  graceScale: number;
  /** How long after its kubelet stops a node turns Ready=Unknown, at most (local cluster only). */
  nodeUnknownWithinMs: number;
  stop(): Promise<void>;
}

/** The admin env of an external cluster, or of our local instance if it is already running (no start). */
export function adminEnv(): ClusterEnv {
  if (EXTERNAL) return EXTERNAL;
  return { PLAYGROUND_KUBECONFIG: dashboardRealPaths().kubeconfig, PLAYGROUND_CONTEXT: "real-playground" };
}

/** Starts (or reuses) the target cluster. `stop()` stops it only if this call started it and PLAYGROUND_REAL_KEEP is not 1. */
export async function startTarget(log: (line: string) => void): Promise<Target> {
  if (EXTERNAL) {
    return { admin: EXTERNAL, local: false, graceScale: 1, nodeUnknownWithinMs: 0, stop: async () => {} };
  }
  const paths = dashboardRealPaths();
  const settings = dashboardClusterSettings();
  const started = await up({ paths, settings, log });
  log(`real cluster for the dashboard tests: ${started.reused ? "reused" : `started in ${started.startSeconds.toFixed(1)} s`} (build ${started.build.skipped ? "cached" : `${started.build.seconds.toFixed(0)} s`}), state ${paths.stateDir}`);
  return {
    admin: { PLAYGROUND_KUBECONFIG: started.PLAYGROUND_KUBECONFIG, PLAYGROUND_CONTEXT: started.PLAYGROUND_CONTEXT },
    local: true,
    graceScale: settings.graceScale,
    // The node lifecycle controller checks every 2 s; the lease may have been renewed just before the kubelet died.
    nodeUnknownWithinMs: (settings.nodeGraceSeconds + settings.leaseSeconds) * 1000 + 30_000,
    async stop() {
      if (started.reused || process.env.PLAYGROUND_REAL_KEEP === "1") return;
      await down({ paths, log });
    },
  };
}
