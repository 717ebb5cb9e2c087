"use client";
import { createContext, useContext } from "react";
import type { Why } from "@/lib/k8s/why";

/** The controller's reason for an ordinal of the shown StatefulSet, or undefined when it is as wanted. */
export type WhyOf = (ordinal: number) => Why | undefined;

/**
 * The reason per ordinal (lib/k8s/why.ts), read by each slot's WhyLine — so the lane's components
 * need no new props. A function, computed on demand once per state change by the view: only the
 * lanes on screen ask (about 25 of 1,000 when the lanes are virtualised).
 */
export const WhyContext = createContext<WhyOf>(() => undefined);

export function useWhy(ordinal: number): Why | undefined {
  return useContext(WhyContext)(ordinal);
}
