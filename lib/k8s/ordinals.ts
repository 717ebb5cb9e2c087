import type { V1StatefulSet } from "@kubernetes/client-node";

/**
 * StatefulSet identity by name, as the StatefulSet controller builds it
 * (pkg/controller/statefulset/stateful_set_utils.go): pod `<sts>-<ordinal>`, PVC
 * `<template>-<sts>-<ordinal>`.
 *
 * Only canonical decimal ordinals count ("kubia-1", not "kubia-01"): the controller names pods
 * with strconv.Itoa, so a zero-padded name can never be one of its pods.
 */
const CANONICAL_ORDINAL = /^(0|[1-9][0-9]*)$/;

function ordinalAfter(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  if (!CANONICAL_ORDINAL.test(rest)) return undefined;
  const ordinal = Number(rest);
  return Number.isSafeInteger(ordinal) ? ordinal : undefined;
}

/** The ordinal of pod `podName` in StatefulSet `stsName`, or undefined when it is not one of its names. */
export function podOrdinal(podName: string, stsName: string): number | undefined {
  return ordinalAfter(podName, `${stsName}-`);
}

/** The ordinal of PVC `pvcName` made from volumeClaimTemplate `templateName` of StatefulSet `stsName`. */
export function pvcOrdinal(pvcName: string, templateName: string, stsName: string): number | undefined {
  return ordinalAfter(pvcName, `${templateName}-${stsName}-`);
}

/** `spec.ordinals.start` (StatefulSetStartOrdinal, GA in 1.31), 0 when unset. */
export function ordinalStart(sts: V1StatefulSet): number {
  const start = sts.spec?.ordinals?.start;
  return typeof start === "number" && Number.isInteger(start) && start >= 0 ? start : 0;
}

/** `spec.replicas`, which the API server defaults to 1. */
export function desiredReplicas(sts: V1StatefulSet): number {
  const replicas = sts.spec?.replicas;
  return typeof replicas === "number" && replicas >= 0 ? replicas : 1;
}

export function podNameFor(stsName: string, ordinal: number): string {
  return `${stsName}-${ordinal}`;
}

export function pvcNameFor(templateName: string, stsName: string, ordinal: number): string {
  return `${templateName}-${stsName}-${ordinal}`;
}

/** The names of the StatefulSet's volumeClaimTemplates, in spec order. */
export function claimTemplateNames(sts: V1StatefulSet): string[] {
  return (sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? "").filter((n) => n !== "");
}
