import { ownerKeys, writeStatusIfChanged } from "./sync";
import type { V1Pod, V1ReplicaSet, V1ReplicaSetStatus } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { objectKey, splitKey } from "../../../k8s/keys";
import { type RunningController, runController } from "../runtime/controller";
import { recordEvent } from "../runtime/events";
import { isPodReady } from "../../../k8s/status";
import { isRunningAndAvailable } from "../statefulset/podstate";
import { ignoreStale } from "../util";
import { claimPods, isActive, podFromTemplate } from "./pods";

const RS = "replicasets.apps";
const SOURCE = { component: "replicaset-controller" };
/** burstReplicas: at most this many creations or deletions per sync. */
const BURST = 500;

/** getPodsToDelete's ranking: unscheduled, pending, not ready, then the newest first. */
function deletionRank(pod: V1Pod): number[] {
  const created = Date.parse(String(pod.metadata?.creationTimestamp ?? 0)) || 0;
  return [pod.spec?.nodeName ? 1 : 0, pod.status?.phase === "Pending" ? 0 : pod.status?.phase === "Unknown" ? 1 : 2, isPodReady(pod) ? 1 : 0, -created];
}

function byRank(a: V1Pod, b: V1Pod): number {
  const ra = deletionRank(a);
  const rb = deletionRank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  return 0;
}

/** The ReplicaSet's status from its pods (calculateStatus). */
export function replicaSetStatus(ctx: SimContext, rs: V1ReplicaSet, pods: V1Pod[]): V1ReplicaSetStatus {
  const active = pods.filter(isActive);
  const minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
  const labels = rs.spec?.template?.metadata?.labels ?? {};
  const fullyLabeled = active.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata?.labels?.[k] === v));
  return {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isRunningAndAvailable(p, minReadyMs, ctx.clock.now())).length,
    terminatingReplicas: pods.filter((p) => p.metadata?.deletionTimestamp && !["Succeeded", "Failed"].includes(p.status?.phase ?? "")).length,
    observedGeneration: rs.metadata?.generation,
  };
}

/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods named
 * `<replicaset>-<5 chars>`, creating or deleting the difference (events "Created pod: …",
 * "Deleted pod: …"), adopting matching orphans, and writes the status counters.
 */
export function startReplicaSetController(ctx: SimContext): RunningController {
  const { store } = ctx;
  // A pod no ReplicaSet controls may be adopted by any ReplicaSet of its namespace.
  const ownerKey = (pod: V1Pod) => {
    const owner = ownerKeys(pod, "ReplicaSet");
    return owner.length ? owner : store.view(RS, { namespace: pod.metadata?.namespace }).map(objectKey);
  };

  const manageReplicas = (rs: V1ReplicaSet, active: V1Pod[]) => {
    const diff = active.length - (rs.spec?.replicas ?? 0);
    if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, BURST); i++) {
        try {
          const pod = store.create("pods", podFromTemplate({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: rs.metadata! }, rs.spec?.template));
          recordEvent(ctx, rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, SOURCE);
        } catch (err) {
          recordEvent(ctx, rs, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`, SOURCE);
          return;
        }
      }
    } else if (diff > 0) {
      for (const pod of [...active].sort(byRank).slice(0, Math.min(diff, BURST))) {
        ignoreStale(() => store.delete("pods", pod.metadata!.namespace, pod.metadata!.name!));
        recordEvent(ctx, rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata!.name}`, SOURCE);
      }
    }
  };

  return runController(ctx, {
    name: "replicaset-controller",
    watches: [
      { resource: RS, keys: (obj) => [objectKey(obj)] },
      { resource: "pods", keys: (obj) => ownerKey(obj) },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const current = store.tryGet(RS, namespace, name);
      if (!current) return;
      const rs = current;
      const pods = claimPods(ctx, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: rs.metadata! }, rs.spec?.selector);
      if (!rs.metadata?.deletionTimestamp) manageReplicas(rs, pods.filter(isActive));
      const status = replicaSetStatus(ctx, rs, claimPods(ctx, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: rs.metadata! }, rs.spec?.selector));
      const next = { ...rs.status, ...status };
      writeStatusIfChanged(ctx, RS, current, next);
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) return { requeueAfter: minReady * 1000 };
    },
  });
}
