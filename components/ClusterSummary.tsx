"use client";
import { useTranslations } from "next-intl";
import type { ClusterInfo } from "@/lib/k8s/contract";
import { richTags } from "./richTags";

/** Which cluster and namespace the page shows (a context name, never a credential). */
export function ClusterSummary({ cluster }: { cluster: ClusterInfo }) {
  const t = useTranslations("ClusterSummary");
  return (
    <p className="min-w-0 text-base leading-tight text-slate-600">
      {cluster.mode === "embedded" ? t("embedded") : t.rich("context", { ...richTags, context: cluster.context })}
      {t("namespace")}
      <span className="font-mono font-semibold text-slate-800">{cluster.namespace}</span>
      {cluster.mode === "embedded" && (cluster.clock.paused ? t("paused", { speed: cluster.clock.speed }) : t("speed", { speed: cluster.clock.speed }))}
    </p>
  );
}
