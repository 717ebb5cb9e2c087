"use client";
import { useTranslations } from "next-intl";
import type { ActionRecord } from "@/lib/k8s/contract";
import { CopyButton } from "./CopyButton";
import { styles } from "./styles";

/** The kubectl command of the newest dashboard action, one line above the diagram (the full list is the kubectl panel). */
export function LastCommand({ actions }: { actions: ActionRecord[] }) {
  const t = useTranslations("Kubectl");
  const last = actions[0];
  if (!last) return null;
  return (
    <p className={`flex min-w-0 flex-[2_1_30rem] items-center gap-2 rounded-xl px-3 py-1 ${styles.terminal}`}>
      <span className={`shrink-0 text-sm font-semibold ${styles.terminalMuted}`}>{t("last")}</span>
      {/* At most two lines (a reset is a long compound command): the diagram stays on screen; Copy and the kubectl panel have all of it. */}
      <code className={`line-clamp-2 min-w-0 flex-1 wrap-anywhere font-mono text-base ${last.ok ? "" : styles.terminalError}`} title={last.message ?? last.kubectl}>
        $ {last.kubectl}
      </code>
      <CopyButton text={last.kubectl} />
    </p>
  );
}
