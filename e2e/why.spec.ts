import { expect, test } from "./support/fixtures";

/**
 * "Why is nothing happening?": while the controller waits, the waiting ordinal's slot says why,
 * in a sentence computed from the watched state (lib/k8s/why.ts). A missing image holds kubia-2
 * back, so the waiting lasts long enough to read (and to test without racing the cluster).
 */
test("a pod that cannot pull its image holds back the next ordinal, and each slot says why", async ({ dashboard, page }) => {
  await page.getByRole("region", { name: "Faults" }).getByRole("checkbox", { name: "Image luksa/kubia-pet missing" }).check();
  await dashboard.replicas.fill("4");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(dashboard.slot(2)).toContainText(/kubia-2 is waiting: (ErrImagePull|ImagePullBackOff); OrderedReady creates no higher ordinal until it is Running and Ready\./);
  await expect(dashboard.slot(3)).toContainText("kubia-3 is not created yet: OrderedReady waits until kubia-2 is Running and Ready.");
  await expect(dashboard.slot(0).locator("[data-why]")).toHaveCount(0);

  await dashboard.pod("kubia-1").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dashboard.slot(1)).toContainText("kubia-1 comes back once the Terminating kubia-1 is gone (at most one pod per ordinal).");
});
