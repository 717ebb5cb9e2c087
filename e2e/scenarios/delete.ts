import { expect } from "@playwright/test";
import type { DashboardPage } from "../pages/DashboardPage";
import { volumeOf, type ClusterProbe } from "./probe";

/**
 * Kubernetes in Action 10.3.3, written once for both clusters: a deleted pod stays Terminating with
 * its grace period counting down until its kubelet confirms, then the StatefulSet replaces it with a
 * pod of the same name (and claim, and volume) but a new uid: same identity, a new object.
 */
export async function deletedPodComesBackWithItsIdentity(dashboard: DashboardPage, probe: ClusterProbe): Promise<void> {
  const name = "kubia-0";
  const card = dashboard.pod(name);
  const old = (await probe.pod(name))!.metadata!.uid!;
  await expect(dashboard.field(card, "UID")).toHaveText(old);
  const pv = await dashboard.expectPvcBound(`data-${name}`);

  await card.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dashboard.status(card, "Terminating")).toBeVisible();
  await expect(card).toHaveAttribute("data-uid", old); // the same pod object, being deleted
  // The kubia container takes its whole grace period (30 s; sped up by the embedded cluster).
  await expect(card.getByRole("timer", { name: `Grace period of ${name}` })).toHaveText(/^\d+s left of 30s grace period$|^Grace period over$/);
  await expect(dashboard.newestCommand()).toContainText(`kubectl delete pod ${name} -n ${probe.namespace}`);
  const terminating = await probe.pod(name);
  if (terminating?.metadata?.uid === old) expect(terminating.metadata.deletionTimestamp).toBeTruthy();

  // Same name back, a different object: new uid, in the page and in the cluster.
  await expect(card).not.toHaveAttribute("data-uid", old, { timeout: 60_000 });
  await dashboard.expectPodRunningReady(name);
  const replacement = (await probe.pod(name))!.metadata!.uid!;
  expect(replacement).not.toBe(old);
  await expect(dashboard.field(card, "UID")).toHaveText(replacement);

  // And the same claim and volume.
  const pvc = dashboard.pvc(`data-${name}`);
  await expect(dashboard.status(pvc, "Reused")).toBeVisible();
  await expect(dashboard.field(pvc, "Volume")).toHaveText(pv);
  expect(await volumeOf(probe, `data-${name}`)).toBe(pv);
}

/**
 * Force delete where it is not needed: the dialog says the node is Ready and a normal delete would
 * finish by itself; forced, the pod is gone from the API server at once (no Terminating step) and
 * its replacement starts.
 */
export async function forceDeleteOnAHealthyNode(dashboard: DashboardPage, probe: ClusterProbe): Promise<void> {
  const before = (await probe.pod("kubia-1"))!;
  const dialog = await dashboard.openForceDelete("kubia-1");
  await expect(dialog).toContainText(`Node ${before.spec!.nodeName} is Ready: a normal delete will finish by itself.`);
  await expect(dialog).toContainText(`kubectl delete pod kubia-1 --force --grace-period=0 -n ${probe.namespace}`);
  await dialog.getByRole("button", { name: "Force delete" }).click();
  await expect(dashboard.dialog).toHaveCount(0);
  await expect(dashboard.newestCommand()).toContainText(`kubectl delete pod kubia-1 --force --grace-period=0 -n ${probe.namespace}`);
  // Gone from the API server well within the time a graceful delete keeps it (no Terminating step).
  await expect.poll(async () => (await probe.pod("kubia-1"))?.metadata?.uid ?? "gone", { timeout: 3_000, intervals: [100] }).not.toBe(before.metadata!.uid);
  await expect(dashboard.pod("kubia-1")).not.toHaveAttribute("data-uid", before.metadata!.uid!);
  await dashboard.expectPodRunningReady("kubia-1");
  await expect(dashboard.status(dashboard.pvc("data-kubia-1"), "Reused")).toBeVisible();
}
