import { LESSONS } from "../../lib/lessons";
import type { E2eLocale } from "../pages/LessonsPanel";
import { playLesson } from "../scenarios/lessons";
import { expect, test } from "./pw/fixtures";
import { SKIP_REAL } from "./target";

/**
 * The lessons on the real control plane (kube-apiserver, kube-controller-manager, kube-scheduler;
 * KWOK nodes), played by the same code as the embedded suite (e2e/scenarios/lessons.ts): every step
 * the cluster can run ticks from the watched state; the steps needing fault injection, a node failed
 * from the page or a pod that runs its container (KWOK's pods run none) are shown skipped with their
 * reason. Each lesson starts from the reset demo (the fixtures), as a class would.
 */
test.skip(SKIP_REAL, "PLAYGROUND_SKIP_REAL=1: real-cluster tests skipped on purpose");

const STEP_TIMEOUT_MS = 120_000;

/** The steps that need what KWOK nodes lack, per lesson: the figure the real cluster must show skipped. */
const SKIPPED_ON_KWOK: Record<string, number> = { identity: 0, order: 0, volumes: 2, peers: 1, access: 1, nodeFailure: 4, failures: 6, rollingUpdate: 0, readiness: 3 };

/**
 * Each lesson once, the languages alternating: the steps' checks read the cluster, not the words, and
 * both languages play every lesson on the embedded cluster (e2e/lessons.spec.ts). Playing all of them
 * twice here cost CI two and a half minutes of the real control plane's grace periods.
 */
const LOCALES: E2eLocale[] = ["en", "zh-CN"];

LESSONS.forEach((lesson, index) => {
  const locale = LOCALES[index % LOCALES.length];
  test.describe(`lessons on the real control plane in ${locale}`, () => {
    test.use({ locale });

    test(`${lesson.id}: the steps the real cluster can run tick from its state, the others say why they are skipped`, async ({ page, probe }) => {
      test.setTimeout(lesson.steps.length * STEP_TIMEOUT_MS);
      const skipped = SKIPPED_ON_KWOK[lesson.id];
      expect(await playLesson(page, locale, lesson, probe, STEP_TIMEOUT_MS)).toEqual({ played: lesson.steps.length - skipped, skipped });
    });
  });
});
