import type { CoreV1Event, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import type { WhyCheck } from "./why-check";

/**
 * The normalized trace of a scenario: what a user can observe at each step boundary, with
 * everything that legitimately differs between two clusters (timestamps, uids, IPs, generated
 * names, event counts, scheduler tie-breaks) reduced to identities relative to the previous step.
 */

/** What the recorder holds at a step boundary (raw objects of the scenario's namespace). */
export interface Snapshot {
  pods: V1Pod[];
  pvcs: V1PersistentVolumeClaim[];
  /** PersistentVolumes whose claimRef points into the namespace. */
  pvs: V1PersistentVolume[];
  statefulSet?: V1StatefulSet;
}

/** What happened during a step, from the watches (in arrival order per kind). */
export interface StepLog {
  /** `+name` created, `~name` deletionTimestamp set (Terminating), `-name` object gone. */
  podOps: string[];
  pvcOps: string[];
  /**
   * Event occurrences during the step: a new Event, or a count bump of an existing one.
   * `repeat`: the same report (object, reason, message) already occurred in an earlier step.
   */
  events: EventOccurrence[];
  /**
   * The most pods at any one moment during the step that were starting (not Terminating, not yet
   * Running and Ready) and that were Terminating: what tells Parallel (3 at once) from
   * OrderedReady (1 at a time) even where the end state and the set of operations are the same.
   */
  peaks: { starting: number; terminating: number };
}

export interface EventOccurrence {
  event: CoreV1Event;
  repeat: boolean;
}

export type Identity = "new" | "same" | "replaced";

export interface PodState {
  ordinal: number;
  phase: string;
  ready: boolean;
  terminating: boolean;
  /** Same pod object (uid) as at the previous boundary, a new name, or a new object of the same name. */
  identity: Identity;
  /** Node relative to the previous boundary's pod of that name: scheduler tie-breaks are not compared. */
  node: "unscheduled" | "new" | "same" | "changed";
}

export interface PvcState {
  phase: string;
  terminating: boolean;
  identity: Identity;
  /** The PV this claim holds relative to the previous boundary, by PV identity (uid), not name. */
  volume: "none" | "new" | "same" | "changed";
}

export interface PvState {
  phase: string;
  reclaimPolicy: string;
}

export interface SetStatus {
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
}

export interface StepState {
  /** "stable", or "timeout" when the boundary was not reached in time (then the state is whatever it was). */
  settled: "stable" | "timeout";
  pods: Record<string, PodState>;
  pvcs: Record<string, PvcState>;
  /** Keyed by the claim the PV is (or was) bound to: PV names are generated. */
  pvs: Record<string, PvState>;
  statefulSet: SetStatus | "absent";
  /** Pod ops in order when the step's semantics order them (OrderedReady), else sorted. */
  podOps: string[];
  pvcOps: string[];
  /** Involved kind → reason → number of distinct Events (repeats of one Event count once). */
  events: Record<string, Record<string, number>>;
  peaks: StepLog["peaks"];
}

export interface StepTrace {
  step: string;
  state: StepState;
  /** Not compared: the step's Events as "Kind/name Reason: message (component)", for reading dumps. */
  rawEvents?: string[];
}

export interface Trace {
  scenario: string;
  steps: StepTrace[];
  /** A failure of the scenario itself (an API call that threw), not a divergence in behaviour. */
  error?: string;
  /** Each reason lib/k8s/why.ts gave during the run, its prediction judged against what the cluster did next (why-check.ts). */
  whyChecks?: WhyCheck[];
}

/** What the previous boundary saw, to turn uids and node names into identities. */
export interface Previous {
  pods: Map<string, { uid: string; node?: string }>;
  pvcs: Map<string, { uid: string; volumeUid?: string }>;
}

export const emptyPrevious = (): Previous => ({ pods: new Map(), pvcs: new Map() });

/** `<set>-<ordinal>` → ordinal (or -1). */
export function ordinalOf(name: string): number {
  const m = /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : -1;
}

function byOrdinalThenName(a: string, b: string): number {
  return ordinalOf(a) - ordinalOf(b) || a.localeCompare(b);
}

function identity(previousUid: string | undefined, uid: string | undefined): Identity {
  if (previousUid === undefined) return "new";
  return previousUid === uid ? "same" : "replaced";
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}

function podState(pod: V1Pod, prev: Previous): PodState {
  const name = pod.metadata!.name!;
  const before = prev.pods.get(name);
  const nodeName = pod.spec?.nodeName;
  let node: PodState["node"] = "unscheduled";
  if (nodeName) node = !before?.node ? "new" : before.node === nodeName ? "same" : "changed";
  return {
    ordinal: ordinalOf(name),
    phase: pod.status?.phase ?? "Pending",
    ready: isPodReady(pod),
    terminating: !!pod.metadata?.deletionTimestamp,
    identity: identity(before?.uid, pod.metadata?.uid),
    node,
  };
}

function pvcState(pvc: V1PersistentVolumeClaim, pvs: V1PersistentVolume[], prev: Previous): PvcState {
  const before = prev.pvcs.get(pvc.metadata!.name!);
  const volumeUid = pvUidFor(pvc, pvs);
  let volume: PvcState["volume"] = "none";
  if (volumeUid) volume = !before?.volumeUid ? "new" : before.volumeUid === volumeUid ? "same" : "changed";
  return {
    phase: pvc.status?.phase ?? "Pending",
    terminating: !!pvc.metadata?.deletionTimestamp,
    identity: identity(before?.uid, pvc.metadata?.uid),
    volume,
  };
}

/** The uid of the PV the claim is bound to (by spec.volumeName), if that PV is known. */
function pvUidFor(pvc: V1PersistentVolumeClaim, pvs: V1PersistentVolume[]): string | undefined {
  const name = pvc.spec?.volumeName;
  if (!name) return undefined;
  return pvs.find((pv) => pv.metadata?.name === name)?.metadata?.uid ?? `missing:${name}`;
}

function setStatus(set: V1StatefulSet | undefined): SetStatus | "absent" {
  if (!set) return "absent";
  const s = set.status;
  return {
    replicas: s?.replicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    currentReplicas: s?.currentReplicas ?? 0,
    updatedReplicas: s?.updatedReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
  };
}

function eventReasons(events: CoreV1Event[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const e of events) {
    const kind = e.involvedObject?.kind ?? "?";
    const reason = e.reason ?? "?";
    out[kind] ??= {};
    out[kind][reason] = (out[kind][reason] ?? 0) + 1;
  }
  return sortKeys(out);
}

function sortKeys<T>(obj: Record<string, T>, compare?: (a: string, b: string) => number): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(obj).sort(compare)) {
    const value = obj[key];
    out[key] = value && typeof value === "object" && !Array.isArray(value) ? (sortKeys(value as Record<string, unknown>) as T) : value;
  }
  return out;
}

/**
 * What makes two Events the same report: the involved object (by uid, so a recreated pod counts
 * again), reason and message.
 */
export function reportKey(e: CoreV1Event): string {
  const o = e.involvedObject ?? {};
  return JSON.stringify([o.uid || `${o.kind}/${o.name}`, e.reason, e.message]);
}

/** How many times an Event says its report occurred (core `count`, or an events.k8s.io series). */
export function occurrences(e: CoreV1Event): number {
  return Math.max(e.count ?? 1, e.series?.count ?? 1);
}

/**
 * Distinct reports of the step: repeats within a step are normalized away, whether a cluster bumps
 * one Event's count or writes a second Event object (kube-scheduler's events.k8s.io recorder does,
 * depending on timing: a pod retried before its claim is bound fails twice with the same message).
 */
function distinctEvents(events: EventOccurrence[]): CoreV1Event[] {
  const seen = new Set<string>();
  return events
    .map((o) => o.event)
    .filter((e) => {
      const key = reportKey(e);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * The normalized state at a boundary and the identities to compare the next one against.
 * `ordered` keeps the pod/PVC op sequence (OrderedReady makes it a semantic); otherwise it is sorted.
 */
export function normalizeStep(snapshot: Snapshot, log: StepLog, prev: Previous, opts: { ordered: boolean; settled: boolean }): { state: StepState; next: Previous } {
  const pods: Record<string, PodState> = {};
  for (const pod of [...snapshot.pods].sort((a, b) => byOrdinalThenName(a.metadata!.name!, b.metadata!.name!))) pods[pod.metadata!.name!] = podState(pod, prev);
  const pvcs: Record<string, PvcState> = {};
  for (const pvc of [...snapshot.pvcs].sort((a, b) => byOrdinalThenName(a.metadata!.name!, b.metadata!.name!))) pvcs[pvc.metadata!.name!] = pvcState(pvc, snapshot.pvs, prev);
  const pvs: Record<string, PvState> = {};
  for (const pv of snapshot.pvs) {
    const claim = pv.spec?.claimRef?.name ?? `unclaimed:${pv.metadata?.name}`;
    pvs[claim] = { phase: pv.status?.phase ?? "Pending", reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy ?? "?" };
  }
  const ops = (list: string[]) => (opts.ordered ? [...list] : [...list].sort());
  const state: StepState = {
    settled: opts.settled ? "stable" : "timeout",
    pods,
    pvcs,
    pvs: sortKeys(pvs, byOrdinalThenName),
    statefulSet: setStatus(snapshot.statefulSet),
    podOps: ops(log.podOps),
    pvcOps: ops(log.pvcOps),
    events: eventReasons(distinctEvents(log.events)),
    peaks: { ...log.peaks },
  };
  const next = emptyPrevious();
  for (const pod of snapshot.pods) next.pods.set(pod.metadata!.name!, { uid: pod.metadata!.uid!, node: pod.spec?.nodeName || undefined });
  for (const pvc of snapshot.pvcs) next.pvcs.set(pvc.metadata!.name!, { uid: pvc.metadata!.uid!, volumeUid: pvUidFor(pvc, snapshot.pvs) });
  return { state, next };
}

/** An Event occurrence as one line ("(repeat) " first for a report of an earlier step), for humans and known-divergence checks. */
export function describeEvent({ event: e, repeat }: EventOccurrence): string {
  const component = e.source?.component || e.reportingComponent || "?";
  return `${repeat ? "(repeat) " : ""}${e.involvedObject?.kind}/${e.involvedObject?.name} ${e.reason}: ${e.message ?? ""} (${component})`;
}
