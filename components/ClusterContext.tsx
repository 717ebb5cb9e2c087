"use client";
import { createContext, useContext } from "react";
import type { ActionRecord, ClusterInfo } from "@/lib/k8s/contract";

/** What every control needs about the cluster without passing it down each level. */
export interface ClusterContextValue {
  cluster: ClusterInfo;
  /** Show an action the page performed right away (the stream brings it too). */
  recordAction(action: ActionRecord): void;
}

export const ClusterContext = createContext<ClusterContextValue | null>(null);

export function useClusterContext(): ClusterContextValue {
  const value = useContext(ClusterContext);
  if (!value) throw new Error("useClusterContext outside <ClusterContext>");
  return value;
}
