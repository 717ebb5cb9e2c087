import { statusTone, type StatusTone } from "@/lib/k8s/status";

const TONES: Record<StatusTone, string> = {
  ok: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  progress: "bg-sky-100 text-sky-900 ring-sky-300",
  warning: "bg-amber-100 text-amber-900 ring-amber-300",
  error: "bg-rose-100 text-rose-900 ring-rose-300",
  muted: "bg-slate-100 text-slate-700 ring-slate-300",
};

/** A status word in its colour family; the word carries the meaning, the colour only helps. */
export function StatusBadge({ status, tone, large = false }: { status: string; tone?: StatusTone; large?: boolean }) {
  const t = tone ?? statusTone(status);
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 font-semibold ring-1 ring-inset ${large ? "text-lg" : "text-sm"} ${TONES[t]}`} data-tone={t}>
      {status}
    </span>
  );
}
