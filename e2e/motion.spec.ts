import type { Locator } from "@playwright/test";
import { expect, test } from "./support/fixtures";

/**
 * Motion that explains (issue 12), done with CSS keyframes (app/globals.css): a new ordinal slides
 * into its lane, a Terminating pod fades, the PVC stays in its lane when its pod goes (Retained) and
 * the pod → PVC link is drawn anew when a new pod re-attaches it (Reused); prefers-reduced-motion
 * turns all of it off. Asserted through the computed animation, not through timing.
 */
const animationOf = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).animationName);

test("a page at rest runs no endless animation (each would make every open page composite 60 frames a second)", async ({ dashboard, page }) => {
  await dashboard.expectPodRunningReady("kubia-1");
  const endless = () => page.evaluate(() => document.getAnimations().filter((a) => a.effect?.getTiming().iterations === Infinity).length);
  await expect.poll(endless).toBe(0);
});

test("a new ordinal slides in, Terminating fades, the Retained PVC keeps its lane and the link redraws when reused", async ({ dashboard }) => {
  await dashboard.scaleUp();
  await expect(dashboard.slot(2)).toBeVisible();
  expect(await animationOf(dashboard.slot(2))).toBe("slot-enter");
  await dashboard.expectPodRunningReady("kubia-2");
  await dashboard.expectPvcBound("data-kubia-2");
  const link = dashboard.slot(2).locator('[data-link="mounts"]');
  await expect(link).toHaveAttribute("data-active", "true");
  const before = await link.elementHandle();

  await dashboard.scaleDown();
  await expect(dashboard.status(dashboard.pod("kubia-2"), "Terminating")).toBeVisible();
  expect(await animationOf(dashboard.pod("kubia-2").locator(".pod-terminating").first())).toBe("terminating");
  await expect(dashboard.pod("kubia-2")).toHaveCount(0);
  // The claim stays where it was, in lane 2, under a placeholder and a dashed link.
  await expect(dashboard.slot(2).getByRole("article", { name: "PVC data-kubia-2" })).toBeVisible();
  await expect(dashboard.status(dashboard.pvc("data-kubia-2"), "Retained")).toBeVisible();
  await expect(link).toHaveAttribute("data-active", "false");

  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await expect(dashboard.status(dashboard.pvc("data-kubia-2"), "Reused")).toBeVisible();
  await expect(link).toHaveAttribute("data-active", "true");
  // A new element (keyed by the new pod's uid), so the link is drawn again, from the pod down.
  expect(await before!.evaluate((el) => el.isConnected)).toBe(false);
  expect(await animationOf(link.locator(".lane-link"))).toBe("link-draw-down");
});

test.describe("with prefers-reduced-motion", () => {
  test.use({ reducedMotion: "reduce" });

  test("nothing slides, fades or draws; Terminating stays visibly dimmed", async ({ dashboard }) => {
    await dashboard.scaleUp();
    await dashboard.expectPodRunningReady("kubia-2");
    expect(await animationOf(dashboard.slot(2))).toBe("none");
    expect(await animationOf(dashboard.slot(2).locator(".lane-link"))).toBe("none");
    expect(await animationOf(dashboard.pvc("data-kubia-2").locator(".lane-link-x"))).toBe("none");
    await dashboard.scaleDown();
    const fading = dashboard.pod("kubia-2").locator(".pod-terminating").first();
    await expect(fading).toBeVisible();
    expect(await animationOf(fading)).toBe("none");
    expect(Number(await fading.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);
    await expect(dashboard.pod("kubia-2")).toHaveCount(0);
    expect(await animationOf(dashboard.slot(2).locator(".slot-placeholder"))).toBe("none");
  });
});
