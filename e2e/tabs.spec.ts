import type { Page } from "@playwright/test";
import { DashboardPage } from "./pages/DashboardPage";
import { expect, test } from "./support/fixtures";

/**
 * One event stream per browser: 20 tabs of one browser (one context) all load and stay live,
 * although a browser allows six HTTP/1.1 connections per origin. Across the tabs the page opens
 * one /api/stream (its first message is the snapshot, which followers copy from the leader). When the leader's tab closes, another tab takes over the stream.
 */
const TABS = 20;

test("20 tabs of one browser share one event stream, each loads and follows a scale; the stream survives its tab closing", async ({ context, page }) => {
  test.setTimeout(420_000);
  const requests: string[] = [];
  const streamPages: Page[] = [];
  context.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path === "/api/stream" || path === "/api/snapshot") requests.push(path);
    if (path === "/api/stream") streamPages.push(r.frame().page());
  });
  const pages = [page, ...(await Promise.all(Array.from({ length: TABS - 1 }, () => context.newPage())))];
  const dashboards = pages.map((p) => new DashboardPage(p));
  // Twenty pages hydrating at once on a shared two-core machine: loading may take a while; it must happen.
  await Promise.all(
    dashboards.map(async (d) => {
      await d.page.goto("/");
      await expect(d.picker).toBeEnabled({ timeout: 120_000 });
    }),
  );
  expect(requests.filter((p) => p === "/api/stream")).toHaveLength(1);
  // Followers copy the leader's snapshot; one that hears nothing from a leader for 3 s loads its own
  // (possible on a saturated machine): never more than one full snapshot per page.
  const ownLoads = requests.filter((p) => p === "/api/snapshot").length;
  expect(ownLoads).toBeLessThan(TABS);

  await dashboards[TABS - 1].scaleTo(3);
  for (const [i, d] of dashboards.entries()) await expect(d.field(d.header("kubia"), "Desired"), `tab ${i + 1}`).toHaveText("3");

  // The leader (the tab that opened the stream) closes: another tab opens it and all keep following.
  const leader = streamPages[0];
  await leader.close();
  await expect.poll(() => requests.filter((p) => p === "/api/stream").length).toBe(2);
  expect(streamPages[1]).not.toBe(leader);
  const rest = dashboards.filter((d) => d.page !== leader);
  await rest[0].scaleTo(2);
  for (const [i, d] of rest.entries()) await expect(d.field(d.header("kubia"), "Desired"), `remaining tab ${i + 1}`).toHaveText("2");
  expect(requests.filter((p) => p === "/api/snapshot")).toHaveLength(ownLoads);
});
