import { WATCHED_KINDS, type KindObjects, type Snapshot, type WatchedKind } from "@/lib/k8s/contract";
import { applyMessage, type StreamMessage } from "@/lib/k8s/cache";
import type { RunningCluster } from "@/lib/sim/cluster";
import { loadKubeConfig } from "../config";
import { kindPath } from "../kinds";
import { kubeJson } from "../request";
import type { SseFrame } from "./sse-client";

/**
 * "Converged" made precise: for every watched kind, the same set of objects (namespace/name),
 * each with the same uid and resourceVersion, as a fresh list from the API server — no ghost
 * (cached but gone), no missing, no duplicate, no stale version.
 */
export type KindIndex = Record<WatchedKind, Map<string, string>>;

type AnyObject = KindObjects[WatchedKind];

function indexOf(objects: AnyObject[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const o of objects) {
    const key = `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
    // A duplicate key is a bug on its own: mark it so the comparison fails visibly.
    index.set(index.has(key) ? `${key}#duplicate` : key, `${o.metadata?.uid}@${o.metadata?.resourceVersion}`);
  }
  return index;
}

export function indexObjects(objects: Record<WatchedKind, AnyObject[]>): KindIndex {
  return Object.fromEntries(WATCHED_KINDS.map((kind) => [kind, indexOf(objects[kind] ?? [])])) as KindIndex;
}

/** A fresh list of every watched kind, straight from the API server (bypassing any proxy). */
export async function freshIndex(cluster: RunningCluster, namespace = "default"): Promise<KindIndex> {
  const kc = loadKubeConfig({ mode: "embedded", kubeconfigPath: cluster.kubeconfigPath, namespace, maxReplicas: 50 });
  const lists = await Promise.all(
    WATCHED_KINDS.map(async (kind) => (await kubeJson<{ items: AnyObject[] }>(kc, { path: kindPath(kind, namespace), timeoutMs: 10_000 })).items),
  );
  return indexObjects(Object.fromEntries(WATCHED_KINDS.map((kind, i) => [kind, lists[i]])) as Record<WatchedKind, AnyObject[]>);
}

/** Human-readable differences, empty when equal. */
export function diffIndex(actual: KindIndex, expected: KindIndex, kinds: readonly WatchedKind[] = WATCHED_KINDS): string[] {
  const out: string[] = [];
  for (const kind of kinds) {
    const a = actual[kind];
    const e = expected[kind];
    for (const [key, value] of e) {
      if (!a.has(key)) out.push(`${kind} ${key}: missing`);
      else if (a.get(key) !== value) out.push(`${kind} ${key}: ${a.get(key)} ≠ ${value}`);
    }
    for (const key of a.keys()) if (!e.has(key)) out.push(`${kind} ${key}: ghost (not in the API server's list)`);
  }
  return out;
}

/**
 * Retries the comparison until it holds (controllers keep writing: a moment where both sides are
 * taken between two writes is needed), returning the last differences when it never does.
 */
export async function waitForConvergence(actual: () => KindIndex, expected: () => Promise<KindIndex>, timeoutMs: number, kinds?: readonly WatchedKind[]): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let diff: string[] = ["not compared yet"];
  while (Date.now() < deadline) {
    const fresh = await expected();
    diff = diffIndex(actual(), fresh, kinds);
    if (diff.length === 0) return diff;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return diff;
}

/** What a browser holds after applying these frames (lib/k8s/cache, the page's own logic). */
export function clientState(frames: SseFrame[]): Snapshot | undefined {
  let snapshot: Snapshot | undefined;
  for (const frame of frames) {
    if (!["snapshot", "change", "status", "action"].includes(frame.event)) continue;
    snapshot = applyMessage(snapshot, { event: frame.event, data: JSON.parse(frame.data) } as StreamMessage);
  }
  return snapshot;
}
