"use client";
import { useEffect, useId, useMemo, useRef, useState } from "react";
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
 * state shows it happened. Progress stays in this browser; restarting can reset the demo. As a column
 * beside the diagram (`className` places it), its steps scroll inside it, the current one brought
 * to the top of the list so it is on screen with the lanes.
 */
export function LessonsPanel({ snapshot, className = "" }: { snapshot: Snapshot; className?: string }) {
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
  const steps = useRef<HTMLOListElement>(null);
  const currentId = current?.id;
  useEffect(() => {
    const list = steps.current;
    const step = list?.querySelector<HTMLElement>('[data-state="current"]');
    // Only the list scrolls (never the page): the step's offset within it, the list being its offsetParent.
    if (list && step && list.scrollHeight > list.clientHeight) list.scrollTop = step.offsetTop - 4;
  }, [currentId, lesson.id]);

  const onRestart = async (resetDemo: boolean) => {
    setConfirmRestart(false);
    restart();
    if (!resetDemo) return;
    const result = await run(() => api.demo("reset"));
    if (result) recordAction(result.action);
  };

  return (
    <section aria-label={ui("title")} className={`${styles.panel} flex flex-col ${className}`}>
      {/* Compact: in the column beside the diagram, the current step must be on screen under it. */}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className={styles.panelTitle}>{ui("title")}</h2>
        <button type="button" className={styles.smallButton} onClick={() => setConfirmRestart(true)}>
          {ui("restart")}
        </button>
      </div>
      <label htmlFor={selectId} className="sr-only">
        {ui("lesson")}
      </label>
      <select id={selectId} value={lesson.id} onChange={(e) => setLessonId(e.target.value)} className={`${styles.input} mt-1.5 w-full px-2 py-1 text-base`}>
        {LESSONS.map((l, i) => (
          <option key={l.id} value={l.id}>
            {i + 1}. {t(`${l.id}.title`)}
          </option>
        ))}
      </select>
      <p className="mt-1.5 text-sm text-slate-700">{t(`${lesson.id}.intro`)}</p>
      <p role="status" className="mt-1 text-sm font-semibold text-slate-600">
        {current ? ui("progress", { done: doneCount, total: runnable.size }) : ui("complete", { lesson: title })}
      </p>
      {runnable.size < lesson.steps.length && <p className="mt-1 text-sm text-amber-800">{ui("someSkipped")}</p>}
      {/* Scrollable in the column, so it takes focus (keyboard users scroll it with the arrow keys). */}
      <ol ref={steps} tabIndex={0} aria-label={ui("steps", { lesson: title })} className="relative mt-2 min-h-0 flex-1 space-y-2 overflow-y-auto focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600">
        {lesson.steps.map((step, i) => (
          <LessonStepItem key={`${lesson.id}.${step.id}`} lessonId={lesson.id} step={step} index={i} state={stateOf(step.id)} snapshot={snapshot} />
        ))}
      </ol>
      <ActionAlert error={error} onDismiss={clear} />
      {confirmRestart && <RestartLessonDialog title={title} onRestart={onRestart} onClose={() => setConfirmRestart(false)} />}
    </section>
  );
}
