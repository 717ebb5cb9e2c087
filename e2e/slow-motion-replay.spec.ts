import type { APIRequestContext } from "@playwright/test";
import type { History } from "../lib/k8s/replay";
import { expect, test } from "./support/fixtures";
import { setSpeed, snapshot } from "./support/playground";

/**
 * Slow motion and replay (issue 12). Durations are compared from the watch events the dashboard
 * server recorded (GET /api/history: when each change arrived), never against wall-clock thresholds.
 */
async function history(request: APIRequestContext): Promise<History> {
  const res = await request.get("/api/history");
  expect(res.ok()).toBe(true);
  return (await res.json()) as History;
}

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

async function scaleDownAndWaitGone(dashboard: import("./pages/DashboardPage").DashboardPage, timeout: number): Promise<void> {
  await dashboard.scaleDown();
  await expect(dashboard.status(dashboard.pod("kubia-2"), "Terminating")).toBeVisible();
  await expect(dashboard.pod("kubia-2")).toHaveCount(0, { timeout });
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

test("a scale-down at 0.25× keeps kubia-2 Terminating four times as long as at 1×", async ({ dashboard, page, request }) => {
  test.setTimeout(420_000);
  const speed = page.getByRole("radiogroup", { name: "Speed" });
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await speed.getByRole("radio", { name: "1×", exact: true }).check();
  await expect(page.getByText("1× speed")).toBeVisible();
  await scaleDownAndWaitGone(dashboard, 90_000);
  const atOne = await terminatingMs(request);

  await speed.getByRole("radio", { name: "10×" }).check();
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await speed.getByRole("radio", { name: "0.25×" }).check();
  await expect(page.getByText("0.25× speed")).toBeVisible();
  await scaleDownAndWaitGone(dashboard, 240_000);
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

// Scrubs to the FIRST Terminating change of the kubia-2 that was deleted: later MODIFIED events of the
// same pod (containers stopped) carry phase Failed, which kubectl prints as "Error", not "Terminating".
test("replay: scale down, scrub back to kubia-2 Terminating, step forward to its deletion, return to live", async ({ dashboard, page, request }) => {
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await scaleDownAndWaitGone(dashboard, 60_000);

  await page.getByRole("button", { name: "Replay" }).click();
  const timeline = page.getByRole("slider", { name: "Timeline" });
  await expect(timeline).toBeVisible();
  const { entries } = await history(request);
  const isKubia2 = (e: (typeof entries)[number]) => e.change.kind === "pods" && e.change.object.metadata?.name === "kubia-2";
  const deletedUid = entries.findLast((e) => isKubia2(e) && e.change.type === "DELETED")?.change.object.metadata?.uid;
  const terminating = entries.findIndex((e) => isKubia2(e) && e.change.type === "MODIFIED" && e.change.object.metadata?.uid === deletedUid && !!e.change.object.metadata?.deletionTimestamp);
  expect(terminating).toBeGreaterThan(0);
  // The page loaded the history before this request: once the server's bound (5000 events) is reached, its
  // window has moved on by as many events as arrived since. The event ids line the two lists up.
  const target = entries[terminating].id;
  await timeline.fill(String(terminating));
  const shownId = await timeline.getAttribute("data-entry-id");
  const shown = entries.findIndex((e) => String(e.id) === shownId);
  if (shown >= 0 && shown !== terminating) await timeline.fill(String(terminating + (terminating - shown)));
  await expect(timeline).toHaveAttribute("data-entry-id", String(target));
  await expect(dashboard.status(dashboard.pod("kubia-2"), "Terminating")).toBeVisible();
  await expect(page.getByText(/changed\s+Pod kubia-2 \(Terminating\)/)).toBeVisible();
  // The countdown reads the recorded moment's clock: the grace period has just begun, not run out.
  await expect(dashboard.pod("kubia-2").getByText(/\d+s left of 30s grace period/)).toBeVisible();
  // The whole view is the recorded moment: DNS derived from the recorded objects, actions locked with the reason.
  await expect(page.getByRole("region", { name: "DNS records" }).getByText(/As recorded/)).toBeVisible();
  await expect(page.getByRole("region", { name: "DNS records" }).getByText(/kubia-0\.kubia\.default\.svc\.cluster\.local/).first()).toBeVisible();
  for (const name of ["Scale up", "Scale down"]) await expect(page.getByRole("button", { name })).toBeDisabled();
  await expect(dashboard.pod("kubia-0").getByRole("button", { name: "Delete", exact: true })).toBeDisabled();
  await expect(dashboard.pod("kubia-0").getByRole("button", { name: "Force delete" })).toBeDisabled();
  await expect(page.getByText("Replaying — return to Live to act").first()).toBeVisible();
  // The Kubernetes Event that explains a change is marked in the Events list (the StatefulSet controller's
  // delete, the kubelet's Killing): checked at each step to the deletion, as the controller may record its
  // event just after the pod change it explains (then it is marked from the next step on).
  const cause = page.getByRole("region", { name: "Events" }).locator("li[aria-current=true]");
  const causes: string[] = [];
  const noteCause = async () => {
    if ((await cause.count()) === 1) causes.push((await cause.textContent()) ?? "");
  };
  await noteCause();

  const next = page.getByRole("button", { name: /Next event/ });
  for (let i = 0; i < 200 && (await dashboard.pod("kubia-2").count()) > 0; i++) {
    await next.click();
    await noteCause();
  }
  // Each mark is an Event about kubia-2 (the controller's "delete Pod kubia-2", the kubelet's Killing)
  // with its Cause badge. (Past dashboard actions once piled onto the replayed "now" and pushed the
  // Events out of the list's 80 rows; actions now carry the cluster time they were done at.)
  test.info().annotations.push({ type: "marked causes", description: causes.join(" | ") || "(none)" });
  expect(causes.length, "some step marks the Event that caused it").toBeGreaterThan(0);
  for (const marked of causes) expect(marked).toMatch(/^.*Cause.*kubia-2/s);
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await expect(page.getByText(/deleted\s+Pod kubia-2/)).toBeVisible();
  // The arrow keys step too (the slider is focused): one back, kubia-2 is there again.
  await timeline.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(dashboard.pod("kubia-2")).toBeVisible();

  await page.getByRole("button", { name: "Live", exact: true }).click();
  await expect(timeline).toHaveCount(0);
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  await expect(dashboard.pod("kubia-1")).toBeVisible();
  await expect(page.getByRole("button", { name: "Scale up" })).toBeEnabled();
  await expect(page.getByText("Replaying — return to Live to act")).toHaveCount(0);
});

test.afterAll(async ({ request }) => {
  await setSpeed(request);
});
