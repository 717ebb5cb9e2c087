import type { V1Node, V1Pod, V1PodCondition } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import type { StoredObject } from "../store/store";
import { objectKey, type RunningController, runController, splitKey } from "./runtime/controller";
import { recordEvent } from "./runtime/events";
import { findNodeForPod } from "./scheduler-fit";
import { asPod, canonicalJson, isPodTerminal, nowTime, podClaimNames, stored } from "./util";

export const SCHEDULER_NAME = "default-scheduler";
/** kube-scheduler's podInitialBackoffSeconds / podMaxBackoffSeconds. */
const INITIAL_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration: unschedulable pods are retried at least this often. */
const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;

const SOURCE = { component: SCHEDULER_NAME };

function isPending(pod: V1Pod): boolean {
  return (
    !pod.spec?.nodeName &&
    (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
    !pod.metadata?.deletionTimestamp &&
    !isPodTerminal(pod)
  );
}

/** What of a node can change a scheduling decision (heartbeats and status updates cannot). */
function nodeSignature(node: V1Node): string {
  return canonicalJson([node.spec?.taints ?? [], !!node.spec?.unschedulable, node.metadata?.labels ?? {}]);
}

function setPodScheduled(pod: V1Pod, condition: V1PodCondition): V1PodCondition[] {
  const others = (pod.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled");
  const existing = pod.status?.conditions?.findIndex((c) => c.type === "PodScheduled") ?? -1;
  if (existing < 0) return [...others, condition];
  const list = [...(pod.status?.conditions ?? [])];
  list[existing] = condition;
  return list;
}

/**
 * The default scheduler: binds pending pods (schedulerName default-scheduler, no nodeName) to a
 * feasible node, spreading them (fewest pods first), and reports FailedScheduling with
 * kube-scheduler's wording otherwise. Failed pods are retried with its back-off (1 s doubling
 * to 10 s, scaled) as soon as a relevant claim or node changes, and every 5 minutes regardless.
 */
export function startScheduler(ctx: SimContext): RunningController {
  const store = ctx.store;
  const failures = new Map<string, { uid: string; count: number; lastFailure: number }>();
  const nodeSignatures = new Map<string, string>();

  const pendingKeys = (filter: (pod: V1Pod) => boolean = () => true) =>
    store.list("pods").items.filter((o) => isPending(asPod(o)) && filter(asPod(o))).map(objectKey);

  const bind = (obj: StoredObject, nodeName: string) => {
    const pod = asPod(obj);
    const next = structuredClone(pod);
    next.spec!.nodeName = nodeName;
    const condition = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: nowTime(ctx) } as unknown as V1PodCondition;
    next.status = { ...(next.status ?? {}), conditions: setPodScheduled(pod, condition) };
    // One write, like the pods/binding subresource: nodeName and the condition together.
    const bound = store.update("pods", stored(next), { keepStatus: false });
    recordEvent(ctx, bound, "Normal", "Scheduled", `Successfully assigned ${pod.metadata!.namespace}/${pod.metadata!.name} to ${nodeName}`, SOURCE);
  };

  const reportFailure = (obj: StoredObject, message: string) => {
    const pod = asPod(obj);
    const previous = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    const condition = {
      type: "PodScheduled",
      status: "False",
      lastProbeTime: null,
      lastTransitionTime: previous?.status === "False" ? previous.lastTransitionTime : nowTime(ctx),
      reason: "Unschedulable",
      message,
    } as unknown as V1PodCondition;
    let current = obj;
    if (canonicalJson(previous) !== canonicalJson(condition)) {
      const next = structuredClone(pod);
      next.status = { ...(next.status ?? {}), conditions: setPodScheduled(pod, condition) };
      current = store.update("pods", stored(next), { subresource: "status" });
    }
    recordEvent(ctx, current, "Warning", "FailedScheduling", message, SOURCE);
  };

  const controller = runController(ctx, {
    name: "scheduler",
    watches: [
      {
        resource: "pods",
        keys: (obj, type) => {
          if (type === "DELETED") failures.delete(objectKey(obj));
          return type !== "DELETED" && isPending(asPod(obj)) ? [objectKey(obj)] : [];
        },
      },
      {
        resource: "nodes",
        keys: (obj, type) => {
          const name = obj.metadata.name!;
          if (type === "DELETED") {
            nodeSignatures.delete(name);
            return [];
          }
          const sig = nodeSignature(obj as unknown as V1Node);
          if (nodeSignatures.get(name) === sig) return [];
          nodeSignatures.set(name, sig);
          return pendingKeys();
        },
      },
      {
        resource: "persistentvolumeclaims",
        keys: (obj) => pendingKeys((p) => p.metadata?.namespace === obj.metadata.namespace && podClaimNames(p).includes(obj.metadata.name!)),
      },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const obj = store.tryGet("pods", namespace, name);
      if (!obj || !isPending(asPod(obj))) {
        failures.delete(key);
        return;
      }
      const now = ctx.clock.now();
      const state = failures.get(key)?.uid === obj.metadata.uid ? failures.get(key) : undefined;
      if (state) {
        const readyAt = state.lastFailure + Math.min(INITIAL_BACKOFF_MS * 2 ** (state.count - 1), MAX_BACKOFF_MS);
        if (now < readyAt) return { requeueAfter: readyAt - now };
      }
      const result = findNodeForPod(store, asPod(obj));
      if ("node" in result) {
        failures.delete(key);
        bind(obj, result.node);
        return;
      }
      failures.set(key, { uid: obj.metadata.uid!, count: (state?.count ?? 0) + 1, lastFailure: now });
      reportFailure(obj, result.message);
      return { requeueAfter: UNSCHEDULABLE_RETRY_MS };
    },
  });
  return controller;
}
