import "server-only";
import { PatchStrategy, setHeaderOptions, type V1Container, type V1StatefulSet } from "@kubernetes/client-node";
import type { ActionRecord, StatefulSetSettings } from "@/lib/k8s/contract";
import { readinessProbeFor } from "@/lib/k8s/readiness";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { notFound } from "../errors";
import type { PlaygroundRuntime } from "../runtime";
import { API_TIMEOUT_MS, runAction, withTimeout } from "./record";

type Patch = { body: () => object; kubectl: string; message: string };

/**
 * A change to every container of the template, through the whole containers list, since a JSON
 * merge patch replaces lists — any API server applies it alike, as kubectl's strategic merge patch
 * (which merges them by name) does. A set the watch does not know is a 404.
 */
function containersPatch(name: string, sts: V1StatefulSet | undefined, change: (c: V1Container) => V1Container): Patch["body"] {
  const containers = sts?.spec?.template?.spec?.containers ?? [];
  return () => {
    if (containers.length === 0) throw notFound(`statefulsets.apps "${name}" not found`);
    return { spec: { template: { spec: { containers: containers.map(change) } } } };
  };
}

/** The merge patch and kubectl command for one lesson change. */
function patchFor(namespace: string, name: string, sts: V1StatefulSet | undefined, settings: StatefulSetSettings): Patch {
  const container = sts?.spec?.template?.spec?.containers?.[0]?.name ?? name;
  if ("image" in settings) {
    return {
      body: containersPatch(name, sts, (c) => ({ ...c, image: settings.image })),
      kubectl: kubectlFor.setImage(namespace, name, container, settings.image),
      message: `statefulset.apps/${name} image updated to ${settings.image}`,
    };
  }
  if ("readinessProbe" in settings) {
    const probe = readinessProbeFor(settings.readinessProbe);
    return {
      // Without the key the merge patch's list carries no probe: the containers lose it.
      body: containersPatch(name, sts, (c) => {
        const next = { ...c, readinessProbe: probe };
        if (!probe) delete next.readinessProbe;
        return next;
      }),
      kubectl: kubectlFor.setReadinessProbe(namespace, name, container, probe),
      message: `statefulset.apps/${name} patched (readiness probe: ${settings.readinessProbe})`,
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

/** A lesson's change to a StatefulSet (image, partition, retention on scale-down, readiness probe), as a merge patch. */
export async function updateStatefulSetSettings(runtime: PlaygroundRuntime, name: string, settings: StatefulSetSettings): Promise<ActionRecord> {
  const namespace = runtime.namespace;
  const patch = patchFor(namespace, name, runtime.hub.get("statefulsets", namespace, name), settings);
  const action = "image" in settings ? "set-image" : "partition" in settings ? "set-partition" : "readinessProbe" in settings ? "set-readiness-probe" : "set-retention";
  return runAction(runtime, { action, target: `statefulset/${name}`, kubectl: patch.kubectl }, async () => {
    await withTimeout(
      runtime.apps.patchNamespacedStatefulSet({ name, namespace, body: patch.body() }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
      API_TIMEOUT_MS,
      "patching the StatefulSet",
    );
    return patch.message;
  });
}
