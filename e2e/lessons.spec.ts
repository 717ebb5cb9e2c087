import { LESSONS } from "../lib/lessons";
import { LessonsPanel, type E2eLocale } from "./pages/LessonsPanel";
import { kubectl } from "./support/kubectl";
import { expect, test } from "./support/fixtures";

/**
 * Every lesson end to end, in both languages, on the embedded cluster: each step is done the way a
 * learner does it (Do it, or just looking when the step only observes) and must tick from the
 * watched state. The browser's Accept-Language picks the language (Playwright's `locale`).
 */
const STEP_TIMEOUT_MS = 120_000;

for (const locale of ["en", "zh-CN"] as E2eLocale[]) {
  test.describe(`lessons in ${locale}`, () => {
    test.use({ locale });

    for (const lesson of LESSONS) {
      test(`${lesson.id}: every step ticks from the cluster's state`, async ({ page }) => {
        test.setTimeout(lesson.steps.length * STEP_TIMEOUT_MS);
        const panel = new LessonsPanel(page, locale);
        await page.goto("/");
        await expect(page.locator("html")).toHaveAttribute("lang", locale);
        await panel.open(lesson.id);
        for (const [index, step] of lesson.steps.entries()) {
          await panel.complete(panel.step(lesson.id, step.id, index), !!step.actions, STEP_TIMEOUT_MS);
        }
        await panel.expectComplete(lesson.id);
      });
    }
  });
}

test.afterAll(async () => {
  // The ordering lesson's Parallel set is not part of the demo the other specs expect.
  await kubectl(["delete", "statefulset", "kubia-parallel", "--ignore-not-found", "-n", "default"]).catch(() => undefined);
});
