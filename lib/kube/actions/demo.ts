import "server-only";
import type { V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { ActionRecord } from "@/lib/k8s/contract";
import { demoObjects, parallelDemoStatefulSet } from "@/lib/k8s/demo";
import { claimTemplateNames, podOrdinal, pvcOrdinal } from "@/lib/k8s/ordinals";
import { fromKubeError } from "../errors";
import type { PlaygroundRuntime } from "../runtime";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { API_TIMEOUT_MS, runAction, withTimeout } from "./record";

/**
 * The book's demo (lib/k8s/demo.ts): create it when absent, or reset it to the start of the
 * chapter — delete the StatefulSet, force-delete its pods and delete its PVCs, wait until they are
 * gone (a recreated pod must not pick up the old claims while they are still Terminating), then
 * create everything again.
 */
export const RESET_WAIT_MS = 60_000;

async function ignoring<T>(codes: number[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await withTimeout(call(), API_TIMEOUT_MS, "the API call");
  } catch (err) {
    if (codes.includes(fromKubeError(err).status)) return undefined;
    throw err;
  }
}

/** Creates whatever of the demo is missing; returns the names it created. */
async function createMissing(runtime: PlaygroundRuntime): Promise<string[]> {
  const namespace = runtime.namespace;
  const { services, statefulSet } = demoObjects(namespace);
  const created: string[] = [];
  for (const body of services) {
    if (await ignoring([409], () => runtime.core.createNamespacedService({ namespace, body }))) created.push(`service/${body.metadata!.name}`);
  }
  if (await ignoring([409], () => runtime.apps.createNamespacedStatefulSet({ namespace, body: statefulSet }))) {
    created.push(`statefulset.apps/${statefulSet.metadata!.name}`);
  }
  return created;
}

/** The StatefulSet's pods: owned by it, or (orphans) named like its ordinals. */
function podsOf(pods: V1Pod[], namespace: string, sts: string): V1Pod[] {
  return pods.filter(
    (pod) =>
      pod.metadata?.namespace === namespace &&
      (pod.metadata.ownerReferences?.some((o) => o.kind === "StatefulSet" && o.name === sts) || podOrdinal(pod.metadata.name ?? "", sts) !== undefined),
  );
}

function claimsOf(claims: V1PersistentVolumeClaim[], namespace: string, sts: string, templates: string[]): V1PersistentVolumeClaim[] {
  return claims.filter((pvc) => pvc.metadata?.namespace === namespace && templates.some((t) => pvcOrdinal(pvc.metadata?.name ?? "", t, sts) !== undefined));
}

export async function createDemo(runtime: PlaygroundRuntime): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  return runAction(runtime, { action: "create-demo", target: "demo", kubectl: kubectlFor.createDemo(namespace) }, async () => {
    const created = await createMissing(runtime);
    return created.length > 0 ? `created ${created.join(", ")}` : "the demo already exists";
  });
}

export async function resetDemo(runtime: PlaygroundRuntime): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const { statefulSet } = demoObjects(namespace);
  const sts = statefulSet.metadata!.name!;
  const templates = claimTemplateNames(statefulSet);
  return runAction(runtime, { action: "reset-demo", target: "demo", kubectl: kubectlFor.resetDemo(namespace, sts) }, async () => {
    await ignoring([404], () => runtime.apps.deleteNamespacedStatefulSet({ name: sts, namespace, body: { propagationPolicy: "Background" } }));
    for (const pod of podsOf(runtime.hub.list("pods"), namespace, sts)) {
      await ignoring([404], () =>
        runtime.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace, body: { gracePeriodSeconds: 0, propagationPolicy: "Background" } }),
      );
    }
    for (const pvc of claimsOf(runtime.hub.list("persistentvolumeclaims"), namespace, sts, templates)) {
      await ignoring([404], () => runtime.core.deleteNamespacedPersistentVolumeClaim({ name: pvc.metadata!.name!, namespace }));
    }
    const gone = await runtime.hub.waitFor(
      () =>
        !runtime.hub.get("statefulsets", namespace, sts) &&
        podsOf(runtime.hub.list("pods"), namespace, sts).length === 0 &&
        claimsOf(runtime.hub.list("persistentvolumeclaims"), namespace, sts, templates).length === 0,
      RESET_WAIT_MS,
    );
    const created = await createMissing(runtime);
    const note = gone ? "" : " (some old objects were still terminating)";
    return `reset: deleted statefulset ${sts}, its pods and claims; created ${created.join(", ") || "nothing"}${note}`;
  });
}

/** The ordering lesson's Parallel StatefulSet beside the demo (public/kubia-parallel.yaml). */
export async function createParallelDemo(runtime: PlaygroundRuntime): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const body = parallelDemoStatefulSet(namespace);
  return runAction(runtime, { action: "create-parallel", target: `statefulset/${body.metadata!.name}`, kubectl: kubectlFor.createParallelDemo(namespace) }, async () => {
    const created = await ignoring([409], () => runtime.apps.createNamespacedStatefulSet({ namespace, body }));
    return created ? `statefulset.apps/${body.metadata!.name} created` : `statefulset.apps/${body.metadata!.name} unchanged`;
  });
}
