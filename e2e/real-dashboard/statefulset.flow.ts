import { expect, NAMESPACE, test } from "./pw/fixtures";
import { SA_CONTEXT } from "./rbac";
import { SKIP_REAL } from "./target";
import { scaleKeepsAndReusesClaims } from "../scenarios/scale";
import { ordinalPodsMatchTheCluster } from "../scenarios/identity";
import { deletedPodComesBackWithItsIdentity, forceDeleteOnAHealthyNode } from "../scenarios/delete";
import { deadNodePodNeedsForceDelete } from "../scenarios/node-failure";
import { kubectlAppliedStatefulSetAppearsLive } from "../scenarios/kubectl-applied";
import { replayShowsTheScaleDown } from "../scenarios/replay";

/**
 * The dashboard in a browser against the real control plane (kube-apiserver, kube-controller-manager,
 * kube-scheduler; KWOK kubelets), running with only the rights of the rendered deploy/ Role +
 * the deploy/overlays/cluster-read overlay. The flows that make sense without containers: no volume data, no DNS
 * server — ordinals, claims, Terminating, force delete, node failure, live updates.
 */
test.skip(SKIP_REAL, "PLAYGROUND_SKIP_REAL=1: real-cluster tests skipped on purpose");

test("ordinal pods on real nodes, each with its PVC bound to a provisioned PV", async ({ dashboard, probe, page }) => {
  await expect(page.getByText(new RegExp(`^Cluster ${SA_CONTEXT} · namespace ${NAMESPACE}$`))).toBeVisible();
  await ordinalPodsMatchTheCluster(dashboard, probe);
});

test("scale 2→3→1→2: claims are Retained on scale-down and Reused, with the same PV, on scale-up", async ({ dashboard, probe }) => {
  // KWOK pods run no containers, so no volume data here.
  await scaleKeepsAndReusesClaims(dashboard, probe);
});

test("Delete: the pod stays Terminating with its grace period counting down, then a new one replaces it", async ({ dashboard, probe }) => {
  await deletedPodComesBackWithItsIdentity(dashboard, probe);
});

test("Force delete on a healthy node: the dialog says it is not needed; the pod goes at once", async ({ dashboard, probe }) => {
  await forceDeleteOnAHealthyNode(dashboard, probe);
});

test("node failure: a pod deleted on the dead node stays Terminating until force deleted, then runs elsewhere", async ({ dashboard, probe }) => {
  test.setTimeout(240_000);
  // The teacher's terminal fails the node (`npm run cluster:real -- fail-node N`); the dashboard cannot fail nodes of a real cluster.
  await deadNodePodNeedsForceDelete(dashboard, probe);
});

test("a StatefulSet created with kubectl appears live, and can be shown", async ({ dashboard, probe }) => {
  await kubectlAppliedStatefulSetAppearsLive(dashboard, probe);
});

test("replay: scale down, scrub back to kubia-2 Terminating, step forward to its deletion, return to live (history since the dashboard started)", async ({ dashboard, probe, page, request }) => {
  await replayShowsTheScaleDown(dashboard, page, request, probe);
});
