"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useSWRConfig } from "swr";
import type { PodDataResponse, Snapshot } from "@/lib/k8s/contract";
import { useAction } from "@/lib/client/useAction";
import { runLessonActions } from "@/lib/client/lessonActions";
import type { LessonStep } from "@/lib/lessons";
import { ActionAlert } from "../ActionAlert";
import { ActionLockNote } from "../ActionLockNote";
import { useActionLock, useClusterContext } from "../ClusterContext";
import { CopyButton } from "../CopyButton";
import { richTags } from "../richTags";
import { styles } from "../styles";

export type StepState = "done" | "current" | "todo" | "skipped";

const MARK: Record<StepState, string> = { done: "✓", current: "→", todo: "·", skipped: "–" };

/** One step: what to do, why, the kubectl command, Do it (on the current step), and its tick from the watched state. */
export function LessonStepItem({ lessonId, step, index, state, snapshot }: { lessonId: string; step: LessonStep; index: number; state: StepState; snapshot: Snapshot }) {
  const t = useTranslations("Lessons");
  const ui = useTranslations("LessonsUi");
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error, clear } = useAction();
  const lock = useActionLock();
  const { mutate } = useSWRConfig();
  const [answer, setAnswer] = useState<PodDataResponse | undefined>();
  const command = step.command(cluster.namespace);
  const title = t(`${lessonId}.${step.id}.do`);

  const doIt = async () => {
    setAnswer(undefined);
    const result = await run(() => runLessonActions(step.actions ?? [], snapshot));
    // Fault switches are not watched: refresh the Faults panel's copy.
    if (step.actions?.some((a) => a.kind === "faults")) void mutate("/api/faults");
    if (!result) return;
    result.actions.forEach(recordAction);
    setAnswer(result.answer);
  };

  return (
    <li aria-label={ui("step", { n: index + 1, title })} data-state={state} className={`rounded-xl p-3 ${state === "current" ? "bg-sky-50 ring-2 ring-sky-400" : state === "done" ? "bg-emerald-50/60" : "bg-white ring-1 ring-slate-200"}`}>
      <div className="flex items-start gap-3">
        <span aria-hidden="true" className={`mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-base font-bold ${state === "done" ? "bg-emerald-600 text-white" : state === "current" ? "bg-sky-600 text-white" : "bg-slate-200 text-slate-600"}`}>
          {MARK[state]}
        </span>
        <div className="min-w-0 flex-1 space-y-1.5">
          <p className="text-lg font-semibold text-slate-900">
            {index + 1}. {title} <span className="sr-only">({ui(`state.${state}`)})</span>
          </p>
          {/* Right under what to do: on a projector the button must be on screen with the step's title. */}
          {step.actions && state !== "skipped" && (
            <div className="flex flex-wrap items-center gap-2">
              <button type="button" data-shortcut="lesson-do-it" className={styles.primaryButton} onClick={doIt} disabled={pending || lock.locked || state !== "current"} title={lock.reason}>
                {ui("doIt")}
              </button>
              {state === "current" && <ActionLockNote />}
            </div>
          )}
          <p className="text-base text-slate-700">{t.rich(`${lessonId}.${step.id}.why`, richTags)}</p>
          {state === "skipped" && step.needs && <p className="text-sm font-semibold text-amber-800">{ui(`needs.${step.needs}`)}</p>}
          <div className="flex items-start gap-2">
            <code className={`min-w-0 flex-1 wrap-anywhere rounded-lg px-3 py-1.5 font-mono text-sm ${styles.terminal}`}>$ {command}</code>
            <CopyButton text={command} />
          </div>
          {answer && (
            <output aria-label={ui("answer", { pod: answer.pod })} className="block">
              <pre className="max-h-32 overflow-auto whitespace-pre-wrap rounded-lg bg-white px-2 py-1 font-mono text-sm ring-1 ring-slate-200">{answer.body}</pre>
            </output>
          )}
          <ActionAlert error={error} onDismiss={clear} />
        </div>
      </div>
    </li>
  );
}
