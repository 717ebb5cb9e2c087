import type { CoreV1Event, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { eventsFor } from "./events";
import { toIso, toMillis } from "./time";

/**
 * Volume-reuse state of a StatefulSet PVC, from its own fields, the pod of its ordinal and its
 * events — nothing the dashboard remembers, so it reads the same on any cluster and after a reload.
 *
 * - `Terminating`: the PVC is being deleted (kept by the kubernetes.io/pvc-protection finalizer while a pod uses it).
 * - `Lost`: its PersistentVolume is gone (phase Lost).
 * - `Pending`: not bound yet; `reason` is the newest event about it (ProvisioningFailed, WaitForFirstConsumer, …).
 * - `Bound`: the pod of its ordinal uses it for the first time (or a brand-new PVC waits for its pod).
 * - `Reused`: the pod of its ordinal re-attached a PVC that existed before the pod (see REUSE_MIN_AGE_MS).
 * - `Retained`: no pod of its ordinal uses it: kept after scale-down or pod deletion, waiting to be reused.
 */
export type VolumeState =
  | { state: "Terminating"; pv?: string; pod?: string }
  | { state: "Lost"; pv?: string }
  | { state: "Pending"; reason?: string }
  | { state: "Bound"; pv?: string; pod?: string }
  | { state: "Reused"; pv?: string; pod: string; since: string; claimCreated: string }
  | { state: "Retained"; pv?: string };

export type VolumeStateName = VolumeState["state"];

/**
 * How much older than its pod a PVC must be to count as re-attached rather than created with it.
 *
 * The StatefulSet controller creates a pod's missing PVCs and then the pod in the same sync, so on
 * first use their creations are milliseconds apart — but API servers store timestamps with
 * one-second precision, so the two can still read one second apart (12:00:00.9 → "12:00:00",
 * 12:00:01.1 → "12:00:01"). Two seconds or more in the stored timestamps means more than a second
 * really passed, which one sync never takes: the PVC outlived an earlier pod of this ordinal
 * (scale-down then up, delete, eviction, force delete). Kept small because a fast embedded cluster
 * (PLAYGROUND_SPEED) scales 2 → 3 → 1 → 2 in a few seconds. The cost: a pod replaced within two
 * seconds of its PVC's creation still reads `Bound`.
 */
export const REUSE_MIN_AGE_MS = 2_000;

/** The claim names a pod mounts. */
export function claimNamesOf(pod: V1Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

export function podUsesClaim(pod: V1Pod, claimName: string): boolean {
  return claimNamesOf(pod).includes(claimName);
}

/** The newest event's message about this PVC (its current provisioning / binding situation). */
export function pendingReason(pvc: V1PersistentVolumeClaim, events: CoreV1Event[]): string | undefined {
  const name = pvc.metadata?.name ?? "";
  const latest = eventsFor(events, { kind: "PersistentVolumeClaim", name, namespace: pvc.metadata?.namespace, uid: pvc.metadata?.uid })[0];
  if (latest) return latest.message || latest.reason || undefined;
  // storageClassName "" turns dynamic provisioning off: only a pre-made PV can bind it.
  if (pvc.spec?.storageClassName === "") return "storageClassName is empty: waiting for a matching PersistentVolume";
  return undefined;
}

export interface VolumeStateInput {
  pvc: V1PersistentVolumeClaim;
  /** The pod of the PVC's ordinal, if one exists (Terminating pods included). */
  pod?: V1Pod;
  events: CoreV1Event[];
  /** Whether the PVC's ordinal is below the replica count (a pod is expected there). */
  desired: boolean;
  now: number;
}

export function volumeState({ pvc, pod, events, desired, now }: VolumeStateInput): VolumeState {
  const pv = pvc.spec?.volumeName || undefined;
  const name = pvc.metadata?.name ?? "";
  const user = pod && podUsesClaim(pod, name) ? pod : undefined;
  const podName = user?.metadata?.name;
  if (pvc.metadata?.deletionTimestamp) return { state: "Terminating", ...(pv ? { pv } : {}), ...(podName ? { pod: podName } : {}) };
  const phase = pvc.status?.phase;
  if (phase === "Lost") return { state: "Lost", ...(pv ? { pv } : {}) };
  if (phase !== "Bound") {
    const reason = pendingReason(pvc, events);
    return { state: "Pending", ...(reason ? { reason } : {}) };
  }
  const claimCreated = toMillis(pvc.metadata?.creationTimestamp);
  if (user && podName) {
    const podCreated = toMillis(user.metadata?.creationTimestamp);
    if (claimCreated !== undefined && podCreated !== undefined && podCreated - claimCreated >= REUSE_MIN_AGE_MS) {
      return { state: "Reused", ...(pv ? { pv } : {}), pod: podName, since: toIso(podCreated)!, claimCreated: toIso(claimCreated)! };
    }
    return { state: "Bound", ...(pv ? { pv } : {}), pod: podName };
  }
  // The controller creates the PVC a moment before the pod: a fresh PVC in a desired slot is
  // about to get its first pod, not left behind.
  const fresh = claimCreated !== undefined && now - claimCreated < REUSE_MIN_AGE_MS;
  if (desired && fresh) return { state: "Bound", ...(pv ? { pv } : {}) };
  return { state: "Retained", ...(pv ? { pv } : {}) };
}

interface VolumeMemo {
  created: number | undefined;
  pod?: V1Pod;
  desired: boolean;
  events?: CoreV1Event[];
  fresh: boolean;
  value: VolumeState;
}

/** Objects from the watch cache are replaced, never modified, so a claim object can key its state. */
const volumeMemos = new WeakMap<V1PersistentVolumeClaim, VolumeMemo>();

/**
 * volumeState, kept per claim object while what it reads is the same: the pod, `desired`, whether
 * the claim is still fresh, and the events (read only for a claim not bound yet). The page asks
 * for every slot each frame; at 1,000 claims this was a third of its slot building.
 */
export function cachedVolumeState(input: VolumeStateInput): VolumeState {
  const { pvc, pod, events, desired, now } = input;
  const memo = volumeMemos.get(pvc);
  const created = memo ? memo.created : toMillis(pvc.metadata?.creationTimestamp);
  const fresh = created !== undefined && now - created < REUSE_MIN_AGE_MS;
  const readsEvents = pvc.status?.phase !== "Bound" ? events : undefined;
  if (memo && memo.pod === pod && memo.desired === desired && memo.events === readsEvents && memo.fresh === fresh) return memo.value;
  const value = volumeState(input);
  volumeMemos.set(pvc, { created, pod, desired, events: readsEvents, fresh, value });
  return value;
}
