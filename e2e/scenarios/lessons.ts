import { expect, type Page } from "@playwright/test";
import type { Lesson } from "../../lib/lessons";
import type { Abilities } from "../../lib/lessons/abilities";
import { runnableSteps } from "../../lib/lessons/progress";
import { LessonsPanel, type E2eLocale } from "../pages/LessonsPanel";
import type { ClusterProbe } from "./probe";

/** What the cluster behind the page can do of what lesson steps may need, as the test knows it (the page works it out from the watched state). */
export const abilitiesOfProbe = (probe: ClusterProbe): Abilities => ({ faults: probe.faults, nodeFailure: probe.nodeButtons, containers: probe.volumeData });

/** Per lesson: how many steps were played to their tick, and how many were shown skipped. */
export interface LessonPlayed {
  played: number;
  skipped: number;
}

/**
 * One lesson played end to end as a learner does, written once for both clusters: each step the
 * cluster can run is done (Do it, or just looking when the step only observes) and must tick from the
 * watched state; each step needing what the cluster lacks must be shown skipped with its reason, and
 * never become current. The language is the page's (the browser's Accept-Language).
 */
export async function playLesson(page: Page, locale: E2eLocale, lesson: Lesson, probe: ClusterProbe, stepTimeoutMs: number): Promise<LessonPlayed> {
  const panel = new LessonsPanel(page, locale);
  const runnable = new Set(runnableSteps(lesson, abilitiesOfProbe(probe)).map((s) => s.id));
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await panel.open(lesson.id);
  await expect(panel.someSkipped).toBeVisible({ visible: runnable.size < lesson.steps.length });
  for (const [index, step] of lesson.steps.entries()) {
    const item = panel.step(lesson.id, step.id, index);
    if (runnable.has(step.id)) {
      await panel.complete(item, !!step.actions, stepTimeoutMs);
      continue;
    }
    await expect(item).toHaveAttribute("data-state", "skipped");
    await expect(item.getByText(panel.skipReason(step.needs!), { exact: true })).toBeVisible();
    await expect(panel.doIt(item)).toHaveCount(0);
  }
  await panel.expectComplete(lesson.id);
  return { played: runnable.size, skipped: lesson.steps.length - runnable.size };
}
