import type { Snapshot } from "@/lib/k8s/contract";
import type { Abilities } from "./abilities";
import type { Baseline, Lesson, LessonStep } from "./types";

/** One lesson's progress as kept in the browser: steps ticked, and what the current step remembered when it began. */
export interface LessonProgress {
  done: string[];
  baseline: Baseline;
}

export const EMPTY_PROGRESS: LessonProgress = { done: [], baseline: {} };

/** The steps this cluster can run: the others need what it lacks (each says what, see StepNeed). */
export function runnableSteps(lesson: Lesson, can: Abilities): LessonStep[] {
  return lesson.steps.filter((s) => !s.needs || can[s.needs]);
}

export function currentStep(lesson: Lesson, progress: LessonProgress, can: Abilities): LessonStep | undefined {
  return runnableSteps(lesson, can).find((s) => !progress.done.includes(s.id));
}

/**
 * Ticks the current step when the watched state satisfies its check, then the next ones in turn
 * (an observation step whose fact already holds ticks at once). A step's baseline is taken from the
 * state in which it becomes current. Returns the same object when nothing changed.
 */
export function advance(lesson: Lesson, progress: LessonProgress, snapshot: Snapshot, can: Abilities): LessonProgress {
  let next = progress;
  for (let step = currentStep(lesson, next, can); step && step.check(snapshot, next.baseline); step = currentStep(lesson, next, can)) {
    const following = runnableSteps(lesson, can).find((s) => s.id !== step!.id && !next.done.includes(s.id));
    next = { done: [...next.done, step.id], baseline: following?.baseline?.(snapshot) ?? {} };
  }
  return next;
}

/** A fresh start: the first step's baseline from the current state. */
export function restart(lesson: Lesson, snapshot: Snapshot | undefined, can: Abilities): LessonProgress {
  const first = runnableSteps(lesson, can)[0];
  return { done: [], baseline: (snapshot && first?.baseline?.(snapshot)) || {} };
}

/** Parses what localStorage held; anything malformed is a fresh start, never a crash. */
export function parseProgress(text: string | null): Record<string, LessonProgress> {
  try {
    const value: unknown = JSON.parse(text ?? "{}");
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    const out: Record<string, LessonProgress> = {};
    for (const [id, p] of Object.entries(value as Record<string, unknown>)) {
      const done = (p as LessonProgress)?.done;
      const baseline = (p as LessonProgress)?.baseline;
      if (!Array.isArray(done) || !done.every((d) => typeof d === "string")) continue;
      const cleanBaseline = typeof baseline === "object" && baseline !== null ? Object.fromEntries(Object.entries(baseline).filter(([, v]) => typeof v === "string")) : {};
      out[id] = { done, baseline: cleanBaseline as Baseline };
    }
    return out;
  } catch {
    return {};
  }
}
