import { LESSONS } from "../lib/lessons";
import type { E2eLocale } from "./pages/LessonsPanel";
import { playLesson } from "./scenarios/lessons";
import { kubectl } from "./support/kubectl";
import { expect, test } from "./support/fixtures";

/**
 * Every lesson end to end, in both languages, on the embedded cluster (e2e/scenarios/lessons.ts, also
 * played on the real control plane by e2e/real-dashboard/lessons.flow.ts): the embedded cluster can
 * do everything a step needs, so no step is skipped. The browser's Accept-Language picks the language.
 */
const STEP_TIMEOUT_MS = 120_000;

for (const locale of ["en", "zh-CN"] as E2eLocale[]) {
  test.describe(`lessons in ${locale}`, () => {
    test.use({ locale });

    for (const lesson of LESSONS) {
      test(`${lesson.id}: every step ticks from the cluster's state`, async ({ page, probe }) => {
        test.setTimeout(lesson.steps.length * STEP_TIMEOUT_MS);
        expect(await playLesson(page, locale, lesson, probe, STEP_TIMEOUT_MS)).toEqual({ played: lesson.steps.length, skipped: 0 });
      });
    }
  });
}

test.afterAll(async () => {
  // The ordering lesson's Parallel set is not part of the demo the other specs expect.
  await kubectl(["delete", "statefulset", "kubia-parallel", "--ignore-not-found", "-n", "default"]).catch(() => undefined);
});
