"use client";
import { createContext, useContext } from "react";
import { useTranslations } from "next-intl";
import type { ActionRecord, ClusterInfo } from "@/lib/k8s/contract";

/** What every control needs about the cluster without passing it down each level. */
export interface ClusterContextValue {
  cluster: ClusterInfo;
  /** Show an action the page performed right away (the stream brings it too). */
  recordAction(action: ActionRecord): void;
  /** The page draws a recorded moment (replay): acting on the cluster from it would mislead. */
  replaying?: boolean;
}

export const ClusterContext = createContext<ClusterContextValue | null>(null);

export function useClusterContext(): ClusterContextValue {
  const value = useContext(ClusterContext);
  if (!value) throw new Error("useClusterContext outside <ClusterContext>");
  return value;
}

/**
 * Whether the controls that change the cluster are locked, and why (shown beside them and as their
 * title): while replaying, the view is the past, and an action would act on a present not shown.
 */
export function useActionLock(): { locked: boolean; reason?: string } {
  const { replaying } = useClusterContext();
  const t = useTranslations("Replay");
  return replaying ? { locked: true, reason: t("locked") } : { locked: false };
}
