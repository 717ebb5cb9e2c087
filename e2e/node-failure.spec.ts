import { test } from "./support/fixtures";
import { deadNodePodNeedsForceDelete } from "./scenarios/node-failure";

/** Kubernetes in Action 10.5 (e2e/scenarios/node-failure.ts, also played on the real control plane), with the volume's data. */
test("Fail node: kubia-1 is stuck Terminating until Force delete, then comes back elsewhere with its volume", async ({ dashboard, probe }) => {
  test.setTimeout(240_000);
  await deadNodePodNeedsForceDelete(dashboard, probe);
});
