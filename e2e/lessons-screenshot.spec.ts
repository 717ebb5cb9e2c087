import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { LessonsPanel, type E2eLocale } from "./pages/LessonsPanel";
import { expect, test } from "./support/fixtures";

/**
 * The README's pictures of the lessons at 1280×720, in English and Chinese: the Order lesson with
 * its first step ticked from the cluster's state and the next one current.
 * Copied to docs/ with UPDATE_SCREENSHOTS=1.
 */
const DOCS = fileURLToPath(new URL("../docs/", import.meta.url));

for (const locale of ["en", "zh-CN"] as E2eLocale[]) {
  test.describe(`lessons screenshot in ${locale}`, () => {
    test.use({ locale, viewport: { width: 1280, height: 720 } });

    test(`the Order lesson, first step ticked (${locale})`, async ({ page }, testInfo) => {
      const panel = new LessonsPanel(page, locale);
      await page.goto("/");
      await panel.open("order");
      const start = panel.step("order", "start", 0);
      await panel.complete(start, true, 90_000);
      // The lesson as a class sees it: the first step ticked from the cluster's state, the next one current.
      await expect(panel.step("order", "scaleUp", 1)).toHaveAttribute("data-state", "current");
      // Unscrolled: from 1280 px the Lessons column is beside the diagram, its current step in view.
      const path = testInfo.outputPath(`lessons-${locale}.png`);
      await page.screenshot({ path, animations: "disabled" });
      await testInfo.attach(`lessons-${locale}`, { path, contentType: "image/png" });
      if (process.env.UPDATE_SCREENSHOTS === "1") {
        await mkdir(DOCS, { recursive: true });
        await copyFile(path, `${DOCS}lessons-${locale}.png`);
      }
    });
  });
}

/**
 * The Readiness lesson at its point: kubia-1's readiness broken, scaled to 3, the scale-up halted
 * (its step ticked from the state) and the page saying why: OrderedReady waits for kubia-1.
 */
for (const locale of ["en", "zh-CN"] as E2eLocale[]) {
  test.describe(`readiness lesson screenshot in ${locale}`, () => {
    test.use({ locale, viewport: { width: 1280, height: 720 } });

    test(`the Readiness lesson, kubia-2 held back (${locale})`, async ({ page }, testInfo) => {
      const panel = new LessonsPanel(page, locale);
      await page.goto("/");
      await panel.open("readiness");
      for (const [index, id] of ["start", "probe", "break", "scale"].entries()) await panel.complete(panel.step("readiness", id, index), true, 90_000);
      await expect(panel.step("readiness", "repair", 4)).toHaveAttribute("data-state", "current");
      // The page's own why: the missing pod is not created while kubia-1 is not Ready.
      const why = panel.messages.Why.notCreatedOrdered.replace("<mono>{pod}</mono>", "kubia-2").replace("<mono>{blocker}</mono>", "kubia-1");
      await expect(page.getByText(why).first()).toBeVisible();
      const path = testInfo.outputPath(`lessons-readiness-${locale}.png`);
      await page.screenshot({ path, animations: "disabled" });
      await testInfo.attach(`lessons-readiness-${locale}`, { path, contentType: "image/png" });
    });
  });
}
