import type { V1Pod, V1StatefulSet, V1StatefulSetStatus } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { getPodRevision } from "./identity";
import { isCreated, isRunningAndAvailable, isRunningAndReady } from "./podstate";
import { isTerminating } from "../../../k8s/status";

/**
 * Status of a StatefulSet as computeReplicaStatus / updateStatefulSetStatus write it. Note what
 * counts: `replicas` counts every created pod, Terminating ones included; `readyReplicas` every
 * Running+Ready pod (a Terminating pod may still be Ready); current/updated skip Terminating pods.
 */

export interface StatusInputs {
  minReadyMs: number;
  now: number;
  currentRevision: string;
  updateRevision: string;
}

export function computeReplicaStatus(status: V1StatefulSetStatus, inputs: StatusInputs, ...podLists: (V1Pod | undefined)[][]): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const pods of podLists) {
    for (const pod of pods) {
      if (!pod) continue;
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, inputs.minReadyMs, inputs.now)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const revision = getPodRevision(pod);
        if (revision === inputs.currentRevision) status.currentReplicas++;
        if (revision === inputs.updateRevision) status.updatedReplicas++;
      }
    }
  }
}

/** completeRollingUpdate: once every replica runs the update revision, it becomes the current one. */
export function completeRollingUpdate(set: V1StatefulSet, status: V1StatefulSetStatus): void {
  const replicas = set.spec?.replicas ?? 1;
  if (
    set.spec?.updateStrategy?.type === "RollingUpdate" &&
    status.updatedReplicas === replicas &&
    status.readyReplicas === replicas &&
    status.replicas === replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

function inconsistentStatus(set: V1StatefulSet, status: V1StatefulSetStatus): boolean {
  const old = set.status ?? ({ replicas: 0 } as V1StatefulSetStatus);
  return (
    old.observedGeneration === undefined ||
    (status.observedGeneration ?? 0) > old.observedGeneration ||
    status.replicas !== (old.replicas ?? 0) ||
    status.currentReplicas !== (old.currentReplicas ?? 0) ||
    status.readyReplicas !== (old.readyReplicas ?? 0) ||
    status.updatedReplicas !== (old.updatedReplicas ?? 0) ||
    status.currentRevision !== old.currentRevision ||
    status.availableReplicas !== (old.availableReplicas ?? 0) ||
    status.updateRevision !== old.updateRevision
  );
}

/** Writes the status through the status subresource when it changed (after completing a rollout). */
export function updateStatefulSetStatus(ctx: SimContext, set: V1StatefulSet, status: V1StatefulSetStatus): void {
  completeRollingUpdate(set, status);
  if (!inconsistentStatus(set, status)) return;
  const latest = ctx.store.tryGet("statefulsets.apps", set.metadata!.namespace, set.metadata!.name!);
  if (!latest || latest.metadata.uid !== set.metadata!.uid) return; // deleted meanwhile: nothing to report on
  ctx.store.update("statefulsets.apps", { ...latest, status: wireStatus(status) }, { subresource: "status" });
}

/** The status as the API serves it: Go's `omitempty` drops zero counts and empty revisions. */
function wireStatus(status: V1StatefulSetStatus): V1StatefulSetStatus {
  const out = { ...status };
  for (const k of ["readyReplicas", "currentReplicas", "updatedReplicas", "currentRevision", "updateRevision"] as const) {
    if (!out[k]) delete out[k];
  }
  return out;
}
