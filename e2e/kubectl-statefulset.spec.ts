import { test } from "./support/fixtures";
import { kubectlAppliedStatefulSetAppearsLive } from "./scenarios/kubectl-applied";

/** e2e/scenarios/kubectl-applied.ts, also played on the real control plane. */
test("a StatefulSet created with kubectl apply appears in the picker without a reload and shows its pods", async ({ dashboard, probe }) => {
  test.setTimeout(180_000);
  await kubectlAppliedStatefulSetAppearsLive(dashboard, probe);
});
