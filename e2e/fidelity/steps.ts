import { PatchStrategy, setHeaderOptions, type V1Node, type V1Pod, type V1StatefulSet } from "@kubernetes/client-node";
import type { ScenarioContext, Step } from "./scenario";
import { isPodReady, type Snapshot } from "./trace";

/**
 * Step builders: each is one user action, written with @kubernetes/client-node exactly as the
 * dashboard or kubectl would issue it, plus the end state the action leads to.
 */

export const SET_NAME = "kubia";
export const DOWN_ANNOTATION = "playground.k8s.io/down";
/** Short, so graceful deletion is observable (Terminating) and still quick on the real cluster. */
export const GRACE_SECONDS = 3;

export const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export interface KubiaOptions {
  replicas: number;
  podManagementPolicy: "OrderedReady" | "Parallel";
  retention?: { whenScaled: "Retain" | "Delete"; whenDeleted: "Retain" | "Delete" };
  ordinalsStart?: number;
  storageClassName?: string;
  updateStrategy?: "RollingUpdate" | "OnDelete";
}

/** The book's kubia StatefulSet (ch. 10) with the scenario's knobs. */
export function kubiaSet(o: KubiaOptions): V1StatefulSet {
  const labels = { app: SET_NAME };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: SET_NAME, labels },
    spec: {
      serviceName: SET_NAME,
      replicas: o.replicas,
      podManagementPolicy: o.podManagementPolicy,
      selector: { matchLabels: labels },
      ...(o.ordinalsStart !== undefined ? { ordinals: { start: o.ordinalsStart } } : {}),
      ...(o.retention ? { persistentVolumeClaimRetentionPolicy: o.retention } : {}),
      ...(o.updateStrategy ? { updateStrategy: { type: o.updateStrategy } } : {}),
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: GRACE_SECONDS,
          containers: [
            {
              name: "kubia",
              image: "luksa/kubia-pet",
              ports: [{ name: "http", containerPort: 8080 }],
              volumeMounts: [{ name: "data", mountPath: "/var/data" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "1Mi" } },
            ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}),
          },
        },
      ],
    },
  };
}

const live = (s: Snapshot) => s.pods.filter((p) => !p.metadata?.deletionTimestamp);
const runningReady = (p: V1Pod) => p.status?.phase === "Running" && isPodReady(p);

/** `replicas` pods, all Running and Ready, none Terminating (the usual end of a scale). */
function settledAt(replicas: number) {
  return (s: Snapshot) => s.pods.length === replicas && live(s).length === replicas && s.pods.every(runningReady);
}

export function createSet(o: KubiaOptions, opts: { expectReady?: boolean; until?: Step["until"] } = {}): Step {
  return {
    name: `create StatefulSet (${o.podManagementPolicy}, replicas ${o.replicas})`,
    ordered: o.podManagementPolicy === "OrderedReady",
    async run(ctx) {
      await ctx.kube.apps.createNamespacedStatefulSet({ namespace: ctx.namespace, body: kubiaSet(o) });
    },
    until: opts.until ?? (opts.expectReady === false ? undefined : settledAt(o.replicas)),
  };
}

export function scale(replicas: number, ordered: boolean, opts: { until?: Step["until"] } = {}): Step {
  return {
    name: `scale to ${replicas}`,
    ordered,
    async run(ctx) {
      // What `kubectl scale` sends: a merge patch of the scale subresource.
      await ctx.kube.apps.patchNamespacedStatefulSetScale({ name: ctx.setName, namespace: ctx.namespace, body: { spec: { replicas } } }, mergePatch);
    },
    until: opts.until ?? settledAt(replicas),
  };
}

/** `kubectl delete pod NAME`: graceful, the pod's own terminationGracePeriodSeconds. */
export function deletePod(name: string, until?: Step["until"]): Step {
  return {
    name: `delete pod ${name}`,
    ordered: true,
    async run(ctx) {
      await ctx.kube.core.deleteNamespacedPod({ name, namespace: ctx.namespace });
    },
    until,
  };
}

/** `kubectl delete pod NAME --force --grace-period=0`. */
export function forceDeletePod(name: string, until?: Step["until"]): Step {
  return {
    name: `force delete pod ${name}`,
    ordered: true,
    async run(ctx) {
      await ctx.kube.core.deleteNamespacedPod({ name, namespace: ctx.namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, propagationPolicy: "Background" } });
    },
    until,
  };
}

export function deleteSet(): Step {
  return {
    name: "delete StatefulSet",
    ordered: false,
    async run(ctx) {
      await ctx.kube.apps.deleteNamespacedStatefulSet({ name: ctx.setName, namespace: ctx.namespace, body: { propagationPolicy: "Background" } });
    },
    until: (s) => !s.statefulSet && s.pods.length === 0,
  };
}

export const nodeReady = (node: V1Node | undefined) => node?.status?.conditions?.find((c) => c.type === "Ready")?.status;

async function setDown(ctx: ScenarioContext, node: string, down: boolean): Promise<void> {
  await ctx.kube.core.patchNode({ name: node, body: { metadata: { annotations: { [DOWN_ANNOTATION]: down ? "true" : null } } } }, mergePatch);
  if (down) ctx.downNodes.add(node);
  else ctx.downNodes.delete(node);
}

/**
 * Fails the node running `podName` through the playground.k8s.io/down annotation (both clusters
 * stop that node's kubelet), and waits until the node lifecycle controller noticed: node Ready not
 * True and the pod not Ready.
 */
export function failNodeOf(podName: string): Step {
  return {
    name: `fail the node of ${podName}`,
    ordered: false,
    async run(ctx) {
      const pod = await ctx.kube.core.readNamespacedPod({ name: podName, namespace: ctx.namespace });
      const node = pod.spec?.nodeName;
      if (!node) throw new Error(`${podName} is not scheduled`);
      ctx.scratch.set("failedNode", node);
      await setDown(ctx, node, true);
    },
    until: (s, ctx) => {
      const pod = s.pods.find((p) => p.metadata?.name === podName);
      const node = ctx.nodes.find((n) => n.metadata?.name === ctx.scratch.get("failedNode"));
      return !!node && nodeReady(node) !== "True" && !!pod && !isPodReady(pod);
    },
    timeoutMs: 90_000,
  };
}

/**
 * Brings the failed nodes back. `awaited`: what the reasons given while the node was down say they
 * wait for (the node Ready again), so their predictions are judged over what follows too.
 */
export function recoverNodes(opts: { awaited?: boolean; ordered?: boolean; until?: Step["until"] } = {}): Step {
  return {
    name: "recover the failed node",
    ordered: opts.ordered ?? false,
    awaited: opts.awaited,
    async run(ctx) {
      const nodes = [...ctx.downNodes];
      ctx.scratch.set("recovered", nodes);
      for (const node of nodes) await setDown(ctx, node, false);
    },
    until: (s, ctx) =>
      (ctx.scratch.get("recovered") as string[]).every((n) => nodeReady(ctx.nodes.find((x) => x.metadata?.name === n)) === "True") &&
      s.pods.every(runningReady) &&
      (!opts.until || opts.until(s, ctx)),
    timeoutMs: 90_000,
  };
}

export const until = {
  settledAt,
  /** The pod is gone (and not recreated). */
  gone: (name: string) => (s: Snapshot) => !s.pods.some((p) => p.metadata?.name === name),
  /** The pod exists and is Terminating. */
  terminating: (name: string) => (s: Snapshot) => s.pods.some((p) => p.metadata?.name === name && !!p.metadata.deletionTimestamp),
  /** A pod of that name, not Terminating, is Running and Ready. */
  replacedAndReady: (name: string) => (s: Snapshot) => s.pods.some((p) => p.metadata?.name === name && !p.metadata.deletionTimestamp && runningReady(p)),
};
