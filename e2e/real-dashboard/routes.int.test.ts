/**
 * The dashboard's server routes against the real control plane (`npm run test:real`), with the
 * admin's client-certificate kubeconfig over TLS through @kubernetes/client-node. The playground
 * namespace does not exist beforehand: the dashboard creates it on first use, as on a fresh cluster.
 *
 * Without Go this FAILS (the control plane cannot be built) unless PLAYGROUND_SKIP_REAL=1 says to skip.
 */
import { randomBytes } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { describe } from "vitest";
import { kubectl } from "./kubectl";
import { describeDashboardFlows } from "./flows";
import { SKIP_REAL, startTarget } from "./target";

if (SKIP_REAL) console.warn("\n*** REAL-CLUSTER DASHBOARD TESTS SKIPPED: PLAYGROUND_SKIP_REAL=1 ***\n");

describe.skipIf(SKIP_REAL)("dashboard server routes on the real control plane", () => {
  describeDashboardFlows("with the admin's client certificate", async () => {
    const target = await startTarget((line) => console.log(`[real-dashboard] ${line}`));
    const namespace = `rd-admin-${randomBytes(3).toString("hex")}`;
    const kc = new KubeConfig();
    kc.loadFromFile(target.admin.PLAYGROUND_KUBECONFIG);
    const context = target.admin.PLAYGROUND_CONTEXT || kc.getCurrentContext();
    return {
      target,
      kubeconfigPath: target.admin.PLAYGROUND_KUBECONFIG,
      context,
      namespace,
      canReadCluster: true,
      async cleanup() {
        await kubectl(target.admin, ["delete", "namespace", namespace, "--ignore-not-found", "--wait=false"]).catch(() => undefined);
        await target.stop();
      },
    };
  });
});
