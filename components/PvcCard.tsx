"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useClusterNow } from "@/lib/client/useClusterNow";
import { useActionLock, useClusterContext } from "./ClusterContext";
import type { SlotClaim } from "@/lib/k8s/slots";
import { formatAge } from "@/lib/k8s/time";
import type { VolumeState } from "@/lib/k8s/volumes";
import { DeletePvcDialog } from "./DeletePvcDialog";
import { LaneLink } from "./LaneLink";
import { StatusBadge } from "./StatusBadge";
import { VolumeDataPanel } from "./VolumeDataPanel";
import type { StatusTone } from "@/lib/k8s/status";
import { richTags } from "./richTags";
import { styles } from "./styles";

const STATE_TONE: Record<VolumeState["state"], StatusTone> = {
  Bound: "ok",
  Reused: "ok",
  Retained: "warning",
  Pending: "progress",
  Lost: "error",
  Terminating: "warning",
};

/** One sentence on what the volume state means here, in the terms of the book. */
function StateExplanation({ volume, podName, now }: { volume: VolumeState; podName: string; now: number }) {
  const t = useTranslations("Pvc");
  switch (volume.state) {
    case "Reused":
      return (
        <p className="mt-1.5 rounded-lg bg-emerald-50 px-2 py-1 text-sm text-emerald-950 ring-1 ring-emerald-200">
          {t.rich("reused", {
            ...richTags,
            pod: volume.pod,
            pv: volume.pv ?? "—",
            age: formatAge(volume.since, now),
            time: (chunks) => <time dateTime={volume.since}>{chunks}</time>,
          })}
        </p>
      );
    case "Retained":
      return (
        <p className="mt-1.5 rounded-lg bg-amber-50 px-2 py-1 text-sm text-amber-950 ring-1 ring-amber-200">
          {t.rich("retained", { ...richTags, pod: podName })}
        </p>
      );
    case "Pending":
      return <p className="mt-1.5 rounded-lg bg-sky-50 px-2 py-1 text-sm text-sky-950 ring-1 ring-sky-200">{volume.reason ? t("pending", { reason: volume.reason }) : t("pendingNoReason")}</p>;
    case "Lost":
      return <p className="mt-1.5 rounded-lg bg-rose-50 px-2 py-1 text-sm text-rose-950 ring-1 ring-rose-200">{t("lost")}</p>;
    case "Terminating":
      return (
        <p className="mt-1.5 rounded-lg bg-amber-50 px-2 py-1 text-sm text-amber-950 ring-1 ring-amber-200">
          {volume.pod ? t("terminatingUsed", { pod: volume.pod }) : t("terminating")}
        </p>
      );
    case "Bound":
      return volume.pod ? null : <p className="mt-1.5 text-sm text-slate-600">{t("waitingForPod", { pod: podName })}</p>;
  }
}

/**
 * A StatefulSet PVC in its ordinal's lane: its state (Bound, Retained, Reused…) and why, the bound PV
 * linked under it; capacity, class, reclaim policy, age and the data on the volume under Details.
 * `dataPod`: the running pod the volume's data is read and written through (the kubia app), if any.
 */
export function PvcCard({ claim, podName, dataPod }: { claim: SlotClaim; podName: string; dataPod?: string }) {
  const now = useClusterNow(useClusterContext().cluster.clock);
  const lock = useActionLock();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const t = useTranslations("Pvc");
  const { pvc, pv, volume } = claim;
  if (!pvc || !volume) {
    return (
      <div className="rounded-2xl border-2 border-dashed border-slate-300 px-4 py-3 text-base text-slate-500">
        {t.rich("noClaimYet", { ...richTags, name: claim.name })}
      </div>
    );
  }
  const name = pvc.metadata?.name ?? claim.name;
  const capacity = pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage;
  const reclaimPolicy = pv?.spec?.persistentVolumeReclaimPolicy;
  return (
    <article aria-label={t("label", { name })} data-volume-state={volume.state} className={`${styles.card} px-2.5 py-1 ${volume.state === "Retained" ? "border-2 border-amber-300" : ""}`}>
      <header className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
        <h4 className="font-mono text-lg font-semibold text-slate-900">{name}</h4>
        <StatusBadge status={volume.state} tone={STATE_TONE[volume.state]} />
      </header>
      <StateExplanation volume={volume} podName={podName} now={now} />
      {/* The claim's phase, then the PV it is bound to, linked beside it: the volume outlives pods (and, with Retain, the claim). */}
      <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <dl className="shrink-0">
          <dt className={styles.factLabel}>{t("status")}</dt>
          <dd>{pvc.metadata?.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? "Pending")}</dd>
        </dl>
        <LaneLink kind="bound" active={!!pvc.spec?.volumeName} horizontal />
        <dl className="min-w-[10rem] flex-1 rounded-lg border-2 border-dashed border-slate-400 px-2 py-0.5">
          <dt className={styles.factLabel}>{t("volume")}</dt>
          <dd className="break-all font-mono">{pvc.spec?.volumeName || "—"}</dd>
        </dl>
      </div>
      <div className="mt-1 flex flex-wrap items-start gap-x-3 gap-y-1 text-sm">
        <button type="button" className={styles.smallButton} onClick={() => setConfirmDelete(true)} disabled={lock.locked || !!pvc.metadata?.deletionTimestamp} title={lock.reason}>
          {t("delete")}
        </button>
        {/* Open, it takes the card's width (the data panel needs it), under the Delete button; closed, a narrow lane puts it on its own line (min-w-fit) rather than cut it off. */}
        <details className="min-w-fit flex-1 pt-0.5 open:basis-full">
          <summary className={`${styles.disclosure} whitespace-nowrap`}>{t("details")}</summary>
          <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
            <dt className="text-slate-600">{t("capacity")}</dt>
            <dd className="font-mono">{capacity ?? "—"}</dd>
            <dt className="text-slate-600">{t("storageClass")}</dt>
            <dd className="font-mono">{pvc.spec?.storageClassName ?? t("defaultClass")}</dd>
            {reclaimPolicy && (
              <>
                <dt className="text-slate-600">{t("reclaim")}</dt>
                <dd>{reclaimPolicy}</dd>
              </>
            )}
            <dt className="text-slate-600">{t("age")}</dt>
            <dd className="font-mono">{formatAge(pvc.metadata?.creationTimestamp, now)}</dd>
          </dl>
          {/* The data belongs to the volume and outlives every pod; it is read through the pod that mounts it. */}
          {dataPod ? <VolumeDataPanel pod={dataPod} /> : <p className="mt-1 text-slate-600">{t("dataNeedsPod", { pod: podName })}</p>}
        </details>
      </div>
      {confirmDelete && (
        <DeletePvcDialog
          pvc={name}
          pv={pvc.spec?.volumeName}
          reclaimPolicy={reclaimPolicy}
          usedBy={volume.state === "Bound" || volume.state === "Reused" ? volume.pod : undefined}
          onClose={() => setConfirmDelete(false)}
        />
      )}
    </article>
  );
}
