"use client";
import { clusterNow, type SpeedState } from "@/lib/k8s/speed";
import { useNow } from "./useNow";

/**
 * The cluster's time on the shared one-second tick: objects carry cluster timestamps, and the
 * embedded cluster's clock runs at its speed (stands still while paused), so ages and countdowns
 * are measured against it rather than against the wall clock.
 */
export function useClusterNow(clock: SpeedState): number {
  return clusterNow(clock, useNow());
}
