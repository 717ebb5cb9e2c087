import { test } from "./support/fixtures";
import { ordinalPodsMatchTheCluster } from "./scenarios/identity";

/** Kubernetes in Action 10.3.2 (e2e/scenarios/identity.ts, also played on the real control plane). */
test("kubia-0 and kubia-1 run with their DNS names and their claims bound to volumes", async ({ dashboard, probe }) => {
  await ordinalPodsMatchTheCluster(dashboard, probe);
});
