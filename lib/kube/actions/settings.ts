import "server-only";
import { PatchStrategy, setHeaderOptions, type V1StatefulSet } from "@kubernetes/client-node";
import type { ActionRecord } from "@/lib/k8s/contract";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { notFound } from "../errors";
import type { PlaygroundRuntime } from "../runtime";
import { API_TIMEOUT_MS, runAction, withTimeout } from "./record";

export type StatefulSetSettings = { image: string } | { partition: number } | { whenScaled: "Retain" | "Delete" };

/**
 * The merge patch and kubectl command for one lesson change. The image replaces every container's
 * image through the whole containers list, since a JSON merge patch replaces lists — any API
 * server applies it alike, as `kubectl set image` does. A set the watch does not know is a 404.
 */
function patchFor(namespace: string, name: string, sts: V1StatefulSet | undefined, settings: StatefulSetSettings): { body: () => object; kubectl: string; message: string } {
  if ("image" in settings) {
    const containers = sts?.spec?.template?.spec?.containers ?? [];
    return {
      body: () => {
        if (containers.length === 0) throw notFound(`statefulsets.apps "${name}" not found`);
        return { spec: { template: { spec: { containers: containers.map((c) => ({ ...c, image: settings.image })) } } } };
      },
      kubectl: kubectlFor.setImage(namespace, name, containers[0]?.name ?? name, settings.image),
      message: `statefulset.apps/${name} image updated to ${settings.image}`,
    };
  }
  if ("partition" in settings) {
    return {
      body: () => ({ spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: settings.partition } } } }),
      kubectl: kubectlFor.setPartition(namespace, name, settings.partition),
      message: `statefulset.apps/${name} patched (partition ${settings.partition})`,
    };
  }
  return {
    body: () => ({ spec: { persistentVolumeClaimRetentionPolicy: { whenScaled: settings.whenScaled } } }),
    kubectl: kubectlFor.setRetention(namespace, name, settings.whenScaled),
    message: `statefulset.apps/${name} patched (whenScaled: ${settings.whenScaled})`,
  };
}

/** A lesson's change to a StatefulSet (image, partition, retention on scale-down), as a merge patch. */
export async function updateStatefulSetSettings(runtime: PlaygroundRuntime, name: string, settings: StatefulSetSettings): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const patch = patchFor(namespace, name, runtime.hub.get("statefulsets", namespace, name), settings);
  const action = "image" in settings ? "set-image" : "partition" in settings ? "set-partition" : "set-retention";
  return runAction(runtime, { action, target: `statefulset/${name}`, kubectl: patch.kubectl }, async () => {
    await withTimeout(
      runtime.apps.patchNamespacedStatefulSet({ name, namespace, body: patch.body() }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
      API_TIMEOUT_MS,
      "patching the StatefulSet",
    );
    return patch.message;
  });
}
