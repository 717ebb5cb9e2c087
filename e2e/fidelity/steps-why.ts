import { PatchStrategy, setHeaderOptions, type V1Pod } from "@kubernetes/client-node";
import { sleep } from "./kube";
import type { ScenarioContext, Step } from "./scenario";
import { REVISION_LABEL } from "../../lib/k8s/why";
import { mergePatch, SET_NAME, until } from "./steps";
import type { Snapshot } from "./trace";

/**
 * Steps that make the StatefulSet controller wait or act for a reason lib/k8s/why.ts names: a
 * rolling update (image, partition, OnDelete), a ResourceQuota that forbids a pod, a claim held
 * Terminating, a pod whose phase turned Failed. Each is what a user (or kubectl) sends.
 */

/** What `kubectl set image` sends: a strategic merge patch of the container by name. */
const strategicPatch = setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);
const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);

/** A finalizer no controller of either cluster knows: it holds a deleted claim Terminating until the step that removes it. */
const HOLD_FINALIZER = "playground.k8s.io/hold";

const ordinalOf = (p: V1Pod) => Number(p.metadata?.name?.slice(SET_NAME.length + 1));

/**
 * `replicas` pods, Running and Ready, and every ordinal from `partition` up made from the update
 * revision (the rolling update's end state; the lower ones stay at the old revision).
 */
function rolledOut(replicas: number, partition = 0) {
  return (s: Snapshot) => {
    const update = s.statefulSet?.status?.updateRevision;
    if (!update || !until.settledAt(replicas)(s)) return false;
    return s.pods.every((p) => ordinalOf(p) < partition || p.metadata?.labels?.[REVISION_LABEL] === update);
  };
}

/** `kubectl set image statefulset/kubia kubia=IMAGE` (and, when given, the partition in the same patch). */
export function setImage(image: string, opts: { replicas: number; partition?: number; rollsOut?: boolean }): Step {
  const partition = opts.partition;
  return {
    name: `set image ${image}${partition !== undefined ? ` with partition ${partition}` : ""}`,
    ordered: true,
    async run(ctx) {
      const rollingUpdate = partition !== undefined ? { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition } } } : {};
      const body = { spec: { ...rollingUpdate, template: { spec: { containers: [{ name: "kubia", image }] } } } };
      await ctx.kube.apps.patchNamespacedStatefulSet({ name: ctx.setName, namespace: ctx.namespace, body }, strategicPatch);
    },
    // OnDelete: nothing changes; a rolling update ends with the ordinals from the partition up replaced.
    until: opts.rollsOut === false ? until.settledAt(opts.replicas) : rolledOut(opts.replicas, partition ?? 0),
  };
}

/**
 * `kubectl create quota pods --hard=pods=N`, then waits for the quota controller's first count
 * (until then the ResourceQuota admission plugin refuses every pod: "status unknown for quota").
 */
export function createPodQuota(pods: number): Step {
  return {
    name: `create ResourceQuota pods=${pods}`,
    ordered: false,
    async run(ctx) {
      const namespace = ctx.namespace;
      await ctx.kube.core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: "pods" }, spec: { hard: { pods: String(pods) } } } });
      const deadline = Date.now() + 30_000;
      while ((await ctx.kube.core.readNamespacedResourceQuota({ name: "pods", namespace })).status?.hard?.pods === undefined) {
        if (Date.now() > deadline) throw new Error("the quota controller did not count the ResourceQuota in 30 s");
        await sleep(100);
      }
    },
  };
}

/**
 * Adds HOLD_FINALIZER to a claim and deletes it (`kubectl delete pvc NAME`): the claim goes
 * Terminating and stays so (pvc-protection while a pod uses it, then HOLD_FINALIZER).
 */
export function deleteHeldClaim(name: string): Step {
  return {
    name: `delete PVC ${name} (held by a finalizer)`,
    ordered: true,
    async run(ctx) {
      const claim = await ctx.kube.core.readNamespacedPersistentVolumeClaim({ name, namespace: ctx.namespace });
      const finalizers = [...(claim.metadata?.finalizers ?? []), HOLD_FINALIZER];
      await ctx.kube.core.patchNamespacedPersistentVolumeClaim({ name, namespace: ctx.namespace, body: { metadata: { finalizers } } }, mergePatch);
      await ctx.kube.core.deleteNamespacedPersistentVolumeClaim({ name, namespace: ctx.namespace });
    },
    until: (s) => !!s.pvcs.find((c) => c.metadata?.name === name)?.metadata?.deletionTimestamp,
  };
}

/** Removes HOLD_FINALIZER (what the claim's pod waits for: the claim gone). `awaited` by the reasons given meanwhile. */
export function releaseHeldClaim(name: string, replicas: number): Step {
  return {
    name: `remove the finalizer of PVC ${name}`,
    ordered: true,
    awaited: true,
    async run(ctx) {
      const claim = await ctx.kube.core.readNamespacedPersistentVolumeClaim({ name, namespace: ctx.namespace });
      const at = (claim.metadata?.finalizers ?? []).indexOf(HOLD_FINALIZER);
      if (at < 0) throw new Error(`${name} has no ${HOLD_FINALIZER} finalizer`);
      const body = [
        { op: "test", path: `/metadata/finalizers/${at}`, value: HOLD_FINALIZER },
        { op: "remove", path: `/metadata/finalizers/${at}` },
      ];
      await ctx.kube.core.patchNamespacedPersistentVolumeClaim({ name, namespace: ctx.namespace, body }, jsonPatch);
    },
    until: (s) => until.settledAt(replicas)(s) && s.pvcs.some((c) => c.metadata?.name === name && !c.metadata.deletionTimestamp && c.status?.phase === "Bound"),
  };
}

/**
 * Writes phase Failed to a pod's status, as a kubelet does when it evicts a pod or rejects it
 * (the status subresource, `kubectl patch pod NAME --subresource=status`): KWOK runs no containers,
 * so nothing else makes a pod of a StatefulSet (restartPolicy Always) finish on the real side.
 */
export function failPod(name: string, replicas: number): Step {
  return {
    name: `set the phase of pod ${name} to Failed`,
    ordered: true,
    async run(ctx: ScenarioContext) {
      const pod = await ctx.kube.core.readNamespacedPod({ name, namespace: ctx.namespace });
      ctx.scratch.set(`failed ${name}`, pod.metadata?.uid);
      const body = { status: { phase: "Failed", reason: "Evicted", message: "The fidelity suite marked this pod Failed." } };
      await ctx.kube.core.patchNamespacedPodStatus({ name, namespace: ctx.namespace, body }, mergePatch);
    },
    // Replaced by a new pod of the same name, Running and Ready.
    until: (s, ctx) => until.settledAt(replicas)(s) && s.pods.some((p) => p.metadata?.name === name && p.metadata.uid !== ctx.scratch.get(`failed ${name}`)),
  };
}
