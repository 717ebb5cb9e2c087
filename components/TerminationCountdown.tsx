"use client";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { useTranslations } from "next-intl";
import { useClusterNow } from "@/lib/client/useClusterNow";
import { nodeStatusText, terminationCountdown } from "@/lib/k8s/status";
import { useClusterContext } from "./ClusterContext";

/**
 * A Terminating pod's grace period, counted down live from deletionTimestamp, and what happens
 * after it: the API server keeps the object until the kubelet confirms — forever if the node is down.
 */
export function TerminationCountdown({ pod, node }: { pod: V1Pod; node?: V1Node }) {
  const { cluster } = useClusterContext();
  const t = useTranslations("Countdown");
  // Cluster time: the embedded cluster's clock runs at its speed (and stands still while paused).
  const left = terminationCountdown(pod, useClusterNow(cluster.clock));
  if (left === undefined) return null;
  const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
  const fraction = grace > 0 ? Math.min(1, left / grace) : 0;
  const nodeName = pod.spec?.nodeName;
  const nodeDown = node ? !nodeStatusText(node).startsWith("Ready") : false;
  return (
    <div className="mt-1 rounded-lg bg-amber-50 px-2 py-0.5 text-amber-950 ring-1 ring-amber-200">
      <p role="timer" aria-label={t("label", { pod: pod.metadata?.name ?? "" })} className="text-sm font-semibold leading-tight tabular-nums">
        {left > 0 ? t("left", { left, grace }) : t("over")}
      </p>
      <div className="mb-0.5 mt-0.5 h-1.5 overflow-hidden rounded-full bg-amber-200" aria-hidden="true">
        <div className="h-full rounded-full bg-amber-500 transition-[width] duration-1000 ease-linear" style={{ width: `${fraction * 100}%` }} />
      </div>
      {left === 0 && (
        <p className="mt-1 text-sm">
          {nodeDown
            ? t("nodeDown", { node: nodeName ?? "" })
            : nodeName
              ? t("waitingOn", { node: nodeName })
              : t("waiting")}
        </p>
      )}
    </div>
  );
}
