"use client";
import { useId } from "react";

/**
 * A label and a native select of names, as the pickers show them (the StatefulSet and the
 * kubeconfig context): role combobox, accessible name from the label. With no names, `emptyText`
 * is the one disabled choice.
 */
export function LabelledSelect({
  id: givenId,
  label,
  names,
  value,
  onChange,
  disabled = false,
  describedBy,
  emptyText,
  width,
  compact = false,
}: {
  /** The select's id, when the caller refers to it (its description's id derives from it). */
  id?: string;
  label: string;
  names: string[];
  value: string;
  onChange: (name: string) => void;
  disabled?: boolean;
  describedBy?: string;
  emptyText?: string;
  /** Tailwind width bounds: long context names are capped, short set names keep a minimum. */
  width: string;
  /** Smaller type and padding, for the one-screen header. */
  compact?: boolean;
}) {
  const ownId = useId();
  const id = givenId ?? ownId;
  return (
    <>
      <label htmlFor={id} className={`${compact ? "text-base" : "text-lg"} font-medium text-slate-700`}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy}
        disabled={disabled}
        className={`${width} rounded-lg border border-slate-400 bg-white ${compact ? "px-2 py-1 text-base" : "px-3 py-2 text-lg"} font-mono text-slate-900 focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600`}
      >
        {names.length === 0 && emptyText !== undefined && <option value="">{emptyText}</option>}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </>
  );
}
