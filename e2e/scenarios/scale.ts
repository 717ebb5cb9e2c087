import { expect } from "@playwright/test";
import type { DashboardPage } from "../pages/DashboardPage";
import { volumeOf, type ClusterProbe } from "./probe";

/**
 * Kubernetes in Action 10.3.3–10.3.4, written once and played on both clusters (e2e/scale.spec.ts
 * on the embedded one, e2e/real-dashboard/statefulset.flow.ts on the real control plane): scaling
 * down removes the highest ordinal first and keeps its claim; scaling up again gives the new pod
 * of that ordinal the same claim and volume (and, where pods run the app, the same data).
 */
export async function scaleKeepsAndReusesClaims(dashboard: DashboardPage, probe: ClusterProbe): Promise<void> {
  const pv1 = await dashboard.expectPvcBound("data-kubia-1");
  const line = `kubia-1 wrote this before the scale-down (${Date.now()})`;
  if (probe.volumeData) await dashboard.writeData("kubia-1", line);

  // 2 → 3 with the button: a third ordinal appears, with its own claim.
  await dashboard.scaleUp();
  await dashboard.expectDesired("kubia", 3);
  await dashboard.expectPodRunningReady("kubia-2");
  const pv2 = await dashboard.expectPvcBound("data-kubia-2");
  expect(pv2).not.toBe(pv1);

  // 3 → 1 with the spinbutton: highest ordinal first, one at a time (OrderedReady), each
  // Terminating while its kubelet finishes.
  await dashboard.scaleTo(1);
  await dashboard.expectDesired("kubia", 1);
  await expect(dashboard.status(dashboard.pod("kubia-2"), "Terminating")).toBeVisible();
  await expect(dashboard.status(dashboard.pod("kubia-1"), "Terminating")).toBeVisible();
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await expect(dashboard.pod("kubia-1")).toHaveCount(0);
  await dashboard.expectPodRunningReady("kubia-0");

  // The claims stay, in their ordinal's slot, bound to the same volumes.
  for (const [ordinal, pv] of [
    [1, pv1],
    [2, pv2],
  ] as const) {
    const pvc = dashboard.slot(ordinal).getByRole("article", { name: `PVC data-kubia-${ordinal}` });
    await expect(dashboard.status(pvc, "Retained")).toBeVisible();
    await expect(dashboard.field(pvc, "Volume")).toHaveText(pv);
  }

  // 1 → 2 with the button: kubia-1 is back and gets data-kubia-1 back — same PV (same data).
  await dashboard.scaleUp();
  await dashboard.expectDesired("kubia", 2);
  await dashboard.expectPodRunningReady("kubia-1");
  const pvc1 = dashboard.pvc("data-kubia-1");
  await expect(dashboard.status(pvc1, "Reused")).toBeVisible();
  await expect(dashboard.field(pvc1, "Volume")).toHaveText(pv1);
  expect(await volumeOf(probe, "data-kubia-1")).toBe(pv1);
  if (probe.volumeData) await expect(await dashboard.readData("kubia-1")).toContainText(line);

  // kubia-2 stays gone; its claim keeps waiting for it.
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await expect(dashboard.status(dashboard.pvc("data-kubia-2"), "Retained")).toBeVisible();
}
