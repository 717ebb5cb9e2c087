import "server-only";
import { PatchStrategy, setHeaderOptions, type V1Scale } from "@kubernetes/client-node";
import type { ActionRecord } from "@/lib/k8s/contract";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { API_TIMEOUT_MS, runAction, withTimeout } from "./record";
import type { PlaygroundRuntime } from "../runtime";

/** Scale through the `scale` subresource with a merge patch, exactly what `kubectl scale` sends. */
export async function scaleStatefulSet(runtime: PlaygroundRuntime, name: string, replicas: number): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const before = runtime.hub.get("statefulsets", namespace, name)?.spec?.replicas;
  return runAction(runtime, { action: "scale", target: `statefulset/${name}`, kubectl: kubectlFor.scale(namespace, name, replicas) }, async () => {
    const scale: V1Scale = await withTimeout(
      runtime.apps.patchNamespacedStatefulSetScale(
        { name, namespace, body: { spec: { replicas } } },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
      API_TIMEOUT_MS,
      "scaling",
    );
    const now = scale.spec?.replicas ?? replicas;
    return before !== undefined && before !== now ? `statefulset.apps/${name} scaled from ${before} to ${now}` : `statefulset.apps/${name} scaled to ${now}`;
  });
}

export interface DeletePodOptions {
  force?: boolean;
  gracePeriodSeconds?: number;
  /** Delete only this incarnation of the pod (a precondition): never its replacement. */
  uid?: string;
}

/**
 * Graceful delete (the pod turns Terminating until its kubelet confirms), or force: grace period 0
 * with background propagation, as `kubectl delete --force --grace-period=0` sends — the object goes
 * at once, even when its node is down and nothing will ever confirm.
 */
export async function deletePod(runtime: PlaygroundRuntime, name: string, options: DeletePodOptions): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const force = options.force === true;
  const gracePeriodSeconds = force ? 0 : options.gracePeriodSeconds;
  return runAction(
    runtime,
    {
      action: force ? "force-delete-pod" : "delete-pod",
      target: `pod/${name}`,
      kubectl: kubectlFor.deletePod(namespace, name, { force, gracePeriodSeconds }),
    },
    async () => {
      await withTimeout(
        runtime.core.deleteNamespacedPod({
          name,
          namespace,
          body: { gracePeriodSeconds, propagationPolicy: "Background", ...(options.uid ? { preconditions: { uid: options.uid } } : {}) },
        }),
        API_TIMEOUT_MS,
        "deleting the pod",
      );
      return force
        ? `pod "${name}" force deleted (immediate deletion does not wait for confirmation that the running resource has been terminated)`
        : `pod "${name}" deleted`;
    },
  );
}

/** Delete a PVC. While a pod still mounts it, the pvc-protection finalizer keeps it Terminating. */
export async function deletePvc(runtime: PlaygroundRuntime, name: string): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const users = runtime.hub
    .list("pods")
    .filter((pod) => pod.metadata?.namespace === namespace && pod.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === name))
    .map((pod) => pod.metadata?.name);
  return runAction(
    runtime,
    { action: "delete-pvc", target: `persistentvolumeclaim/${name}`, kubectl: kubectlFor.deletePvc(namespace, name) },
    async () => {
      await withTimeout(
        runtime.core.deleteNamespacedPersistentVolumeClaim({ name, namespace, body: { propagationPolicy: "Background" } }),
        API_TIMEOUT_MS,
        "deleting the PVC",
      );
      return users.length > 0
        ? `persistentvolumeclaim "${name}" deleted; it stays Terminating while pod ${users.join(", ")} uses it`
        : `persistentvolumeclaim "${name}" deleted`;
    },
  );
}
