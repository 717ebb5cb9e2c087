"use client";
import { useTranslations } from "next-intl";
import type { ClusterConnection } from "@/lib/client/useCluster";

/**
 * Shown while the page is not live: the stream to the dashboard server dropped, the server's
 * watches of the API server fail, or the first snapshot could not be loaded. Gone when it converges.
 */
export function ConnectionBanner({ connection, hasSnapshot }: { connection: ClusterConnection; hasSnapshot: boolean }) {
  const t = useTranslations("Connection");
  const problems: string[] = [];
  if (connection.stream === "reconnecting") problems.push(t("streamLost"));
  if (!connection.apiConnected) {
    const kinds = connection.kindErrors.map((k) => `${k.kind}: ${k.error}`).join("; ");
    problems.push(kinds ? t("apiDownKinds", { kinds }) : t("apiDown"));
  }
  if (connection.snapshotError && !hasSnapshot) problems.push(t("cannotLoad", { reason: connection.snapshotError.reason, message: connection.snapshotError.message }));
  if (problems.length === 0) return null;
  return (
    <div role="alert" aria-label={t("label")} className="sticky top-0 z-20 border-b-2 border-amber-400 bg-amber-100 px-6 py-3 text-lg text-amber-950">
      {problems.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <p className="text-sm">{t("outOfDate")}</p>
    </div>
  );
}
