import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { remove, setSpeed, snapshot } from "./support/playground";
import { history } from "./scenarios/history";
import { replayShowsTheScaleDown } from "./scenarios/replay";

/**
 * Slow motion and replay (issue 12). Durations are compared from the watch events the dashboard
 * server recorded (GET /api/history: when each change arrived), never against wall-clock thresholds.
 * The replay itself is a scenario written once (e2e/scenarios/replay.ts), also played on the real control plane.
 */

/** Wall-clock ms between kubia-2 turning Terminating and its DELETED event, for the latest scale-down recorded. */
async function terminatingMs(request: APIRequestContext): Promise<number> {
  const { entries } = await history(request);
  const kubia2 = entries.filter((e) => e.change.kind === "pods" && e.change.object.metadata?.name === "kubia-2");
  const deleted = kubia2.findLast((e) => e.change.type === "DELETED");
  const uid = deleted?.change.object.metadata?.uid;
  const terminating = kubia2.find((e) => e.change.type === "MODIFIED" && e.change.object.metadata?.uid === uid && e.change.object.metadata?.deletionTimestamp);
  expect(deleted && terminating, "kubia-2 Terminating then DELETED in the history").toBeTruthy();
  return deleted!.at - terminating!.at;
}


test("the Speed control shows the speed beside the cluster name and changes it live", async ({ dashboard, page }) => {
  const speed = page.getByRole("radiogroup", { name: "Speed" });
  await expect(speed.getByRole("radio", { name: "10×" })).toBeChecked();
  await speed.getByRole("radio", { name: "0.25×" }).check();
  await expect(speed.getByRole("radio", { name: "0.25×" })).toBeChecked();
  await expect(page.getByRole("banner").getByText("0.25× speed")).toBeVisible();
  await expect(dashboard.newestCommand()).toContainText("/apis/playground.k8s.io/v1/speed");
  await speed.getByRole("radio", { name: "Pause" }).check();
  await expect(page.getByRole("banner").getByText(/paused \(at 0\.25×\)/)).toBeVisible();
});

/**
 * Deletes kubia-2 with a short grace period at the current speed and waits for its DELETED event.
 * (A scale-down would wait out kubia's 30 s grace period: two and a half minutes of the suite at 0.25×
 * for the same ratio. The kubelet's countdown is the same clock either way.)
 */
async function deleteKubia2AndWaitGone(request: APIRequestContext, gracePeriodSeconds: number, timeout: number): Promise<void> {
  const uid = (await snapshot(request)).objects.pods.find((p) => p.metadata?.name === "kubia-2")?.metadata?.uid;
  expect(uid, "kubia-2 exists").toBeTruthy();
  await remove(request, "/api/pods/kubia-2", { gracePeriodSeconds });
  await expect
    .poll(async () => (await history(request)).entries.some((e) => e.change.type === "DELETED" && e.change.object.metadata?.uid === uid), { timeout })
    .toBe(true);
}

test("kubia-2 stays Terminating four times as long at 0.25× as at 1×", async ({ dashboard, page, request }) => {
  test.setTimeout(180_000);
  const speed = page.getByRole("radiogroup", { name: "Speed" });
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await speed.getByRole("radio", { name: "1×", exact: true }).check();
  await expect(page.getByText("1× speed")).toBeVisible();
  await deleteKubia2AndWaitGone(request, 6, 60_000);
  const atOne = await terminatingMs(request);

  await speed.getByRole("radio", { name: "10×" }).check();
  await dashboard.expectPodRunningReady("kubia-2");
  await speed.getByRole("radio", { name: "0.25×" }).check();
  await expect(page.getByText("0.25× speed")).toBeVisible();
  await expect(dashboard.status(dashboard.pod("kubia-2"), "Terminating")).toHaveCount(0);
  await deleteKubia2AndWaitGone(request, 6, 120_000);
  await expect(dashboard.pod("kubia-2")).toBeVisible();
  const atQuarter = await terminatingMs(request);
  console.log(`[slow motion] kubia-2 Terminating: ${atOne} ms at 1×, ${atQuarter} ms at 0.25× (ratio ${(atQuarter / atOne).toFixed(2)})`);
  expect(atQuarter / atOne).toBeGreaterThan(3.5);
  expect(atQuarter / atOne).toBeLessThan(4.5);
});

test("pause stops every state change until resumed", async ({ dashboard, page, request }) => {
  const speed = page.getByRole("radiogroup", { name: "Speed" });
  await speed.getByRole("radio", { name: "Pause" }).check();
  await expect(page.getByRole("banner").getByText(/paused/)).toBeVisible();
  await dashboard.scaleUp();
  await dashboard.expectDesired("kubia", 3);
  const before = await snapshot(request);
  const versions = (s: typeof before) => s.objects.pods.map((p) => `${p.metadata?.name}@${p.metadata?.resourceVersion}`).sort().join();
  // Two seconds of wall time are twenty of cluster time at the suite's 10×: a running clock would have made kubia-2.
  await page.waitForTimeout(2_000);
  const after = await snapshot(request);
  expect(versions(after)).toBe(versions(before));
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await speed.getByRole("radio", { name: "10×" }).check();
  await dashboard.expectPodRunningReady("kubia-2");
});

test("replay: scale down, scrub back to kubia-2 Terminating, step forward to its deletion, return to live", async ({ dashboard, page, request, probe }) => {
  await replayShowsTheScaleDown(dashboard, page, request, probe);
});

test.afterAll(async ({ request }) => {
  await setSpeed(request);
});
