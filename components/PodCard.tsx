"use client";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslations } from "next-intl";
import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { useClusterNow } from "@/lib/client/useClusterNow";
import { podDnsNameOf } from "@/lib/k8s/dns";
import { formatAge } from "@/lib/k8s/time";
import { isTerminating, nodeStatusText, podReadyText, podRestarts, podStatusText, unschedulableReason } from "@/lib/k8s/status";
import { ActionAlert } from "./ActionAlert";
import { useActionLock, useClusterContext } from "./ClusterContext";
import { ForceDeleteDialog } from "./ForceDeleteDialog";
import { StatusBadge } from "./StatusBadge";
import { TerminationCountdown } from "./TerminationCountdown";
import { styles } from "./styles";

/** The waiting/terminated message of the first container that has one ("Back-off pulling image …"). */
function containerMessage(pod: V1Pod): string | undefined {
  for (const c of pod.status?.containerStatuses ?? []) {
    const message = c.state?.waiting?.message ?? c.state?.terminated?.message;
    if (message) return message;
  }
  return undefined;
}

/** One pod of the StatefulSet: what `kubectl get pod -o wide` shows, and delete / force delete. */
export function PodCard({ pod, node, events }: { pod: V1Pod; node?: V1Node; events: CoreV1Event[] }) {
  const { recordAction, cluster } = useClusterContext();
  const now = useClusterNow(cluster.clock);
  const { run, pending, error, clear } = useAction();
  const [confirmForce, setConfirmForce] = useState(false);
  const t = useTranslations("Pod");
  const lock = useActionLock();

  const name = pod.metadata?.name ?? "";
  const status = podStatusText(pod);
  const terminating = isTerminating(pod);
  const nodeName = pod.spec?.nodeName;
  const nodeStatus = node ? nodeStatusText(node) : undefined;
  const unschedulable = unschedulableReason(pod, events);
  const message = containerMessage(pod);

  const remove = async () => {
    const result = await run(() => api.deletePod(name, { uid: pod.metadata?.uid }));
    if (result) recordAction(result.action);
  };

  return (
    <article aria-label={t("label", { name })} data-status={status} data-uid={pod.metadata?.uid} className={`${styles.card} border-2 px-2.5 py-1 ${terminating ? "border-amber-300" : "border-slate-200"}`}>
      {/* The pod fades while Terminating; the countdown beside it stays sharp. */}
      <header className={`flex flex-wrap items-center justify-between gap-x-1.5 gap-y-1 ${terminating ? "pod-terminating" : ""}`}>
        <h3 className="font-mono text-2xl font-bold tracking-tight text-slate-900">{name}</h3>
        <StatusBadge status={status} large />
      </header>
      {terminating && <TerminationCountdown pod={pod} node={node} />}
      {unschedulable && (
        <p className="mt-2 rounded-lg bg-rose-50 px-2 py-1 text-sm text-rose-900 ring-1 ring-rose-200">
          <strong>{t("unschedulable")}</strong> <span lang="en">{unschedulable}</span>
        </p>
      )}
      {!unschedulable && message && <p lang="en" className="mt-2 rounded-lg bg-rose-50 px-2 py-1 text-sm text-rose-900 ring-1 ring-rose-200">{message}</p>}
      {/* What the class needs at a glance; the rest (restarts, age, hostname, DNS name, uid) under Details. */}
      <dl className={`mt-1 flex flex-wrap justify-between gap-x-2 gap-y-1 ${terminating ? "pod-terminating" : ""}`}>
        <Fact term={t("ready")}>{podReadyText(pod)}</Fact>
        <Fact term={t("node")}>
          {nodeName ?? "—"}
          {nodeStatus && nodeStatus !== "Ready" && <span className="block font-sans text-sm font-semibold text-rose-800">({nodeStatus})</span>}
        </Fact>
        <Fact term={t("podIp")}>{pod.status?.podIP || "—"}</Fact>
      </dl>
      <div className="mt-1 flex flex-wrap items-center gap-x-1 gap-y-1">
        <button type="button" data-shortcut="delete" className={styles.smallButton} onClick={remove} disabled={pending || lock.locked} title={lock.reason}>
          {t("delete")}
        </button>
        <button type="button" data-shortcut="force-delete" className={styles.smallDangerButton} onClick={() => setConfirmForce(true)} disabled={lock.locked} title={lock.reason}>
          {t("forceDelete")}
        </button>
        {/* At least 4rem: where less is left beside the buttons (a crowded lane) the toggle goes to its own line instead of being cut off; with a little less than its width (3 lanes at 1280 px) it stays on theirs, its text running into the card's padding. Open, it takes the card's width. */}
        <details className="min-w-[4rem] flex-1 text-sm open:basis-full">
          <summary className={`${styles.disclosure} whitespace-nowrap`}>{t("details")}</summary>
        <dl className="mt-1 grid grid-cols-2 gap-x-3 gap-y-1">
          <Fact term={t("restarts")}>{podRestarts(pod)}</Fact>
          <Fact term={t("age")}>{formatAge(pod.metadata?.creationTimestamp, now)}</Fact>
          <Fact term={t("hostname")}>{pod.spec?.hostname ?? name}</Fact>
          <Fact term={t("dnsName")} wide small>
            {podDnsNameOf(pod) ?? "—"}
          </Fact>
          <Fact term={t("uid")} wide small>
            {pod.metadata?.uid ?? "—"}
          </Fact>
          </dl>
        </details>
      </div>
      <ActionAlert error={error} onDismiss={clear} />
      {confirmForce && (
        <ForceDeleteDialog pod={name} uid={pod.metadata?.uid} nodeName={nodeName} nodeReady={nodeStatus === undefined ? undefined : nodeStatus.startsWith("Ready")} onClose={() => setConfirmForce(false)} />
      )}
    </article>
  );
}

/** One fact of the card: a small label over a monospace value (`dt`/`dd` stay siblings for readers). */
function Fact({ term, wide, small, children }: { term: string; wide?: boolean; small?: boolean; children: ReactNode }) {
  return (
    <div className={wide ? "col-span-full" : undefined}>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{term}</dt>
      <dd className={`break-all font-mono ${small ? "text-sm text-slate-700" : "text-base"}`}>{children}</dd>
    </div>
  );
}
