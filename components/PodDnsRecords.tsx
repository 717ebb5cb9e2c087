"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import type { DnsRecord } from "@/lib/k8s/contract";
import { ShowAllButton } from "./ShowAllButton";

/**
 * Records listed before "Show all": a class's few pods are all listed; at 1,000 pods the list was
 * 1,000 lines, redrawn twice a second while the pods started.
 */
export const POD_RECORDS_SHOWN = 24;

/** The per-pod A records of the headless service (`kubia-0.kubia.default.svc.cluster.local → 10.1.0.5`). */
export function PodDnsRecords({ records }: { records: DnsRecord[] }) {
  const [expanded, setExpanded] = useState(false);
  const t = useTranslations("Dns");
  if (records.length === 0) return <p className="text-base text-slate-500">{t("noPodRecord")}</p>;
  return (
    <>
      <ul className="mt-1 space-y-1">
        {(expanded ? records : records.slice(0, POD_RECORDS_SHOWN)).map((r) => (
          <li key={`${r.name}|${r.data}`} className="font-mono text-base">
            {r.name} → <strong>{r.data}</strong>
          </li>
        ))}
      </ul>
      {records.length > POD_RECORDS_SHOWN && (
        <ShowAllButton expanded={expanded} onToggle={() => setExpanded(!expanded)} showAll={t("showAllRecords", { count: records.length })} showFewer={t("showFewerRecords")} />
      )}
    </>
  );
}
