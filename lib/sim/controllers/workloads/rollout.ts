import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";

/**
 * The arithmetic of a Deployment's rolling update (pkg/controller/deployment/util and rolling.go),
 * pure so it can be tested on its own: how far the new ReplicaSet may grow and the old ones shrink.
 */

export const REVISION = "deployment.kubernetes.io/revision";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const POD_TEMPLATE_HASH = "pod-template-hash";

/** intstr.GetScaledValueFromIntOrPercent: "25%" of `total`, rounded up or down. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(value);
  if (!percent) return Number(value) || 0;
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero means one unavailable. */
export function fenceposts(d: V1Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  const maxSurge = scaledValue(rolling?.maxSurge as number | string | undefined, replicas, true);
  const maxUnavailable = scaledValue(rolling?.maxUnavailable as number | string | undefined, replicas, false);
  return maxSurge === 0 && maxUnavailable === 0 ? { maxSurge, maxUnavailable: 1 } : { maxSurge, maxUnavailable };
}

const specReplicas = (rs: V1ReplicaSet) => rs.spec?.replicas ?? 0;
const sum = (list: V1ReplicaSet[], of: (rs: V1ReplicaSet) => number) => list.reduce((n, rs) => n + of(rs), 0);

/** NewRSNewReplicas: the new ReplicaSet grows while the total stays within replicas + maxSurge. */
export function newReplicaSetTarget(d: V1Deployment, newRs: V1ReplicaSet, all: V1ReplicaSet[]): number {
  const replicas = d.spec?.replicas ?? 0;
  const current = specReplicas(newRs);
  if (current >= replicas) return replicas;
  const maxTotal = replicas + fenceposts(d).maxSurge;
  const total = sum(all, specReplicas);
  if (total >= maxTotal) return current;
  return current + Math.min(maxTotal - total, replicas - current);
}

/**
 * How many old pods may go now (reconcileOldReplicaSets + scaleDownOldReplicaSetsForRollingUpdate):
 * never below replicas − maxUnavailable available pods, counting the new ReplicaSet's unavailable
 * pods against the budget.
 */
export function oldScaleDownBudget(d: V1Deployment, newRs: V1ReplicaSet | undefined, all: V1ReplicaSet[]): number {
  const replicas = d.spec?.replicas ?? 0;
  const minAvailable = replicas - fenceposts(d).maxUnavailable;
  const newUnavailable = newRs ? specReplicas(newRs) - (newRs.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = sum(all, specReplicas) - minAvailable - newUnavailable;
  const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
  return Math.max(0, Math.min(maxScaledDown, available - minAvailable));
}

export const revisionOf = (rs: V1ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0) || 0;
