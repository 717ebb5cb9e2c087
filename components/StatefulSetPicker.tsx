"use client";
import { useId } from "react";
import { useTranslations } from "next-intl";

/** Every StatefulSet of the namespace (new ones appear as the watch delivers them). A native select: role combobox, name "StatefulSet". */
export function StatefulSetPicker({ names, value, onChange }: { names: string[]; value: string | undefined; onChange: (name: string) => void }) {
  const id = useId();
  const t = useTranslations("Picker");
  return (
    <div className="flex items-center gap-3">
      <label htmlFor={id} className="text-base font-medium text-slate-700">
        {t("label")}
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value)}
        disabled={names.length === 0}
        className="min-w-[8rem] rounded-lg border border-slate-400 bg-white px-2 py-1 font-mono text-base text-slate-900 focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600"
      >
        {names.length === 0 && <option value="">{t("none")}</option>}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
