import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { DashboardPage } from "../pages/DashboardPage";
import { history, scaleDownAndWaitGone } from "./history";
import type { ClusterProbe } from "./probe";

/**
 * Replay (issue 12), written once and played on both clusters (e2e/slow-motion-replay.spec.ts on the
 * embedded one, e2e/real-dashboard/statefulset.flow.ts on the real control plane, where the history
 * starts when the dashboard started): scale down, scrub the Timeline back to kubia-2 Terminating,
 * step forward event by event to its deletion with the explaining Event marked, step back with the
 * arrow key, return to Live.
 *
 * Scrubs to the FIRST Terminating change of the kubia-2 that was deleted: later MODIFIED events of the
 * same pod (containers stopped) carry phase Failed, which kubectl prints as "Error", not "Terminating".
 */
export async function replayShowsTheScaleDown(dashboard: DashboardPage, page: Page, request: APIRequestContext, probe: ClusterProbe): Promise<void> {
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
  if (probe.volumeData) {
    // The whole view is the recorded moment: DNS derived from the recorded objects (the embedded cluster's DNS server).
    const dns = page.getByRole("region", { name: "DNS records" });
    await expect(dns.getByText(/As recorded/)).toBeVisible();
    await expect(dns.getByText(new RegExp(`kubia-0\\.kubia\\.${probe.namespace}\\.svc\\.cluster\\.local`)).first()).toBeVisible();
  }
  // Actions are locked, with the reason.
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
}
