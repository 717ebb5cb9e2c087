"use client";
import { memo } from "react";
import type { V1Pod } from "@kubernetes/client-node";
import { podStatusText } from "@/lib/k8s/status";

/**
 * One pod on a node's card. Memoised on the pod object (the watch cache replaces an object when it
 * changes): at 1,000 pods a change redraws its own chip, not the 100 beside it.
 */
export const NodePodChip = memo(function NodePodChip({ pod, highlighted }: { pod: V1Pod; highlighted: boolean }) {
  const status = podStatusText(pod);
  return (
    <li
      className={`rounded-md px-2 py-0.5 font-mono text-sm ${highlighted ? "bg-slate-900 text-white" : "bg-slate-100 text-slate-700"} ${pod.metadata?.deletionTimestamp ? "opacity-60" : ""}`}
    >
      {pod.metadata?.name}
      {status !== "Running" && <span className="font-sans text-xs"> · {status}</span>}
    </li>
  );
});
