"use client";
import { useTranslations } from "next-intl";
import { LabelledSelect } from "./LabelledSelect";

/** Every StatefulSet of the namespace (new ones appear as the watch delivers them). A native select: role combobox, name "StatefulSet". */
export function StatefulSetPicker({ names, value, onChange }: { names: string[]; value: string | undefined; onChange: (name: string) => void }) {
  const t = useTranslations("Picker");
  return (
    <div className="flex items-center gap-3">
      <LabelledSelect label={t("label")} names={names} value={value ?? ""} onChange={onChange} disabled={names.length === 0} emptyText={t("none")} width="min-w-[8rem]" compact />
    </div>
  );
}
