"use client";
import { useId, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import type { V1StatefulSet } from "@kubernetes/client-node";
import { api } from "@/lib/client/api";
import { useAction } from "@/lib/client/useAction";
import { desiredReplicas, ordinalStart } from "@/lib/k8s/ordinals";
import { ActionAlert } from "./ActionAlert";
import { ActionLockNote } from "./ActionLockNote";
import { useActionLock, useClusterContext } from "./ClusterContext";
import { styles } from "./styles";

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="flex items-baseline gap-2">
      <dt className={styles.label}>{label}</dt>
      <dd className="text-2xl font-bold tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}

function Setting({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex items-baseline gap-1.5">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="font-mono text-sm text-slate-900">{value}</dd>
    </div>
  );
}

/** The StatefulSet's counts and policies, and the scale controls (the scale subresource). */
export function StatefulSetHeader({ statefulSet }: { statefulSet: V1StatefulSet }) {
  const { cluster, recordAction } = useClusterContext();
  const { run, pending, error, clear } = useAction();
  const t = useTranslations("Header");
  const lock = useActionLock();
  const name = statefulSet.metadata?.name ?? "";
  const desired = desiredReplicas(statefulSet);
  const [draft, setDraft] = useState<string | null>(null);
  const inputId = useId();
  const retention = statefulSet.spec?.persistentVolumeClaimRetentionPolicy;
  const start = ordinalStart(statefulSet);

  const scaleTo = async (replicas: number) => {
    const result = await run(() => api.scale(name, replicas));
    if (result) {
      recordAction(result.action);
      setDraft(null);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An empty or odd value goes to the server as is: its validation message is the one to show.
    const text = (draft ?? String(desired)).trim();
    void scaleTo(text === "" ? Number.NaN : Number(text));
  };

  return (
    <section aria-label={t("label", { name })} className={`${styles.panel} px-4 py-2`}>
      <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2">
        <div className="flex items-baseline gap-2">
          <p className={styles.label}>{t("kind")}</p>
          <h2 className="font-mono text-3xl/none font-bold text-slate-900">{name}</h2>
        </div>
        <dl className="flex flex-wrap gap-6">
          <Stat label={t("desired")} value={desired} />
          <Stat label={t("current")} value={statefulSet.status?.replicas ?? 0} />
          <Stat label={t("ready")} value={statefulSet.status?.readyReplicas ?? 0} />
        </dl>
        {/* One group that never wraps: Scale down, Replicas, Apply, Scale up read as one control. */}
        <div className="flex flex-nowrap items-center gap-2 whitespace-nowrap">
          <button type="button" data-shortcut="scale-down" className={styles.secondaryButton} onClick={() => scaleTo(desired - 1)} disabled={pending || lock.locked || desired <= 0} title={lock.reason}>
            <span aria-hidden="true">−</span> {t("scaleDown")}
          </button>
          {/* noValidate: out-of-range values reach the server, whose reason and message are shown. */}
          <form onSubmit={submit} noValidate className="flex items-center gap-2">
            <label htmlFor={inputId} className="text-base font-medium text-slate-700">
              {t("replicas")}
            </label>
            <input
              id={inputId}
              type="number"
              min={0}
              max={cluster.maxReplicas}
              step={1}
              value={draft ?? String(desired)}
              onChange={(e) => setDraft(e.target.value)}
              disabled={lock.locked}
              className={`${styles.input} w-24 py-1.5 text-center text-base tabular-nums`}
            />
            <button type="submit" className={styles.primaryButton} disabled={pending || lock.locked} title={lock.reason}>
              {t("apply")}
            </button>
          </form>
          <button type="button" data-shortcut="scale-up" className={styles.secondaryButton} onClick={() => scaleTo(desired + 1)} disabled={pending || lock.locked || desired >= cluster.maxReplicas} title={lock.reason}>
            <span aria-hidden="true">+</span> {t("scaleUp")}
          </button>
        </div>
      </div>
      <ActionLockNote className="text-right" />
      <dl className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1 border-t border-slate-200 pt-1.5">
        <Setting label={t("service")} value={statefulSet.spec?.serviceName || "—"} />
        <Setting label={t("podManagement")} value={statefulSet.spec?.podManagementPolicy ?? "OrderedReady"} />
        <Setting label={t("retention")} value={`whenScaled: ${retention?.whenScaled ?? "Retain"}, whenDeleted: ${retention?.whenDeleted ?? "Retain"}`} />
        <Setting label={t("updateStrategy")} value={statefulSet.spec?.updateStrategy?.type ?? "RollingUpdate"} />
        {start !== 0 && <Setting label={t("ordinalsStart")} value={String(start)} />}
      </dl>
      <ActionAlert error={error} onDismiss={clear} />
    </section>
  );
}
