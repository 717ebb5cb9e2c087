"use client";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { useTranslations } from "next-intl";
import { NodeCard } from "./NodeCard";
import { richTags } from "./richTags";
import { styles } from "./styles";

/**
 * The cluster's nodes with the namespace's pods placed on them. When the credentials may not read
 * nodes (some real clusters), the nodes named by pods are still shown, without health.
 */
export function NodesStrip({ nodes, pods, canReadNodes, highlight }: { nodes: V1Node[]; pods: V1Pod[]; canReadNodes: boolean; highlight: (pod: V1Pod) => boolean }) {
  const t = useTranslations("Nodes");
  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? "", n]));
  const names = [...new Set([...byName.keys(), ...pods.flatMap((p) => (p.spec?.nodeName ? [p.spec.nodeName] : []))])].filter(Boolean).sort();
  const podsOn = (name: string) =>
    pods.filter((p) => p.spec?.nodeName === name).sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "", undefined, { numeric: true }));
  const unscheduled = pods.filter((p) => !p.spec?.nodeName);
  return (
    <section aria-label={t("title")} className={styles.panel}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className={styles.panelTitle}>{t("title")}</h2>
        {!canReadNodes && <p className="text-sm text-slate-500">{t("cannotRead")}</p>}
      </div>
      {/* A grid, not fixed-width cards: at half of a 1440 px page two 19rem cards did not fit and the nodes stacked one per row. */}
      <div className="mt-3 grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3">
        {names.map((name) => (
          <NodeCard key={name} name={name} node={byName.get(name)} pods={podsOn(name)} highlight={highlight} />
        ))}
      </div>
      {unscheduled.length > 0 && (
        <p className="mt-3 text-base text-slate-700">
          {t.rich("notScheduled", { ...richTags, pods: unscheduled.map((p) => p.metadata?.name).join(", ") })}
        </p>
      )}
    </section>
  );
}
