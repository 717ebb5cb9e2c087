import { expect } from "@playwright/test";
import type { DashboardPage } from "../pages/DashboardPage";
import { volumeOf, type ClusterProbe } from "./probe";

/**
 * Kubernetes in Action 10.5, written once for both clusters: when a node dies the API server cannot
 * learn whether its pods still run, so a StatefulSet pod deleted there (by the taint-based eviction,
 * or by hand) stays Terminating after its grace period until someone force-deletes it; then the
 * StatefulSet creates it again on a healthy node, with the same claim, volume (and data).
 */
export async function deadNodePodNeedsForceDelete(dashboard: DashboardPage, probe: ClusterProbe): Promise<void> {
  const card = dashboard.pod("kubia-1");
  const victim = (await probe.pod("kubia-1"))!;
  const node = victim.spec!.nodeName!;
  const line = `kubia-1 wrote this before its node died (${Date.now()})`;
  if (probe.volumeData) await dashboard.writeData("kubia-1", line);
  const pv = await dashboard.expectPvcBound("data-kubia-1");
  await expect(dashboard.field(card, "Node")).toHaveText(node);

  await probe.failNode(dashboard, node);
  try {
    // The node controller notices the silent kubelet (node-monitor-grace-period) and taints the node.
    const nodeCard = dashboard.node(node);
    await expect(nodeCard).toHaveAttribute("data-status", "NotReady", { timeout: 90_000 });
    await expect(nodeCard.getByRole("list", { name: `Taints of ${node}` })).toContainText("node.kubernetes.io/unreachable:NoExecute");
    await expect(dashboard.field(card, "Node")).toContainText("(NotReady)");

    if (probe.volumeData) {
      // The pod cannot be reached any more: the API server's own error reaches the user.
      await dashboard.readData("kubia-1");
      const dataAlert = dashboard.volumeData("kubia-1").getByRole("alert");
      await expect(dataAlert).toContainText("ServiceUnavailable", { timeout: 20_000 });
      await expect(dataAlert).toContainText(/error trying to reach service/);
    }

    if (probe.evictsInTime) {
      // Taint-based eviction (300 s toleration, sped up) deletes the pod by itself.
      await expect(dashboard.status(card, "Terminating")).toBeVisible({ timeout: 120_000 });
    } else {
      await card.getByRole("button", { name: "Delete", exact: true }).click();
      await expect(dashboard.status(card, "Terminating")).toBeVisible();
    }
    // Its grace period runs out, and nothing happens: no kubelet to confirm.
    await expect(card.getByRole("timer", { name: "Grace period of kubia-1" })).toHaveText("Grace period over", { timeout: 45_000 });
    await expect(card).toContainText(`Node ${node} is down: its kubelet cannot confirm, so the pod stays Terminating until you force delete it.`);
    await expect(dashboard.status(card, "Terminating")).toBeVisible();
    await expect(card).toHaveAttribute("data-uid", victim.metadata!.uid!);
    expect((await probe.pod("kubia-1"))?.metadata?.uid).toBe(victim.metadata!.uid);

    // Force delete, behind a dialog that explains the at-most-one guarantee it bypasses.
    const dialog = await dashboard.openForceDelete("kubia-1");
    await expect(dialog).toHaveAccessibleName("Force delete kubia-1?");
    await expect(dialog).toContainText(/at most one/i);
    await expect(dialog).toContainText(`Node ${node} is not Ready.`);
    await expect(dialog).toContainText(`kubectl delete pod kubia-1 --force --grace-period=0 -n ${probe.namespace}`);
    await dialog.getByRole("button", { name: "Force delete" }).click();
    await expect(dialog).toBeHidden();
    await expect(dashboard.newestCommand()).toContainText(`kubectl delete pod kubia-1 --force --grace-period=0 -n ${probe.namespace}`);

    // kubia-1 again, on a healthy node (the unreachable taint keeps it off the dead one), with the
    // same claim, the same PV (and the data written before).
    await expect(card).not.toHaveAttribute("data-uid", victim.metadata!.uid!);
    await dashboard.expectPodRunningReady("kubia-1", 90_000);
    const replacement = (await probe.pod("kubia-1"))!;
    expect(replacement.spec?.nodeName).not.toBe(node);
    await expect(dashboard.field(card, "Node")).toHaveText(replacement.spec!.nodeName!);
    const pvc = dashboard.pvc("data-kubia-1");
    await expect(dashboard.field(pvc, "Volume")).toHaveText(pv);
    await expect(dashboard.status(pvc, "Reused")).toBeVisible();
    expect(await volumeOf(probe, "data-kubia-1")).toBe(pv);
    if (probe.volumeData) await expect(await dashboard.readData("kubia-1")).toContainText(line);
  } finally {
    await probe.recoverNode(dashboard, node);
  }
  await expect(dashboard.node(node)).toHaveAttribute("data-status", "Ready", { timeout: 60_000 });
}
