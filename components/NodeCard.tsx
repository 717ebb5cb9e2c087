"use client";
import { useState } from "react";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { useTranslations } from "next-intl";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { isNodeDown } from "@/lib/k8s/wellknown";
import { nodeConditionMessage, nodeStatusText, nodeTaints } from "@/lib/k8s/status";
import { ActionAlert } from "./ActionAlert";
import { NodePodChip } from "./NodePodChip";
import { ShowAllButton } from "./ShowAllButton";
import { useActionLock, useClusterContext } from "./ClusterContext";
import { StatusBadge } from "./StatusBadge";
import { styles } from "./styles";

/**
 * Pods listed per node before "Show all": a class's few pods are all listed; at 1,000 pods (100 a
 * node) a node's list of names says nothing more, and redrawing 1,000 chips on each change took
 * the page's frames at 1,000 pods over 100 ms.
 */
export const NODE_PODS_SHOWN = 24;

/** A node's health, the pods placed on it, and (embedded cluster only) Fail node / Recover node. */
export function NodeCard({ name, node, pods, highlight }: { name: string; node?: V1Node; pods: V1Pod[]; highlight: (pod: V1Pod) => boolean }) {
  const { cluster, recordAction } = useClusterContext();
  const lock = useActionLock();
  const { run, pending, error, clear } = useAction();
  const [showAll, setShowAll] = useState(false);
  const t = useTranslations("Node");
  const status = node ? nodeStatusText(node) : "Unknown";
  const down = isNodeDown(node);
  const taints = node ? nodeTaints(node) : [];
  const why = node ? nodeConditionMessage(node) : undefined;

  const act = async (action: "fail" | "recover") => {
    const result = await run(() => (action === "fail" ? api.failNode(name) : api.recoverNode(name)));
    if (result) recordAction(result.action);
  };

  return (
    <article aria-label={t("label", { name })} data-status={status} className={`${styles.card} ${status.startsWith("Ready") ? "" : "border-2 border-rose-300"}`}>
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-mono text-xl font-semibold text-slate-900">{name}</h3>
        <StatusBadge status={status} tone={status.startsWith("Ready") ? "ok" : "error"} />
      </header>
      {down && <p className="mt-1 text-sm font-semibold text-rose-800">{t("failedHere")}</p>}
      {/* The kubelet's own words (English in every cluster): marked so readers and the zh-CN test know. */}
      {why && (
        <p lang="en" className="mt-1 text-sm text-slate-600">
          {why}
        </p>
      )}
      {taints.length > 0 && (
        <ul className="mt-2 space-y-0.5" aria-label={t("taints", { name })}>
          {taints.map((t) => (
            <li key={t} className="break-all font-mono text-xs text-slate-700">
              {t}
            </li>
          ))}
        </ul>
      )}
      <ul className="mt-3 flex flex-wrap gap-1.5" aria-label={t("pods", { name })}>
        {pods.length === 0 && <li className="text-sm text-slate-500">{t("noPods")}</li>}
        {(showAll ? pods : pods.slice(0, NODE_PODS_SHOWN)).map((pod) => (
          <NodePodChip key={pod.metadata?.uid ?? pod.metadata?.name} pod={pod} highlighted={highlight(pod)} />
        ))}
      </ul>
      {pods.length > NODE_PODS_SHOWN && (
        <ShowAllButton expanded={showAll} onToggle={() => setShowAll(!showAll)} showAll={t("showAllPods", { count: pods.length })} showFewer={t("showFewerPods")} />
      )}
      {cluster.capabilities.nodeFailure && (
        <div className="mt-3 flex gap-2">
          <button type="button" className={styles.smallButton} onClick={() => act("fail")} disabled={pending || lock.locked || down} title={lock.reason}>
            {t("fail")}
          </button>
          <button type="button" className={styles.smallButton} onClick={() => act("recover")} disabled={pending || lock.locked || !down} title={lock.reason}>
            {t("recover")}
          </button>
        </div>
      )}
      <ActionAlert error={error} onDismiss={clear} />
    </article>
  );
}
