"use client";
import { createContext, useContext } from "react";
import type { Why } from "@/lib/k8s/why";

/**
 * The controller's reason per ordinal of the shown StatefulSet (lib/k8s/why.ts), computed once per
 * state change by the view and read by each slot's WhyLine — so the lane's components need no new props.
 */
export const WhyContext = createContext<ReadonlyMap<number, Why>>(new Map());

export function useWhy(ordinal: number): Why | undefined {
  return useContext(WhyContext).get(ordinal);
}
