"use client";
import { useTranslations } from "next-intl";
import type { TimelineEntry } from "@/lib/k8s/events";
import { useClusterNow } from "@/lib/client/useClusterNow";
import { useClusterContext } from "./ClusterContext";
import { formatAge } from "@/lib/k8s/time";
import { styles } from "./styles";

function EventRow({ entry, now, cause }: { entry: TimelineEntry; now: number; cause: boolean }) {
  const t = useTranslations("Events");
  const age = formatAge(entry.at, now);
  if (entry.source === "action") {
    return (
      <li className="timeline-enter grid grid-cols-[4rem_1fr] gap-3 border-l-4 border-sky-500 bg-sky-50/60 py-2 pl-3 pr-2">
        <time className="font-mono text-sm text-slate-500" dateTime={new Date(entry.at).toISOString()}>
          {age}
        </time>
        <div>
          <p className="text-base">
            <span className="mr-2 rounded bg-sky-700 px-1.5 py-0.5 text-xs font-bold uppercase text-white">{t("dashboard")}</span>
            <strong>{entry.action}</strong> <span className="font-mono">{entry.target}</span>
            {!entry.ok && <span className="ml-2 font-semibold text-rose-800">{t("failed")}</span>}
          </p>
          {entry.message && (
            <p lang="en" className="text-sm text-slate-700">
              {entry.message}
            </p>
          )}
          <p className="wrap-anywhere font-mono text-sm text-slate-600">$ {entry.kubectl}</p>
        </div>
      </li>
    );
  }
  const warning = entry.type === "Warning";
  return (
    <li
      aria-current={cause ? "true" : undefined}
      className={`timeline-enter grid grid-cols-[4rem_1fr] gap-3 border-l-4 py-2 pl-3 pr-2 ${warning ? "border-rose-500 bg-rose-50/50" : "border-slate-300"} ${cause ? "rounded-r-lg outline-4 outline-fuchsia-600" : ""}`}
    >
      <time className="font-mono text-sm text-slate-500" dateTime={new Date(entry.at).toISOString()}>
        {age}
      </time>
      <div>
        <p className="text-base">
          {cause && <span className="mr-2 rounded bg-fuchsia-700 px-1.5 py-0.5 text-xs font-bold uppercase text-white">{t("cause")}</span>}
          <span className={`mr-2 text-xs font-bold uppercase ${warning ? "text-rose-800" : "text-slate-500"}`}>{entry.type}</span>
          <strong>{entry.reason}</strong> <span className="font-mono text-slate-700">{entry.object}</span>
          {entry.count > 1 && <span className="ml-2 text-sm text-slate-500">×{entry.count}</span>}
        </p>
        <p lang="en" className="break-words text-sm text-slate-700">
          {entry.message}
        </p>
      </div>
    </li>
  );
}

/**
 * Kubernetes Events about the StatefulSet's objects and the dashboard's own actions, newest first.
 * `cause`: the id of the Event that explains the replayed change, marked.
 */
export function EventTimeline({ entries, cause }: { entries: TimelineEntry[]; cause?: string }) {
  const now = useClusterNow(useClusterContext().cluster.clock);
  const t = useTranslations("Events");
  return (
    <section aria-label={t("title")} className={styles.panel}>
      <h2 className={styles.panelTitle}>{t("title")}</h2>
      {entries.length === 0 ? (
        <p className="mt-2 text-slate-500">{t("nothing")}</p>
      ) : (
        // Scrollable, so it takes focus (keyboard users scroll it with the arrow keys) and is named for that stop.
        <ol tabIndex={0} aria-label={t("title")} className="mt-3 max-h-[36rem] space-y-1.5 overflow-y-auto pr-1 focus-visible:outline focus-visible:outline-3 focus-visible:outline-sky-600">
          {entries.map((entry) => (
            <EventRow key={entry.id} entry={entry} now={now} cause={entry.id === cause} />
          ))}
        </ol>
      )}
    </section>
  );
}
