"use client";
import { useFormatter, useTranslations } from "next-intl";
import type { Replay } from "@/lib/client/useReplay";
import type { StreamChange } from "@/lib/k8s/contract";
import { momentOf } from "@/lib/k8s/replay";
import { podStatusText } from "@/lib/k8s/status";
import { ActionAlert } from "./ActionAlert";
import { styles } from "./styles";

/** The accessible name of the card that shows an object (PodCard, PvcCard, NodeCard), for the highlight. */
const CARD_LABEL: Partial<Record<StreamChange["kind"], string>> = { pods: "Pod", persistentvolumeclaims: "PVC", nodes: "Node" };

/**
 * Outlines the card of the object the replayed event changed. A style rule keyed on the card's
 * accessible name rather than a prop threaded through every card: the cards stay unaware of replay.
 * Names are Kubernetes object names (DNS labels/subdomains), quoted for CSS all the same.
 */
function HighlightRule({ change }: { change: StreamChange }) {
  const label = CARD_LABEL[change.kind];
  const name = change.object.metadata?.name;
  if (!label || !name) return null;
  const selector = `[aria-label=${JSON.stringify(`${label} ${name}`)}]`;
  return <style>{`${selector}{outline:4px solid var(--color-fuchsia-600);outline-offset:3px;border-radius:1rem}`}</style>;
}

function describeChange(change: StreamChange): string {
  const name = change.object.metadata?.name ?? "";
  const status = change.kind === "pods" && change.type !== "DELETED" ? ` (${podStatusText(change.object)})` : "";
  return `${change.object.kind ?? change.kind} ${name}${status}`;
}

/**
 * Replay: a `Timeline` slider over the recorded watch events (arrow keys step one event), previous
 * and next buttons, the moment shown and the event that made it, and `Live` to come back.
 */
export function ReplayBar({ replay }: { replay: Replay }) {
  const t = useTranslations("Replay");
  const format = useFormatter();
  const { history, index } = replay;
  if (!history) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <span className="inline-flex items-center gap-2 text-base font-semibold text-emerald-800">
          {/* A steady dot: an endless pulse made every open page composite 60 frames a second while idle (6 % of a core per page). */}
          <span aria-hidden="true" className="h-3 w-3 rounded-full bg-emerald-600" />
          {t("live")}
        </span>
        <button type="button" className={`${styles.secondaryButton} py-0.5`} onClick={() => replay.start()} disabled={replay.loading}>
          {t("replay")}
        </button>
        {replay.error && <ActionAlert error={replay.error} />}
      </div>
    );
  }
  const total = history.entries.length;
  const entry = index >= 0 ? history.entries[index] : undefined;
  const time = format.dateTime(new Date(momentOf(history, index)), { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const position = entry ? t("position", { index: index + 1, total, time }) : t("start", { time });
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-xl bg-fuchsia-50 px-3 py-2 ring-2 ring-fuchsia-600">
      <button type="button" className={styles.smallButton} onClick={() => replay.step(-1)} disabled={index < 0}>
        {t("previous")}
      </button>
      <input
        type="range"
        aria-label={t("timeline")}
        aria-valuetext={position}
        // The stream id of the event shown: stable while the server's bounded history moves its window.
        data-entry-id={entry?.id ?? ""}
        min={-1}
        max={total - 1}
        step={1}
        value={index}
        onChange={(e) => replay.seek(Number(e.target.value))}
        className="h-3 min-w-48 flex-1 accent-fuchsia-700"
        autoFocus
      />
      <button type="button" className={styles.smallButton} onClick={() => replay.step(1)} disabled={index >= total - 1}>
        {t("next")}
      </button>
      <button type="button" className={styles.primaryButton} onClick={replay.live}>
        {t("backToLive")}
      </button>
      <p className="basis-full text-sm font-semibold text-fuchsia-900">{t("locked")}</p>
      <p className="basis-full text-base text-fuchsia-950" aria-live="polite">
        <span className="font-semibold tabular-nums">{position}</span>
        {entry && <> · {t(`type.${entry.change.type}`)} <span className="font-mono font-semibold">{describeChange(entry.change)}</span></>}
      </p>
      {entry && <HighlightRule change={entry.change} />}
    </div>
  );
}
