import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import en from "../messages/en.json" with { type: "json" };
import zhCN from "../messages/zh-CN.json" with { type: "json" };
import { LessonsPanel } from "./pages/LessonsPanel";
import { expect, test } from "./support/fixtures";

/**
 * Projector-first (issue 12): the main views have no serious or critical axe violations in either
 * theme, the keyboard drives the page, and the pictures in docs/projector/ (copied with
 * UPDATE_SCREENSHOTS=1) show every size, theme and language.
 */
const DOCS = fileURLToPath(new URL("../docs/projector/", import.meta.url));
const LANGUAGES = [
  { locale: "en", cookie: "en", messages: en },
  { locale: "zh-CN", cookie: "zh-CN", messages: zhCN },
] as const;

async function chooseLanguage(page: Page, locale: string): Promise<void> {
  const url = new URL(page.url() === "about:blank" ? `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}` : page.url());
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, domain: url.hostname, path: "/" }]);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`);
}

/** The OKLCH lightness (0–1) of an element's background: Tailwind 4's colours compute as oklch(), older ones as rgb(). */
async function lightness(locator: import("@playwright/test").Locator): Promise<number> {
  const colour = await locator.evaluate((el) => getComputedStyle(el).backgroundColor);
  const oklch = /^oklch\(([\d.]+)(%?)/.exec(colour);
  if (oklch) return Number(oklch[1]) / (oklch[2] ? 100 : 1);
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).map(Number);
  // Relative luminance's cube root approximates OKLCH lightness well enough to tell dark from light.
  const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return Math.cbrt(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b));
}

test("axe: no serious or critical violations in light and dark, live (terminals and a PVC's Details open), replay and the shortcut help", async ({ dashboard, page }) => {
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
    // Open with the rest: the terminals (last command, kubectl panel, a lesson's command) and a PVC's
    // Details with the data on its volume; the terminals are dark in both themes.
    const terminals = [page.getByText("Last command", { exact: true }).locator(".."), dashboard.console, page.getByRole("region", { name: "Lessons", exact: true }).locator("code").first()];
    for (const terminal of terminals) {
      await expect(terminal).toBeVisible();
      expect(await lightness(terminal), `${colorScheme}: a terminal's background is dark`).toBeLessThan(0.35);
    }
    await dashboard.openVolumeData("kubia-0");
    await expect(dashboard.dataAnswer("kubia-0")).toContainText("You've hit kubia-0");
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

test("keyboard: ? opens the help, + and - scale, n does the current lesson step, p turns presenter mode on", async ({ dashboard, page }) => {
  await page.locator("body").press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.locator("body").press("+");
  await dashboard.expectDesired("kubia", 3);
  await dashboard.expectPodRunningReady("kubia-2");
  await page.locator("body").press("-");
  await dashboard.expectDesired("kubia", 2);
  // n clicks the current lesson step's Do it: the Order lesson's start (a reset: the claim of kubia-2
  // is left from the scale above), then its next step, scale to 4.
  const lessons = new LessonsPanel(page, "en");
  await lessons.open("order");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // a focused select keeps its keys
  await expect(lessons.step("order", "start", 0)).toHaveAttribute("data-state", "current");
  await page.locator("body").press("n");
  await expect(lessons.step("order", "scaleUp", 1)).toHaveAttribute("data-state", "current", { timeout: 60_000 });
  await page.locator("body").press("n");
  await dashboard.expectDesired("kubia", 4);
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

test("one screen: at 1280×720 and 1920×1080 a 3-replica StatefulSet, its Service's DNS names, the last command and the current lesson step are in view without scrolling, in both languages", async ({ dashboard, page }) => {
  test.setTimeout(240_000);
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await dashboard.expectPvcBound("data-kubia-2");
  for (const { locale, cookie, messages } of LANGUAGES) {
    await chooseLanguage(page, cookie);
    for (const [width, height] of SIZES) {
      await openAt(page, dashboard, width, height);
      // A lesson open: the Identity lesson, whose first steps the 3-replica set has ticked, so the
      // current one is its last (the list scrolled to it; then checked with the Order lesson's first).
      const lessons = new LessonsPanel(page, locale);
      await lessons.open("identity");
      const step = lessons.step("identity", "delete", 3);
      await expect(step).toHaveAttribute("data-state", "current");
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const parts: [string, import("@playwright/test").Locator][] = [];
      for (const ordinal of [0, 1, 2]) {
        parts.push([`Pod kubia-${ordinal}`, dashboard.pod(`kubia-${ordinal}`)]);
        parts.push([`PVC data-kubia-${ordinal}`, dashboard.pvc(`data-kubia-${ordinal}`)]);
        // The lane's DNS name, under the headless Service (the first on the page; the DNS panel's come later).
        parts.push([`DNS name of kubia-${ordinal}`, page.getByText(`kubia-${ordinal}.kubia.default.svc.cluster.local`, { exact: true }).first()]);
      }
      parts.push(["the headless Service", page.getByText(messages.Ordinals.service.split("<mono>")[0].trim()).first()]);
      parts.push(["the last command", page.getByText(messages.Kubectl.last, { exact: true }).locator("..")]);
      parts.push(["the current step's title", step.getByText(lessons.stepTitle("identity", "delete"), { exact: false })]);
      parts.push(["the current step's Do it", lessons.doIt(step)]);
      const outside: string[] = [];
      for (const [what, part] of parts) {
        const where = await inViewport(page, part);
        if (where) outside.push(`${what} ${where}`);
      }
      await lessons.open("order");
      const first = lessons.step("order", "start", 0);
      await expect(first).toHaveAttribute("data-state", "current");
      for (const [what, part] of [
        ["the Order lesson's current step title", first.getByText(lessons.stepTitle("order", "start"), { exact: false })],
        ["the Order lesson's current Do it", lessons.doIt(first)],
      ] as const) {
        const where = await inViewport(page, part);
        if (where) outside.push(`${what} ${where}`);
      }
      expect(outside, `${cookie} at ${width}×${height}`).toEqual([]);
      // Scale down, Replicas and Scale up read as one control: never wrapped onto two lines.
      const middles = await Promise.all(
        [page.getByRole("button", { name: messages.Header.scaleDown }), page.getByRole("spinbutton", { name: messages.Header.replicas }), page.getByRole("button", { name: messages.Header.scaleUp })].map(async (control) => {
          const box = (await control.boundingBox())!;
          return Math.round(box.y + box.height / 2);
        }),
      );
      expect(Math.max(...middles) - Math.min(...middles), `${cookie} at ${width}×${height}: scale controls on one line (${middles.join(", ")})`).toBeLessThanOrEqual(2);
    }
  }
});

test("Details on demand: a PVC's Details hold its capacity, class, reclaim policy and the data on its volume, read when opened", async ({ dashboard }) => {
  await dashboard.writeData("kubia-1", "kept on data-kubia-1");
  const pvc = dashboard.pvc("data-kubia-1");
  // Closed again, then opened: the data is read without pressing Read.
  await pvc.locator("summary").click();
  await expect(dashboard.volumeData("kubia-1")).toBeHidden();
  await pvc.locator("summary").click();
  await expect(dashboard.dataAnswer("kubia-1")).toContainText("kept on data-kubia-1");
  await expect(dashboard.dataAnswer("kubia-1")).toContainText("You've hit kubia-1");
  for (const fact of ["Capacity", "Storage class", "Reclaim"]) await expect(pvc.getByText(fact, { exact: true })).toBeVisible();
});

test("screenshots at 1280×720 and 1920×1080, light and dark, English and Chinese", async ({ dashboard, page }, testInfo) => {
  test.setTimeout(240_000);
  await dashboard.scaleUp();
  await dashboard.expectPodRunningReady("kubia-2");
  await dashboard.expectPvcBound("data-kubia-2");
  for (const { locale, cookie } of LANGUAGES) {
    await chooseLanguage(page, cookie);
    for (const colorScheme of ["light", "dark"] as const) {
      // Reduced motion: the settled page, as a class sees it between changes.
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
