import type { V1LabelSelector, V1OwnerReference, V1Pod, V1PodTemplateSpec } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { fromLabelSelector, matchesLabels } from "../../store/selectors";
import { isPodTerminal } from "../util";
import { deepCopy } from "../../store/copy";

/**
 * What the ReplicaSet, Job and DaemonSet controllers share (pkg/controller/controller_utils.go):
 * pods from a template with a controller reference, the pods a controller owns (adopting matching
 * orphans, as the ControllerRefManager does), and which of them still count.
 */

export interface Owner {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: unknown };
}

export function controllerRef(owner: Owner): V1OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** GetPodFromTemplate: labels, annotations and spec of the template; generateName `<owner>-`. */
export function podFromTemplate(owner: Owner, template: V1PodTemplateSpec | undefined, extra: { name?: string; labels?: Record<string, string>; nodeName?: string } = {}): V1Pod {
  const spec = deepCopy(template?.spec ?? { containers: [] });
  if (extra.nodeName) spec.nodeName = extra.nodeName;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(extra.name ? { name: extra.name } : { generateName: `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
      ...(template?.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec,
  };
}

/** The pods `owner` controls, adopting orphans its selector matches (never while it is being deleted). */
export function claimPods(ctx: SimContext, owner: Owner, selector: V1LabelSelector | undefined): V1Pod[] {
  const requirements = fromLabelSelector(selector);
  const owned: V1Pod[] = [];
  for (const obj of ctx.store.list("pods", { namespace: owner.metadata.namespace }).items) {
    const pod = obj;
    const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
    if (ref) {
      if (ref.uid === owner.metadata.uid) owned.push(pod);
      continue;
    }
    if (owner.metadata.deletionTimestamp || pod.metadata?.deletionTimestamp || requirements.length === 0 || !matchesLabels(requirements, pod.metadata?.labels)) continue;
    const adopted = { ...pod, metadata: { ...pod.metadata, ownerReferences: [...(pod.metadata?.ownerReferences ?? []), controllerRef(owner)] } };
    try {
      owned.push(ctx.store.update("pods", adopted));
    } catch {
      // Changed under us: the next sync sees it.
    }
  }
  return owned;
}

/** FilterActivePods: not terminal and not being deleted. */
export const isActive = (pod: V1Pod) => !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;

