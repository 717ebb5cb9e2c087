import { NULL_TIME } from "../../k8s/time";
import type { V1Node, V1PodCondition, V1Taint, V1Toleration } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { type RunningController, runController } from "./runtime/controller";
import { objectKey, splitKey } from "../../k8s/keys";
import type { StoredObject } from "../store/store";
import { recordEvent } from "./runtime/events";
import { canonicalJson, ignoreStale, isPodTerminal, nowTime, toleratesTaint } from "./util";

const SOURCE = { component: "taint-eviction-controller" };

function noExecuteTaints(node: V1Node | undefined): V1Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === "NoExecute");
}

/**
 * How long the pod may stay (ms, unscaled): 0 = evict now, -1 = forever. getMinTolerationTime over
 * the tolerations matching the taints; an untolerated taint means now.
 */
export function tolerationTimeMs(taints: V1Taint[], tolerations: V1Toleration[] | undefined): number {
  const used = new Set<V1Toleration>();
  for (const taint of taints) {
    const matching = (tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return 0;
    matching.forEach((t) => used.add(t));
  }
  let min = Number.POSITIVE_INFINITY;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds * 1000);
  }
  return min === Number.POSITIVE_INFINITY ? -1 : min;
}

/**
 * The taint eviction controller (NoExecuteTaintManager): a pod on a node with NoExecute taints is
 * deleted once the shortest matching toleration runs out — counted from when the controller first
 * saw the taint — with event `TaintManagerEviction` and the `DisruptionTarget` condition. Taints
 * that go away in time cancel the deletion ("Cancelling deletion of Pod …").
 */
export function startTaintEviction(ctx: SimContext): RunningController {
  const store = ctx.store;
  const scheduled = new Map<string, { uid: string; createdAt: number }>();
  const nodeTaints = new Map<string, string>();
  const podsOn = (node: string) => store.list("pods", { fieldSelector: `spec.nodeName=${node}` }).items.map(objectKey);

  /**
   * What the real controller records its events against: an ObjectReference with kind, name and
   * namespace only (no uid), so they are recorded even for a pod that is already gone.
   */
  const podRef = (key: string): StoredObject => {
    const { namespace, name } = splitKey(key);
    return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace } };
  };

  const cancel = (key: string, withEvent: boolean) => {
    const work = scheduled.get(key);
    if (!work) return;
    scheduled.delete(key);
    if (withEvent) recordEvent(ctx, podRef(key), "Normal", "TaintManagerEviction", `Cancelling deletion of Pod ${key}`, SOURCE);
  };

  const evict = (key: string) => {
    scheduled.delete(key);
    const { namespace, name } = splitKey(key);
    const pod = store.tryGet("pods", namespace, name);
    if (!pod) return;
    recordEvent(ctx, podRef(key), "Normal", "TaintManagerEviction", `Marking for deletion Pod ${key}`, SOURCE);
    if (!pod.status?.conditions?.some((c) => c.type === "DisruptionTarget" && c.status === "True")) {
      const condition: V1PodCondition = { type: "DisruptionTarget", status: "True", lastProbeTime: NULL_TIME, lastTransitionTime: nowTime(ctx), reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" };
      const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== "DisruptionTarget"), condition];
      ignoreStale(() => store.update("pods", { ...pod, status: { ...(pod.status ?? {}), conditions } }, { subresource: "status" }));
    }
    ignoreStale(() => store.delete("pods", namespace, name));
  };

  return runController(ctx, {
    name: "taint-eviction-controller",
    watches: [
      {
        resource: "nodes",
        keys: (obj, type) => {
          const name = obj.metadata.name!;
          const sig = type === "DELETED" ? "" : canonicalJson(noExecuteTaints(obj));
          if (nodeTaints.get(name) === sig) return [];
          nodeTaints.set(name, sig);
          return podsOn(name);
        },
      },
      { resource: "pods", keys: (obj, type) => (type === "DELETED" || obj.spec?.nodeName ? [objectKey(obj)] : []) },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      // Woken by every change of every scheduled pod: read without copying.
      const pod = store.peek("pods", namespace, name);
      // A deleted pod's scheduled eviction is cancelled with an event (handlePodUpdate, NotFound);
      // so is one of an earlier pod of that name (a force delete and the StatefulSet's new pod).
      // A Terminating pod keeps it: pod updates that change neither node nor tolerations are
      // ignored (PodUpdated), and the eviction, when due, still deletes it and says so.
      if (!pod) return cancel(key, true);
      if (scheduled.get(key) && scheduled.get(key)!.uid !== pod.metadata!.uid) cancel(key, true);
      if (!pod.spec?.nodeName || isPodTerminal(pod)) {
        scheduled.delete(key); // finished: nothing left to do
        return;
      }
      // No new eviction for a pod already going (it was deleted, or evicted once).
      if (pod.metadata?.deletionTimestamp && !scheduled.has(key)) return;
      const taints = noExecuteTaints(store.peek("nodes", undefined, pod.spec.nodeName));
      if (taints.length === 0) return cancel(key, true);
      const allowed = tolerationTimeMs(taints, pod.spec.tolerations);
      if (allowed < 0) return cancel(key, true);
      const now = ctx.clock.now();
      const createdAt = scheduled.get(key)?.createdAt ?? now;
      scheduled.set(key, { uid: pod.metadata!.uid!, createdAt });
      const fireAt = createdAt + allowed;
      if (now >= fireAt) return evict(key);
      return { requeueAfter: fireAt - now };
    },
  });
}
