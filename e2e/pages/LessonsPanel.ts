import { expect, type Locator, type Page } from "@playwright/test";
import type { StepNeed } from "../../lib/lessons/types";
import en from "../../messages/en.json" with { type: "json" };
import zhCN from "../../messages/zh-CN.json" with { type: "json" };

export type E2eLocale = "en" | "zh-CN";
const CATALOGUES = { en, "zh-CN": zhCN } as const;

/** ICU's simple arguments only ("Step {n}: {title}"): enough for the accessible names the panel builds. */
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

/** The Lessons panel, found by role and its name in the page's language (from the same catalogues the page uses). */
export class LessonsPanel {
  readonly messages: (typeof CATALOGUES)[E2eLocale];
  readonly region: Locator;
  readonly picker: Locator;
  /** The note a lesson shows when this cluster cannot run some of its steps. */
  readonly someSkipped: Locator;

  constructor(
    readonly page: Page,
    readonly locale: E2eLocale,
  ) {
    this.messages = CATALOGUES[locale];
    this.region = page.getByRole("region", { name: this.messages.LessonsUi.title, exact: true });
    this.picker = this.region.getByRole("combobox", { name: this.messages.LessonsUi.lesson });
    this.someSkipped = this.region.getByText(this.messages.LessonsUi.someSkipped, { exact: true });
  }

  async open(lessonId: string): Promise<void> {
    await expect(this.region).toBeVisible();
    await this.picker.selectOption(lessonId);
  }

  stepTitle(lessonId: string, stepId: string): string {
    const lesson = (this.messages.Lessons as Record<string, Record<string, { do: string } | string>>)[lessonId];
    return (lesson[stepId] as { do: string }).do;
  }

  step(lessonId: string, stepId: string, index: number): Locator {
    return this.region.getByRole("listitem", { name: fill(this.messages.LessonsUi.step, { n: index + 1, title: this.stepTitle(lessonId, stepId) }), exact: true });
  }

  /** Why a step is skipped on this cluster, as the step says it. */
  skipReason(need: StepNeed): string {
    return this.messages.LessonsUi.needs[need];
  }

  doIt(step: Locator): Locator {
    return step.getByRole("button", { name: this.messages.LessonsUi.doIt, exact: true });
  }

  /** Runs one step as a learner would: wait until it is current (or already ticked), press Do it if it has one, wait for the tick. */
  async complete(step: Locator, hasAction: boolean, timeout: number): Promise<void> {
    await expect(step).toHaveAttribute("data-state", /^(current|done)$/, { timeout });
    if (hasAction && (await step.getAttribute("data-state")) === "current") {
      const button = this.doIt(step);
      if (await button.isEnabled()) await button.click();
    }
    await expect(step).toHaveAttribute("data-state", "done", { timeout });
  }

  async expectComplete(lessonId: string): Promise<void> {
    const title = (this.messages.Lessons as Record<string, { title: string }>)[lessonId].title;
    // The progress line is a live status (an Answer output is one too, hence the text).
    await expect(this.region.getByRole("status").filter({ hasText: fill(this.messages.LessonsUi.complete, { lesson: title }) })).toBeVisible();
  }
}
