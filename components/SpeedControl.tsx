"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { formatSpeed, SPEED_CHOICES, type SpeedChange } from "@/lib/k8s/speed";
import { ActionAlert } from "./ActionAlert";
import { useClusterContext } from "./ClusterContext";

const option =
  "relative cursor-pointer select-none px-3 py-1.5 text-base font-semibold tabular-nums text-slate-800 has-[:checked]:bg-slate-900 has-[:checked]:text-white has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-sky-600 has-[:disabled]:cursor-wait";

/** The native radio covers its label, invisible: clicks, keys and screen readers all reach it, the label shows the state. */
const radio = "absolute inset-0 m-0 h-full w-full cursor-pointer appearance-none opacity-0";

/**
 * Slow motion (embedded cluster only): pause, or run the cluster clock at 0.25× … 10× — live, every
 * pending delay follows. Native radios: arrow keys move between speeds, as in any radio group.
 */
export function SpeedControl() {
  const { cluster } = useClusterContext();
  const t = useTranslations("Speed");
  const { run, pending, error, clear } = useAction();
  // The choice shows at once; it stands until the cluster's clock (from the stream) changes.
  const [chosen, setChosen] = useState<{ basedOn: unknown; change: SpeedChange }>();
  if (cluster.mode !== "embedded") return null;
  const optimistic = chosen?.basedOn === cluster.clock ? chosen.change : {};
  const speed = optimistic.speed ?? cluster.clock.speed;
  const paused = optimistic.paused ?? cluster.clock.paused;
  const change = (next: SpeedChange) => {
    setChosen({ basedOn: cluster.clock, change: next });
    void run(() => api.setSpeed(next)).then((result) => {
      if (!result) setChosen(undefined);
    });
  };
  const choices: readonly number[] = SPEED_CHOICES.includes(speed as (typeof SPEED_CHOICES)[number]) ? SPEED_CHOICES : [...SPEED_CHOICES, speed].sort((a, b) => a - b);
  return (
    <div className="flex shrink-0 flex-col gap-1">
      <div role="radiogroup" aria-label={t("label")} className="inline-flex overflow-hidden rounded-lg bg-white ring-1 ring-slate-300">
        <label className={option} title={t("pauseHint")}>
          <input type="radio" name="cluster-speed" className={radio} checked={paused} disabled={pending} onChange={() => change({ paused: true })} aria-label={t("pause")} />
          {t("pause")}
        </label>
        {choices.map((choice) => (
          <label key={choice} className={option}>
            <input type="radio" name="cluster-speed" className={radio} checked={!paused && speed === choice} disabled={pending} onChange={() => change({ speed: choice, paused: false })} />
            {formatSpeed(choice)}
          </label>
        ))}
      </div>
      {error && <ActionAlert error={error} onDismiss={clear} />}
    </div>
  );
}
