import { test } from "./support/fixtures";
import { deletedPodComesBackWithItsIdentity, forceDeleteOnAHealthyNode } from "./scenarios/delete";

/** Kubernetes in Action 10.3.3 (e2e/scenarios/delete.ts, also played on the real control plane). */
test("Delete: the pod goes Terminating with a countdown, then comes back with the same name and a new uid", async ({ dashboard, probe }) => {
  await deletedPodComesBackWithItsIdentity(dashboard, probe);
});

test("Force delete on a healthy node: the dialog says it is not needed; the pod goes at once", async ({ dashboard, probe }) => {
  await forceDeleteOnAHealthyNode(dashboard, probe);
});
