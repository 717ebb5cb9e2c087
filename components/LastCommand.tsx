"use client";
import { useTranslations } from "next-intl";
import type { ActionRecord } from "@/lib/k8s/contract";
import { CopyButton } from "./CopyButton";

/** The kubectl command of the newest dashboard action, one line above the diagram (the full list is the kubectl panel). */
export function LastCommand({ actions }: { actions: ActionRecord[] }) {
  const t = useTranslations("Kubectl");
  const last = actions[0];
  if (!last) return null;
  return (
    <p className="flex min-w-0 flex-[2_1_30rem] items-center gap-2 rounded-xl bg-slate-900 px-3 py-1 text-slate-100">
      <span className="shrink-0 text-sm font-semibold text-slate-300">{t("last")}</span>
      <code className={`min-w-0 flex-1 wrap-anywhere font-mono text-base ${last.ok ? "text-slate-100" : "text-rose-300"}`} title={last.message}>
        $ {last.kubectl}
      </code>
      <CopyButton text={last.kubectl} />
    </p>
  );
}
