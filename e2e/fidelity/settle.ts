import type { V1Node, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { isPodReady, type Snapshot } from "./trace";
import { DOWN_ANNOTATION } from "./steps";

/**
 * Generic "work still in progress" detection for a step boundary: a state that some controller or
 * kubelet is about to change is not a boundary, however long nothing has happened (a grace period,
 * a KWOK stage delay). Returns why the state is not settled, or undefined. Only things that *will*
 * change by themselves count: a pod stuck on a dead node or a claim without a usable class is a
 * settled state.
 */
export interface ClusterFacts {
  nodes: V1Node[];
  /** Names of existing StorageClasses, and the default one. */
  storageClasses: Set<string>;
  defaultStorageClass?: string;
}

const nodeUp = (facts: ClusterFacts, name: string | undefined) => {
  const node = facts.nodes.find((n) => n.metadata?.name === name);
  return !!node && node.metadata?.annotations?.[DOWN_ANNOTATION] !== "true";
};

/** The finalizer the pvc-protection controller removes once no pod uses the claim. */
const PVC_PROTECTION = "kubernetes.io/pvc-protection";

function claimUsable(pvc: V1PersistentVolumeClaim, facts: ClusterFacts): boolean {
  const cls = pvc.spec?.storageClassName ?? facts.defaultStorageClass;
  return !!cls && facts.storageClasses.has(cls);
}

function podInFlight(pod: V1Pod, s: Snapshot, facts: ClusterFacts): string | undefined {
  const name = pod.metadata!.name;
  const node = pod.spec?.nodeName;
  if (pod.metadata?.deletionTimestamp) {
    // A live kubelet finishes the termination; on a dead node the pod stays Terminating.
    return !node || nodeUp(facts, node) ? `pod ${name} terminating` : undefined;
  }
  if (node) return nodeUp(facts, node) && !(pod.status?.phase === "Running" && isPodReady(pod)) ? `pod ${name} starting` : undefined;
  // Unscheduled: the scheduler will place it once its claims are bound.
  const claims = (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => !!c);
  const bound = claims.every((c) => s.pvcs.find((p) => p.metadata?.name === c)?.status?.phase === "Bound");
  return bound ? `pod ${name} to be scheduled` : undefined;
}

function claimInFlight(pvc: V1PersistentVolumeClaim, s: Snapshot, facts: ClusterFacts): string | undefined {
  const name = pvc.metadata!.name;
  const podUids = new Set(s.pods.map((p) => p.metadata?.uid));
  // The garbage collector deletes a claim whose owning pod (retention policy) is gone.
  if (!pvc.metadata?.deletionTimestamp && pvc.metadata?.ownerReferences?.some((r) => r.kind === "Pod" && !podUids.has(r.uid))) return `pvc ${name} owner gone`;
  if (pvc.metadata?.ownerReferences?.some((r) => r.kind === "StatefulSet" && r.uid !== s.statefulSet?.metadata?.uid)) return `pvc ${name} set gone`;
  if (pvc.metadata?.deletionTimestamp) {
    // A finalizer no controller removes (a user's) keeps the claim Terminating: settled.
    if ((pvc.metadata.finalizers ?? []).some((f) => f !== PVC_PROTECTION)) return undefined;
    const used = s.pods.some((p) => p.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === name));
    return used ? undefined : `pvc ${name} being deleted`;
  }
  if (pvc.status?.phase !== "Bound" && claimUsable(pvc, facts)) return `pvc ${name} provisioning`;
  return undefined;
}

export function inFlight(s: Snapshot, facts: ClusterFacts): string | undefined {
  const set = s.statefulSet;
  if (set) {
    if ((set.status?.observedGeneration ?? 0) < (set.metadata?.generation ?? 0)) return "statefulset status behind its generation";
    const replicas = s.pods.length;
    const ready = s.pods.filter((p) => p.status?.phase === "Running" && isPodReady(p)).length;
    if ((set.status?.replicas ?? 0) !== replicas) return `status.replicas ${set.status?.replicas ?? 0} != ${replicas} pods`;
    if ((set.status?.readyReplicas ?? 0) !== ready) return `status.readyReplicas ${set.status?.readyReplicas ?? 0} != ${ready} ready pods`;
  } else if (s.pods.some((p) => p.metadata?.ownerReferences?.some((r) => r.kind === "StatefulSet"))) {
    return "pods of a deleted StatefulSet";
  }
  for (const pod of s.pods) {
    const why = podInFlight(pod, s, facts);
    if (why) return why;
  }
  for (const pvc of s.pvcs) {
    const why = claimInFlight(pvc, s, facts);
    if (why) return why;
  }
  const claims = new Set(s.pvcs.map((p) => p.metadata?.uid));
  for (const pv of s.pvs) {
    const released = pv.status?.phase === "Released" || (pv.spec?.claimRef?.uid && !claims.has(pv.spec.claimRef.uid));
    if (released && pv.spec?.persistentVolumeReclaimPolicy === "Delete") return `pv of ${pv.spec?.claimRef?.name} to be reclaimed`;
    if (pv.status?.phase !== "Bound" && !released) return `pv of ${pv.spec?.claimRef?.name} binding`;
  }
  return undefined;
}
