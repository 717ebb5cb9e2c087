import type { CoreV1Event, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { claimTemplateNames, desiredReplicas, ordinalStart, podNameFor, podOrdinal, pvcNameFor, pvcOrdinal } from "./ordinals";
import { cachedVolumeState, type VolumeState } from "./volumes";

/**
 * The ordinal lane of a StatefulSet: one slot per ordinal from `spec.ordinals.start` up to the
 * highest of (start + replicas − 1) and any ordinal that still has a pod or a PVC, so a PVC
 * retained after scale-down keeps its place in the lane.
 */

export interface SlotClaim {
  /** The volumeClaimTemplate's name ("data"). */
  template: string;
  /** The PVC name the controller uses for this ordinal ("data-kubia-1"), whether or not it exists. */
  name: string;
  pvc?: V1PersistentVolumeClaim;
  pv?: V1PersistentVolume;
  volume?: VolumeState;
}

export interface OrdinalSlot {
  ordinal: number;
  podName: string;
  pod?: V1Pod;
  /** One per volumeClaimTemplate, in spec order. */
  claims: SlotClaim[];
  /** start ≤ ordinal < start + replicas: the controller wants a pod here. */
  desired: boolean;
}

export interface SlotsInput {
  statefulSet: V1StatefulSet;
  pods: V1Pod[];
  pvcs: V1PersistentVolumeClaim[];
  pvs: V1PersistentVolume[];
  events: CoreV1Event[];
  now: number;
}

/**
 * A pod with the set's name pattern is one of its pods unless another controller owns it
 * (a bare pod named kubia-7 still takes the name, so it is shown too).
 */
function ownedBy(pod: V1Pod, sts: V1StatefulSet): boolean {
  const controller = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (!controller) return true;
  if (controller.kind !== "StatefulSet" || controller.name !== sts.metadata?.name) return false;
  return !sts.metadata?.uid || controller.uid === sts.metadata.uid;
}

export function statefulSetPods(sts: V1StatefulSet, pods: V1Pod[]): Map<number, V1Pod> {
  const name = sts.metadata?.name ?? "";
  const namespace = sts.metadata?.namespace;
  const byOrdinal = new Map<number, V1Pod>();
  for (const pod of pods) {
    if (namespace !== undefined && pod.metadata?.namespace !== namespace) continue;
    const ordinal = podOrdinal(pod.metadata?.name ?? "", name);
    if (ordinal === undefined || !ownedBy(pod, sts)) continue;
    byOrdinal.set(ordinal, pod);
  }
  return byOrdinal;
}

/** PVCs by template, then ordinal. */
export function statefulSetClaims(sts: V1StatefulSet, pvcs: V1PersistentVolumeClaim[]): Map<string, Map<number, V1PersistentVolumeClaim>> {
  const name = sts.metadata?.name ?? "";
  const namespace = sts.metadata?.namespace;
  const byTemplate = new Map<string, Map<number, V1PersistentVolumeClaim>>();
  for (const template of claimTemplateNames(sts)) {
    const byOrdinal = new Map<number, V1PersistentVolumeClaim>();
    for (const pvc of pvcs) {
      if (namespace !== undefined && pvc.metadata?.namespace !== namespace) continue;
      const ordinal = pvcOrdinal(pvc.metadata?.name ?? "", template, name);
      if (ordinal !== undefined) byOrdinal.set(ordinal, pvc);
    }
    byTemplate.set(template, byOrdinal);
  }
  return byTemplate;
}

interface PvIndex {
  byName: Map<string, V1PersistentVolume>;
  byClaimUid: Map<string, V1PersistentVolume>;
}

/** Volumes by name and by the claim they point at, built once per list (1,000 claims looked up each frame). */
const pvIndexes = new WeakMap<readonly V1PersistentVolume[], PvIndex>();

function pvIndex(pvs: readonly V1PersistentVolume[]): PvIndex {
  let index = pvIndexes.get(pvs);
  if (!index) {
    index = { byName: new Map(), byClaimUid: new Map() };
    // The first of a name or claim uid wins, as Array.find did.
    for (const pv of pvs) {
      const name = pv.metadata?.name;
      const claimUid = pv.spec?.claimRef?.uid;
      if (name !== undefined && !index.byName.has(name)) index.byName.set(name, pv);
      if (claimUid && !index.byClaimUid.has(claimUid)) index.byClaimUid.set(claimUid, pv);
    }
    pvIndexes.set(pvs, index);
  }
  return index;
}

function findPv(pvc: V1PersistentVolumeClaim, pvs: readonly V1PersistentVolume[]): V1PersistentVolume | undefined {
  const volumeName = pvc.spec?.volumeName;
  if (volumeName) return pvIndex(pvs).byName.get(volumeName);
  // Not bound from the claim's side yet: a PV that already points at this claim (by uid).
  const uid = pvc.metadata?.uid;
  return uid ? pvIndex(pvs).byClaimUid.get(uid) : undefined;
}

/** Gaps between ordinals are drawn as empty slots, unless a stray name (kubia-90000) would make the lane absurd. */
export const MAX_LANE_GAP = 100;

function laneOrdinals(start: number, end: number, taken: number[]): number[] {
  const low = Math.min(start, ...taken);
  const high = Math.max(end - 1, ...taken);
  if (high - low <= MAX_LANE_GAP + (end - start)) return Array.from({ length: Math.max(0, high - low + 1) }, (_, i) => low + i);
  const wanted = new Set(taken);
  for (let o = start; o < end; o++) wanted.add(o);
  return [...wanted].sort((a, b) => a - b);
}

export function buildSlots({ statefulSet, pods, pvcs, pvs, events, now }: SlotsInput): OrdinalSlot[] {
  const name = statefulSet.metadata?.name ?? "";
  const start = ordinalStart(statefulSet);
  const end = start + desiredReplicas(statefulSet); // exclusive
  const podsByOrdinal = statefulSetPods(statefulSet, pods);
  const claims = statefulSetClaims(statefulSet, pvcs);

  const taken = [...podsByOrdinal.keys(), ...[...claims.values()].flatMap((m) => [...m.keys()])];
  const templates = claimTemplateNames(statefulSet);
  const slots: OrdinalSlot[] = [];
  for (const ordinal of laneOrdinals(start, end, taken)) {
    const pod = podsByOrdinal.get(ordinal);
    const desired = ordinal >= start && ordinal < end;
    const slotClaims: SlotClaim[] = templates.map((template) => {
      const pvc = claims.get(template)?.get(ordinal);
      const claim: SlotClaim = { template, name: pvcNameFor(template, name, ordinal) };
      if (!pvc) return claim;
      const pv = findPv(pvc, pvs);
      return { ...claim, pvc, ...(pv ? { pv } : {}), volume: cachedVolumeState({ pvc, pod, events, desired, now }) };
    });
    slots.push({ ordinal, podName: podNameFor(name, ordinal), ...(pod ? { pod } : {}), claims: slotClaims, desired });
  }
  return slots;
}

/**
 * Whether two builds of one ordinal's slot show the same thing. Objects from the watch cache are
 * replaced, never modified, when they change, so identity says whether a pod, claim or volume did;
 * the page redraws only the lanes whose slot changed (one event: one lane, not all of them).
 */
export function sameSlot(a: OrdinalSlot, b: OrdinalSlot): boolean {
  return (
    a.ordinal === b.ordinal &&
    a.podName === b.podName &&
    a.desired === b.desired &&
    a.pod === b.pod &&
    a.claims.length === b.claims.length &&
    a.claims.every((c, i) => sameClaim(c, b.claims[i]))
  );
}

function sameClaim(a: SlotClaim, b: SlotClaim): boolean {
  return a.template === b.template && a.name === b.name && a.pvc === b.pvc && a.pv === b.pv && (a.volume === b.volume || JSON.stringify(a.volume) === JSON.stringify(b.volume));
}
