import type { V1OwnerReference, V1PersistentVolumeClaim, V1Pod, V1StatefulSet, V1Volume } from "@kubernetes/client-node";
import { deepCopy } from "../../store/copy";

/**
 * A StatefulSet pod's identity, as pkg/controller/statefulset/stateful_set_utils.go defines it: the
 * name `<set>-<ordinal>`, the labels that pin it, hostname/subdomain, and one PVC per claim template.
 */

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
export const REVISION_LABEL = "controller-revision-hash";

const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** The parent set's name and the ordinal encoded in a pod name; ordinal -1 when there is none. */
export function parentAndOrdinal(name: string | undefined): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_NAME.exec(name ?? "");
  if (!m) return { parent: "", ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1], ordinal: Number.isSafeInteger(n) && n <= MAX_INT32 ? n : -1 };
}

export function getOrdinal(pod: V1Pod): number {
  return parentAndOrdinal(pod.metadata?.name).ordinal;
}

export function startOrdinal(set: V1StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The last ordinal (inclusive) of the set's range. */
export function endOrdinal(set: V1StatefulSet): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

export function inOrdinalRange(pod: V1Pod, set: V1StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function podName(set: V1StatefulSet, ordinal: number): string {
  return `${set.metadata!.name}-${ordinal}`;
}

export function claimName(set: V1StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata!.name}-${ordinal}`;
}

export function isMemberOf(set: V1StatefulSet, pod: V1Pod): boolean {
  return parentAndOrdinal(pod.metadata?.name).parent === set.metadata?.name;
}

export function identityMatches(set: V1StatefulSet, pod: V1Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata?.name);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[POD_NAME_LABEL] === pod.metadata?.name
  );
}

/** True when the pod's volumes point at the claims of every volumeClaimTemplate. */
export function storageMatches(set: V1StatefulSet, pod: V1Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((t) => {
    const v = volumes.get(t.metadata?.name ?? "");
    return v?.persistentVolumeClaim?.claimName === claimName(set, t.metadata?.name ?? "", ordinal);
  });
}

/**
 * The claims a pod of `ordinal` uses, keyed by template name: the template with the per-pod name,
 * the set's namespace, and the template labels merged with the selector's matchLabels.
 */
export function claimsFor(set: V1StatefulSet, ordinal: number): Map<string, V1PersistentVolumeClaim> {
  const claims = new Map<string, V1PersistentVolumeClaim>();
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const t = deepCopy(template);
    const name = t.metadata?.name ?? "";
    const claim: V1PersistentVolumeClaim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        ...t.metadata,
        name: claimName(set, name, ordinal),
        namespace: set.metadata?.namespace,
        labels: { ...(t.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
      },
      spec: t.spec,
    };
    claims.set(name, claim);
  }
  return claims;
}

/**
 * Points the template's claim volumes at this ordinal's PVCs, replacing same-named template volumes.
 * The Go controller sets `ReadOnly: false`, a non-pointer `omitempty` bool: the API server keeps and
 * serves no `readOnly` member, so neither does this (a client's update would otherwise "change" it).
 */
export function updateStorage(set: V1StatefulSet, pod: V1Pod): void {
  const claims = claimsFor(set, getOrdinal(pod));
  const volumes: V1Volume[] = [...claims].map(([name, c]) => ({
    name,
    persistentVolumeClaim: { claimName: c.metadata!.name! },
  }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  pod.spec!.volumes = volumes;
}

export function updateIdentity(set: V1StatefulSet, pod: V1Pod): void {
  const ordinal = getOrdinal(pod);
  const meta = (pod.metadata ??= {});
  meta.name = podName(set, ordinal);
  meta.namespace = set.metadata?.namespace;
  meta.labels = { ...(meta.labels ?? {}), [POD_NAME_LABEL]: meta.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** metav1.NewControllerRef: the owner reference a controller puts on what it creates. */
export function controllerRefTo(owner: { apiVersion?: string; kind?: string; metadata?: { name?: string; uid?: string } }, apiVersion: string, kind: string): V1OwnerReference {
  return { apiVersion, kind, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}

export function setControllerRef(set: V1StatefulSet): V1OwnerReference {
  return controllerRefTo(set, "apps/v1", "StatefulSet");
}

/** controller.GetPodFromTemplate + initIdentity + updateStorage. */
export function newStatefulSetPod(set: V1StatefulSet, ordinal: number): V1Pod {
  const template = deepCopy(set.spec!.template);
  const pod: V1Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podName(set, ordinal),
      generateName: `${set.metadata!.name}-`,
      namespace: set.metadata!.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
      ownerReferences: [setControllerRef(set)],
    },
    spec: template.spec ?? { containers: [] },
  };
  updateIdentity(set, pod);
  // Hostname and subdomain are immutable, so they are set only at creation.
  pod.spec!.hostname = pod.metadata!.name;
  pod.spec!.subdomain = set.spec!.serviceName;
  updateStorage(set, pod);
  return pod;
}

export function getPodRevision(pod: V1Pod): string {
  return pod.metadata?.labels?.[REVISION_LABEL] ?? "";
}

/**
 * A new pod at the revision its ordinal should have: below the partition (or, without a
 * rollingUpdate block, below currentReplicas) it keeps the current revision, otherwise it gets the
 * update revision. Mirrors newVersionedStatefulSetPod, including its operator precedence.
 */
export function newVersionedStatefulSetPod(
  currentSet: V1StatefulSet,
  updateSet: V1StatefulSet,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
): V1Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const useCurrent =
    (strategy?.type === "RollingUpdate" && !strategy.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!strategy?.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  pod.metadata!.labels![REVISION_LABEL] = useCurrent ? currentRevision : updateRevision;
  return pod;
}
