"use client";
import { useId, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import type { Snapshot } from "@/lib/k8s/contract";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { useLessonProgress } from "@/lib/client/useLessonProgress";
import { LESSONS } from "@/lib/lessons";
import { currentStep, runnableSteps } from "@/lib/lessons/progress";
import { abilitiesOf } from "@/lib/lessons/abilities";
import { ActionAlert } from "../ActionAlert";
import { useClusterContext } from "../ClusterContext";
import { styles } from "../styles";
import { LessonStepItem, type StepState } from "./LessonStepItem";
import { RestartLessonDialog } from "./RestartLessonDialog";

/**
 * Guided lessons of the chapter: pick one, follow its steps; each ticks when the watched cluster
 * state shows it happened. Progress stays in this browser; restarting can reset the demo.
 */
export function LessonsPanel({ snapshot }: { snapshot: Snapshot }) {
  const t = useTranslations("Lessons");
  const ui = useTranslations("LessonsUi");
  const { cluster, recordAction } = useClusterContext();
  // One object per combination, so the progress hook's effect runs only when one of them changes.
  const { faults, nodeFailure, containers } = abilitiesOf(cluster, snapshot.objects.nodes);
  const can = useMemo(() => ({ faults, nodeFailure, containers }), [faults, nodeFailure, containers]);
  const [lessonId, setLessonId] = useState(LESSONS[0].id);
  const [confirmRestart, setConfirmRestart] = useState(false);
  const lesson = LESSONS.find((l) => l.id === lessonId) ?? LESSONS[0];
  const { progress, restart } = useLessonProgress(lesson, snapshot, can);
  const { run, error, clear } = useAction();
  const selectId = useId();
  const runnable = new Set(runnableSteps(lesson, can).map((s) => s.id));
  const current = currentStep(lesson, progress, can);
  const stateOf = (id: string): StepState => (!runnable.has(id) ? "skipped" : progress.done.includes(id) ? "done" : current?.id === id ? "current" : "todo");
  const doneCount = progress.done.filter((id) => runnable.has(id)).length;
  const title = t(`${lesson.id}.title`);

  const onRestart = async (resetDemo: boolean) => {
    setConfirmRestart(false);
    restart();
    if (!resetDemo) return;
    const result = await run(() => api.demo("reset"));
    if (result) recordAction(result.action);
  };

  return (
    <section aria-label={ui("title")} className={styles.panel}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className={styles.panelTitle}>{ui("title")}</h2>
        <div className="flex flex-wrap items-center gap-3">
          <label htmlFor={selectId} className="text-base font-medium text-slate-700">
            {ui("lesson")}
          </label>
          <select id={selectId} value={lesson.id} onChange={(e) => setLessonId(e.target.value)} className={`${styles.input} py-1.5 text-base`}>
            {LESSONS.map((l, i) => (
              <option key={l.id} value={l.id}>
                {i + 1}. {t(`${l.id}.title`)}
              </option>
            ))}
          </select>
          <button type="button" className={styles.secondaryButton} onClick={() => setConfirmRestart(true)}>
            {ui("restart")}
          </button>
        </div>
      </div>
      <p className="mt-2 text-base text-slate-700">{t(`${lesson.id}.intro`)}</p>
      <p role="status" className="mt-1 text-sm font-semibold text-slate-600">
        {current ? ui("progress", { done: doneCount, total: runnable.size }) : ui("complete", { lesson: title })}
      </p>
      {runnable.size < lesson.steps.length && <p className="mt-1 text-sm text-amber-800">{ui("someSkipped")}</p>}
      <ol aria-label={ui("steps", { lesson: title })} className="mt-3 space-y-2">
        {lesson.steps.map((step, i) => (
          <LessonStepItem key={`${lesson.id}.${step.id}`} lessonId={lesson.id} step={step} index={i} state={stateOf(step.id)} snapshot={snapshot} />
        ))}
      </ol>
      <ActionAlert error={error} onDismiss={clear} />
      {confirmRestart && <RestartLessonDialog title={title} onRestart={onRestart} onClose={() => setConfirmRestart(false)} />}
    </section>
  );
}
