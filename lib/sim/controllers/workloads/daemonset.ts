import { ownerKeys, writeStatusIfChanged } from "./sync";
import type { V1DaemonSet, V1DaemonSetStatus, V1Node, V1Pod, V1Toleration } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { matchesRequiredNodeAffinity } from "../nodeaffinity";
import { objectKey, splitKey } from "../../../k8s/keys";
import { type RunningController, runController } from "../runtime/controller";
import { recordEvent } from "../runtime/events";
import { isPodReady } from "../../../k8s/status";
import { isRunningAndAvailable } from "../statefulset/podstate";
import { hashRevision } from "../statefulset/revisions";
import { ignoreStale, untoleratedTaint } from "../util";
import { claimPods, isActive, podFromTemplate } from "./pods";

const DS = "daemonsets.apps";
const SOURCE = { component: "daemonset-controller" };
const REVISION_LABEL = "controller-revision-hash";
const revisionHash = (ds: V1DaemonSet) => hashRevision(ds.spec?.template, ds.status?.collisionCount ?? 0);

/** AddOrUpdateDaemonPodTolerations: daemon pods survive the node conditions other pods are evicted for. */
const DAEMON_TOLERATIONS: V1Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

/** The daemon pod of `node`: the template, node affinity on the node's name, the daemon tolerations. */
function daemonPod(ds: V1DaemonSet, node: string): V1Pod {
  const labels = { [REVISION_LABEL]: revisionHash(ds) };
  const pod = podFromTemplate({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: ds.metadata! }, ds.spec?.template, { labels });
  const spec = pod.spec!;
  const term = { matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] };
  spec.affinity = { ...spec.affinity, nodeAffinity: { ...spec.affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
  const own = spec.tolerations ?? [];
  spec.tolerations = [...own, ...DAEMON_TOLERATIONS.filter((t) => !own.some((o) => o.key === t.key && o.effect === t.effect))];
  return pod;
}

const nodeOf = (pod: V1Pod) => pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? pod.spec?.nodeName;

/** NodeShouldRunDaemonPod: the template's node selector and affinity admit the node, its NoSchedule/NoExecute taints are tolerated. */
function shouldRun(ds: V1DaemonSet, node: V1Node): boolean {
  const probe = daemonPod(ds, node.metadata!.name!);
  const labels = node.metadata?.labels ?? {};
  const selector = probe.spec?.nodeSelector ?? {};
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return false;
  if (!matchesRequiredNodeAffinity(probe, node)) return false;
  return !untoleratedTaint(node.spec?.taints?.filter((t) => t.effect !== "PreferNoSchedule"), probe.spec?.tolerations);
}

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per node that should run it, placed by
 * the scheduler through node affinity on the node's name, surplus pods deleted, and the status
 * counters `kubectl get ds` prints. Pods carry the template's controller-revision-hash; a rolling
 * update replaces those of an old template one node at a time (maxUnavailable 1) while the rest are
 * available; OnDelete leaves them until they are deleted.
 */
export function startDaemonSetController(ctx: SimContext): RunningController {
  const { store } = ctx;

  /** RollingUpdate with maxUnavailable 1: while every daemon pod is available, replace one of an old template. */
  const rollOne = (ds: V1DaemonSet, placed: V1Pod[], desired: number) => {
    if (ds.metadata?.deletionTimestamp || ds.spec?.updateStrategy?.type === "OnDelete") return;
    const minReadyMs = (ds.spec?.minReadySeconds ?? 0) * 1000;
    const available = placed.filter((p) => isRunningAndAvailable(p, minReadyMs, ctx.clock.now())).length;
    const stale = placed.find((p) => p.metadata?.labels?.[REVISION_LABEL] !== revisionHash(ds));
    if (!stale || available < desired) return;
    ignoreStale(() => store.delete("pods", stale.metadata!.namespace, stale.metadata!.name!));
    recordEvent(ctx, ds, "Normal", "SuccessfulDelete", `Deleted pod: ${stale.metadata!.name}`, SOURCE);
  };

  return runController(ctx, {
    name: "daemonset-controller",
    watches: [
      { resource: DS, keys: (obj) => [objectKey(obj)] },
      { resource: "nodes", keys: () => store.list(DS).items.map(objectKey) },
      { resource: "pods", keys: (obj) => ownerKeys(obj, "DaemonSet") },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const current = store.tryGet(DS, namespace, name);
      if (!current) return;
      const ds = current;
      const nodes = store.list("nodes").items;
      const pods = claimPods(ctx, { apiVersion: "apps/v1", kind: "DaemonSet", metadata: ds.metadata! }, ds.spec?.selector).filter(isActive);
      const wanted = nodes.filter((n) => shouldRun(ds, n)).map((n) => n.metadata!.name!);
      if (!ds.metadata?.deletionTimestamp) {
        for (const node of wanted) {
          if (pods.some((p) => nodeOf(p) === node)) continue;
          try {
            const pod = store.create("pods", daemonPod(ds, node));
            recordEvent(ctx, current, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, SOURCE);
          } catch (err) {
            recordEvent(ctx, current, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`, SOURCE);
          }
        }
        for (const pod of pods.filter((p) => !wanted.includes(nodeOf(p) ?? ""))) {
          ignoreStale(() => store.delete("pods", pod.metadata!.namespace, pod.metadata!.name!));
          recordEvent(ctx, current, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata!.name}`, SOURCE);
        }
      }
      const placed = pods.filter((p) => wanted.includes(nodeOf(p) ?? ""));
      rollOne(ds, placed, wanted.length);
      const minReadyMs = (ds.spec?.minReadySeconds ?? 0) * 1000;
      const status: V1DaemonSetStatus = {
        ...ds.status,
        desiredNumberScheduled: wanted.length,
        currentNumberScheduled: placed.length,
        numberMisscheduled: pods.length - placed.length,
        numberReady: placed.filter(isPodReady).length,
        numberAvailable: placed.filter((p) => isRunningAndAvailable(p, minReadyMs, ctx.clock.now())).length,
        updatedNumberScheduled: placed.filter((p) => p.metadata?.labels?.[REVISION_LABEL] === revisionHash(ds)).length,
        observedGeneration: ds.metadata?.generation,
      };
      status.numberUnavailable = Math.max(0, wanted.length - (status.numberAvailable ?? 0)) || undefined;
      writeStatusIfChanged(ctx, DS, current, status);
    },
  });
}
