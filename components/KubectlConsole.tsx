"use client";
import { useTranslations } from "next-intl";
import type { ActionRecord } from "@/lib/k8s/contract";
import { CopyButton } from "./CopyButton";
import { styles } from "./styles";

/** The kubectl command for every action the dashboard performed, newest first, each copyable. */
export function KubectlConsole({ actions, watchCommand }: { actions: ActionRecord[]; watchCommand: string }) {
  const t = useTranslations("Kubectl");
  return (
    <section aria-label="kubectl" className={`rounded-2xl p-5 shadow-sm ${styles.terminal}`}>
      <h2 className="text-xl font-semibold">{t("title")}</h2>
      <p className={`mt-1 text-sm ${styles.terminalMuted}`}>{t("intro")}</p>
      {/* Bounded, newest on top: a long session must not push the event timeline off the page. */}
      <ol className="mt-3 max-h-[32rem] space-y-2 overflow-y-auto pr-1">
        <li className="flex items-start gap-2">
          <code className={`min-w-0 flex-1 wrap-anywhere font-mono text-base ${styles.terminalPrompt}`}>$ {watchCommand}</code>
          <CopyButton text={watchCommand} />
        </li>
        {actions.map((action) => (
          <li key={action.id} className="flex items-start gap-2">
            <code className={`min-w-0 flex-1 wrap-anywhere font-mono text-base ${action.ok ? "" : styles.terminalError}`} title={action.message}>
              $ {action.kubectl}
            </code>
            <CopyButton text={action.kubectl} />
          </li>
        ))}
      </ol>
    </section>
  );
}
