import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";

/**
 * Projector-first (issue 12): the main views have no serious or critical axe violations in either
 * theme, the keyboard drives the page, and the pictures in docs/projector/ (copied with
 * UPDATE_SCREENSHOTS=1) show every size, theme and language.
 */
const DOCS = fileURLToPath(new URL("../docs/projector/", import.meta.url));
const LANGUAGES = [
  { locale: "en", cookie: "en" },
  { locale: "zh-CN", cookie: "zh-CN" },
] as const;

async function chooseLanguage(page: Page, locale: string): Promise<void> {
  const url = new URL(page.url() === "about:blank" ? `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}` : page.url());
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, domain: url.hostname, path: "/" }]);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`);
}

test("axe: no serious or critical violations in light and dark, live, replay and the shortcut help", async ({ dashboard, page }) => {
  // axe over the whole page takes tens of seconds on a busy two-core machine.
  test.setTimeout(420_000);
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  for (const colorScheme of ["light", "dark"] as const) {
    // Reduced motion: axe measures colours as they are at that instant, and rows fading in (the
    // timeline's entry animation) would read as low contrast; what is checked is the settled page.
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
    await page.goto("/");
    await expect(dashboard.pod("kubia-2")).toBeVisible();
    expect(await seriousViolations(page), `live view, ${colorScheme}`).toEqual([]);
    await page.getByRole("button", { name: "Replay" }).click();
    await expect(page.getByRole("slider", { name: "Timeline" })).toBeVisible();
    expect(await seriousViolations(page), `replay, ${colorScheme}`).toEqual([]);
    await page.getByRole("button", { name: "Live", exact: true }).click();
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    expect(await seriousViolations(page), `shortcut help, ${colorScheme}`).toEqual([]);
    await page.keyboard.press("Escape");
  }
});

test("keyboard: ? opens the help, + and - scale, p turns presenter mode on", async ({ dashboard, page }) => {
  await page.locator("body").press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.locator("body").press("+");
  await dashboard.expectDesired("kubia", 3);
  await dashboard.expectPodRunningReady("kubia-2");
  await page.locator("body").press("-");
  await dashboard.expectDesired("kubia", 2);
  await page.locator("body").press("p");
  await expect(page.getByRole("button", { name: "Presenter mode" })).toHaveAttribute("aria-pressed", "true");
  await page.locator("body").press("p");
  await expect(page.getByRole("button", { name: "Presenter mode" })).toHaveAttribute("aria-pressed", "false");
});

/** The projector sizes the page must serve on one screen. */
const SIZES = [
  [1280, 720],
  [1920, 1080],
] as const;

async function openAt(page: Page, dashboard: import("./pages/DashboardPage").DashboardPage, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.goto("/");
  await expect(dashboard.pod("kubia-2")).toBeVisible();
}

/** Whether the element's box lies wholly inside the viewport (the page not scrolled). */
async function inViewport(page: Page, locator: import("@playwright/test").Locator): Promise<string | undefined> {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize()!;
  if (!box) return "not rendered";
  const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height;
  return inside ? undefined : `at ${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)} outside ${width}×${height}`;
}

test("one screen: at 1280×720 and 1920×1080 every pod and PVC of a 3-replica StatefulSet is in view without scrolling, in both languages", async ({ dashboard, page }) => {
  test.setTimeout(180_000);
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await dashboard.expectPvcBound("data-kubia-2");
  for (const { cookie } of LANGUAGES) {
    await chooseLanguage(page, cookie);
    for (const [width, height] of SIZES) {
      await openAt(page, dashboard, width, height);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const outside: string[] = [];
      for (const ordinal of [0, 1, 2]) {
        for (const [what, card] of [
          [`Pod kubia-${ordinal}`, dashboard.pod(`kubia-${ordinal}`)],
          [`PVC data-kubia-${ordinal}`, dashboard.pvc(`data-kubia-${ordinal}`)],
        ] as const) {
          const where = await inViewport(page, card);
          if (where) outside.push(`${what} ${where}`);
        }
      }
      expect(outside, `${cookie} at ${width}×${height}`).toEqual([]);
    }
  }
});

test("screenshots at 1280×720 and 1920×1080, light and dark, English and Chinese", async ({ dashboard, page }, testInfo) => {
  test.setTimeout(240_000);
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await dashboard.expectPvcBound("data-kubia-2");
  for (const { locale, cookie } of LANGUAGES) {
    await chooseLanguage(page, cookie);
    for (const colorScheme of ["light", "dark"] as const) {
      // Reduced motion: axe measures colours as they are at that instant, and rows fading in (the
    // timeline's entry animation) would read as low contrast; what is checked is the settled page.
    await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
      for (const [width, height] of SIZES) {
        await openAt(page, dashboard, width, height);
        const name = `dashboard-${width}x${height}-${colorScheme}-${locale}.png`;
        const file = testInfo.outputPath(name);
        await page.screenshot({ path: file, animations: "disabled" });
        await testInfo.attach(name, { path: file, contentType: "image/png" });
        if (process.env.UPDATE_SCREENSHOTS === "1") {
          await mkdir(DOCS, { recursive: true });
          await copyFile(file, `${DOCS}${name}`);
        }
      }
    }
  }
});
