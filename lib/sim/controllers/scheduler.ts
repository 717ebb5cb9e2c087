import { NULL_TIME } from "../../k8s/time";
import type { Stored } from "../store/types";
import type { V1Node, V1Pod, V1PodCondition } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { type RunningController, runController } from "./runtime/controller";
import { objectKey, splitKey } from "../../k8s/keys";
import { recordEvent } from "./runtime/events";
import { findNodeForPod } from "./scheduler-fit";
import { NodeUsageCache } from "./scheduler-resources";
import { canonicalJson, isPodTerminal, nowTime, podClaimNames } from "./util";
import { deepCopy } from "../store/copy";

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
  // The scheduler cache: nodes, pending pods and per-node usage, kept from the watches.
  const nodes = new Map<string, V1Node>();
  const pending = new Map<string, V1Pod>();
  const usage = new NodeUsageCache();

  const pendingKeys = () => [...pending.keys()];
  /** Pending pods by the claims they wait for (`namespace/claim`): a claim's change retries only its own pods. */
  const waitingFor = new Map<string, Set<string>>();
  const claimKeys = (pod: V1Pod) => podClaimNames(pod).map((claim) => `${pod.metadata?.namespace}/${claim}`);
  const setPending = (key: string, pod: V1Pod | undefined) => {
    const before = pending.get(key);
    if (before) {
      for (const claim of claimKeys(before)) {
        const pods = waitingFor.get(claim);
        pods?.delete(key);
        if (pods?.size === 0) waitingFor.delete(claim);
      }
    }
    if (!pod) return void pending.delete(key);
    pending.set(key, pod);
    for (const claim of claimKeys(pod)) {
      if (!waitingFor.has(claim)) waitingFor.set(claim, new Set());
      waitingFor.get(claim)!.add(key);
    }
  };

  const bind = (pod: Stored<"pods">, nodeName: string) => {
    const next = deepCopy(pod);
    next.spec!.nodeName = nodeName;
    const condition: V1PodCondition = { type: "PodScheduled", status: "True", lastProbeTime: NULL_TIME, lastTransitionTime: nowTime(ctx) };
    next.status = { ...(next.status ?? {}), conditions: setPodScheduled(pod, condition) };
    // One write, like the pods/binding subresource: nodeName and the condition together.
    const bound = store.update("pods", next, { keepStatus: false });
    recordEvent(ctx, bound, "Normal", "Scheduled", `Successfully assigned ${pod.metadata!.namespace}/${pod.metadata!.name} to ${nodeName}`, SOURCE);
  };

  const reportFailure = (pod: Stored<"pods">, message: string) => {
    const previous = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    const condition: V1PodCondition = {
      type: "PodScheduled",
      status: "False",
      lastProbeTime: NULL_TIME,
      lastTransitionTime: previous?.status === "False" ? previous.lastTransitionTime : nowTime(ctx),
      reason: "Unschedulable",
      message,
    };
    let current = pod;
    if (canonicalJson(previous) !== canonicalJson(condition)) {
      const next = deepCopy(pod);
      next.status = { ...(next.status ?? {}), conditions: setPodScheduled(pod, condition) };
      current = store.update("pods", next, { subresource: "status" });
    }
    recordEvent(ctx, current, "Warning", "FailedScheduling", message, SOURCE);
  };

  const controller = runController(ctx, {
    name: "scheduler",
    watches: [
      {
        resource: "pods",
        keys: (obj, type) => {
          const key = objectKey(obj);
          const pod = type === "DELETED" ? undefined : obj;
          const freed = usage.observe(key, pod);
          if (type === "DELETED") failures.delete(key);
          setPending(key, pod && isPending(pod) ? pod : undefined);
          // A pod leaving its node makes room (the queue's AssignedPodDelete event): retry the failed ones.
          const retry = freed ? [...failures.keys()].filter((k) => pending.has(k)) : [];
          return pod && isPending(pod) ? [key, ...retry] : retry;
        },
      },
      {
        resource: "nodes",
        keys: (obj, type) => {
          const name = obj.metadata.name!;
          if (type === "DELETED") {
            nodeSignatures.delete(name);
            nodes.delete(name);
            return [];
          }
          const before = nodes.get(name);
          nodes.set(name, obj);
          // More allocatable can make room: retry as for a new node.
          if (before && canonicalJson(before.status?.allocatable) !== canonicalJson(obj.status?.allocatable)) nodeSignatures.delete(name);
          const sig = nodeSignature(obj);
          if (nodeSignatures.get(name) === sig) return [];
          nodeSignatures.set(name, sig);
          return pendingKeys();
        },
      },
      {
        resource: "persistentvolumeclaims",
        keys: (obj) => [...(waitingFor.get(objectKey(obj)) ?? [])],
      },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const obj = store.tryGet("pods", namespace, name);
      if (!obj || !isPending(obj)) {
        failures.delete(key);
        return;
      }
      const now = ctx.clock.now();
      const state = failures.get(key)?.uid === obj.metadata.uid ? failures.get(key) : undefined;
      if (state) {
        const readyAt = state.lastFailure + Math.min(INITIAL_BACKOFF_MS * 2 ** (state.count - 1), MAX_BACKOFF_MS);
        if (now < readyAt) return { requeueAfter: readyAt - now };
      }
      const result = findNodeForPod(store, obj, [...nodes.values()], usage);
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
