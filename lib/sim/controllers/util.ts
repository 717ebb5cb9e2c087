import type { V1Pod, V1Taint, V1Toleration } from "@kubernetes/client-node";
import { timeField } from "../../k8s/time";
import type { SimContext } from "../context";

/**
 * Small helpers shared by the scheduler, kubelet, node lifecycle, PV and endpoints controllers.
 * Objects in the store carry timestamps as RFC 3339 strings (what the API serves), so these
 * helpers produce strings and cast them where client-node's types say `Date`.
 */

/** A store timestamp (string, or a Date from client-node typing) as ms since the epoch; NaN if absent. */
export function timeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" && value) return Date.parse(value);
  return NaN;
}

export function nowTime(ctx: SimContext): Date {
  return timeField(ctx.clock.now());
}


export function isPodTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** Claim names of the pod's persistentVolumeClaim volumes, in volume order. */
export function podClaimNames(pod: V1Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

/** k8s.io/api/core/v1 Toleration.ToleratesTaint. */
export function toleratesTaint(t: V1Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || "Equal";
  if (op === "Exists") return true;
  return op === "Equal" && (t.value ?? "") === (taint.value ?? "");
}

export function tolerated(tolerations: V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first NoSchedule/NoExecute taint no toleration matches (FindMatchingUntoleratedTaint). */
export function untoleratedTaint(taints: V1Taint[] | undefined, tolerations: V1Toleration[] | undefined): V1Taint | undefined {
  return (taints ?? []).find((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerated(tolerations, t));
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** resource.Quantity as a number ("1Mi" → 1048576, "500m" → 0.5); NaN if it does not parse. */
export function parseQuantity(q: string | number | undefined): number {
  if (typeof q === "number") return q;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/.exec((q ?? "").trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  const suffix = m[2] ?? "";
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Carries lastTransitionTime over when the status did not change, as the API helpers do. */
export function withTransition<C extends { status: string; lastTransitionTime?: Date }>(next: C, previous: C | undefined, now: Date): C {
  const same = previous && previous.status === next.status;
  return { ...next, lastTransitionTime: same && previous.lastTransitionTime ? previous.lastTransitionTime : now };
}

/** Stable JSON (sorted keys, no undefined) for "did anything change?" comparisons. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object" && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = norm((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value));
}

/** A small deterministic hash (FNV-1a) for stable pseudo-random details (durations, sizes, digests). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Runs `fn`, ignoring NotFound/Conflict: the object changed under us and the next sync will see it. */
export function ignoreStale<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === 404 || code === 409) return undefined;
    throw e;
  }
}
