"use client";
import { useTranslations } from "next-intl";

/**
 * The connector between two boxes of an ordinal's lane: pod → PVC ("mounts") or PVC → PV ("bound").
 * Dashed and grey when there is nothing to link (a Retained claim without its pod). Keyed by the
 * caller on what it links (the pod's uid), so a new pod re-attaching the claim draws it anew.
 */
export function LaneLink({ kind, active, horizontal = false }: { kind: "mounts" | "bound"; active: boolean; horizontal?: boolean }) {
  const t = useTranslations("Ordinals");
  const line = active ? "border-slate-500" : "border-dashed border-slate-400";
  if (horizontal) {
    return (
      <div className="flex shrink-0 flex-col items-center" data-link={kind} data-active={active}>
        <span className={`text-xs font-semibold ${active ? "text-slate-700" : "text-slate-500"}`}>{active ? t(`link.${kind}`) : t("link.none")}</span>
        <span aria-hidden="true" className={`lane-link-x h-0 w-10 border-t-4 ${line}`} />
      </div>
    );
  }
  return (
    <div className="flex items-center gap-2 pl-6" data-link={kind} data-active={active}>
      <span aria-hidden="true" className={`lane-link h-3 w-0 border-l-4 ${line}`} />
      <span className={`text-xs font-semibold ${active ? "text-slate-700" : "text-slate-500"}`}>{active ? t(`link.${kind}`) : t("link.none")}</span>
    </div>
  );
}
