"use client";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { useMemo } from "react";
import { useTranslations } from "next-intl";
import { NodeCard } from "./NodeCard";
import { richTags } from "./richTags";
import { styles } from "./styles";

const NO_PODS: V1Pod[] = [];
// One collator for every comparison: localeCompare with options builds one per call, and at 1,000
// pods the sort alone took 1.3 s of the page's main thread over a scale-up.
const podNameOrder = new Intl.Collator(undefined, { numeric: true });

/** The pods grouped by node name ("" for not scheduled), each group in name order (web-2 before web-10). */
export function podsByNode(pods: V1Pod[]): Map<string, V1Pod[]> {
  const groups = new Map<string, V1Pod[]>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName ?? "";
    const group = groups.get(node);
    if (group) group.push(pod);
    else groups.set(node, [pod]);
  }
  for (const group of groups.values()) group.sort((a, b) => podNameOrder.compare(a.metadata?.name ?? "", b.metadata?.name ?? ""));
  return groups;
}

/**
 * The cluster's nodes with the namespace's pods placed on them. When the credentials may not read
 * nodes (some real clusters), the nodes named by pods are still shown, without health.
 */
export function NodesStrip({ nodes, pods, canReadNodes, highlight }: { nodes: V1Node[]; pods: V1Pod[]; canReadNodes: boolean; highlight: (pod: V1Pod) => boolean }) {
  const t = useTranslations("Nodes");
  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? "", n]));
  const placed = useMemo(() => podsByNode(pods), [pods]);
  const names = [...new Set([...byName.keys(), ...placed.keys()])].filter(Boolean).sort();
  const unscheduled = placed.get("") ?? [];
  return (
    <section aria-label={t("title")} className={styles.panel}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className={styles.panelTitle}>{t("title")}</h2>
        {!canReadNodes && <p className="text-sm text-slate-500">{t("cannotRead")}</p>}
      </div>
      {/* A grid, not fixed-width cards: at half of a 1440 px page two 19rem cards did not fit and the nodes stacked one per row. */}
      <div className="mt-3 grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3">
        {names.map((name) => (
          <NodeCard key={name} name={name} node={byName.get(name)} pods={placed.get(name) ?? NO_PODS} highlight={highlight} />
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
