import type { V1Pod } from "@kubernetes/client-node";
import type { ActionRecord, Snapshot } from "@/lib/k8s/contract";
import { isPodReady, nodeStatusText } from "@/lib/k8s/status";
import { volumeState } from "@/lib/k8s/volumes";
import { statefulSetPods } from "@/lib/k8s/slots";
import type { Baseline } from "./types";

/** Facts about the watched state that lesson checks are written in (pure, over the snapshot). */
export const DEMO = "kubia";

const named = <T extends { metadata?: { name?: string; namespace?: string } }>(list: T[], ns: string, name: string) =>
  list.find((o) => o.metadata?.name === name && o.metadata?.namespace === ns);

export const podOf = (s: Snapshot, name: string) => named(s.objects.pods, s.cluster.namespace, name);
export const pvcOf = (s: Snapshot, name: string) => named(s.objects.persistentvolumeclaims, s.cluster.namespace, name);
export const stsOf = (s: Snapshot, name = DEMO) => named(s.objects.statefulsets, s.cluster.namespace, name);

export const readyPod = (pod: V1Pod | undefined): pod is V1Pod => !!pod && !pod.metadata?.deletionTimestamp && pod.status?.phase === "Running" && isPodReady(pod);
export const isReady = (s: Snapshot, name: string) => readyPod(podOf(s, name));

export function nodeReady(s: Snapshot, name: string | undefined): boolean {
  const node = s.objects.nodes.find((n) => n.metadata?.name === name);
  return !!node && nodeStatusText(node).startsWith("Ready");
}

/** The set's pods, all Running and Ready, exactly `replicas` of them. */
export function settled(s: Snapshot, replicas: number, name = DEMO): boolean {
  const sts = stsOf(s, name);
  if (!sts || sts.spec?.replicas !== replicas) return false;
  const pods = [...statefulSetPods(sts, s.objects.pods).values()];
  return pods.length === replicas && pods.every(readyPod);
}

export const imageOf = (pod: V1Pod | undefined) => pod?.spec?.containers?.[0]?.image;

/** Every pod of the demo runs `image`, Ready, and the set's rollout is complete. */
export function rolledOut(s: Snapshot, image: string): boolean {
  const sts = stsOf(s);
  const replicas = sts?.spec?.replicas ?? 0;
  if (!sts || !settled(s, replicas)) return false;
  const pods = [...statefulSetPods(sts, s.objects.pods).values()];
  return pods.every((p) => imageOf(p) === image) && !!sts.status?.updateRevision && sts.status.currentRevision === sts.status.updateRevision;
}

/** The claim was kept and re-attached to a newer pod of its ordinal (lib/k8s/volumes: Reused). */
export function reused(s: Snapshot, pvcName: string, podName: string): boolean {
  const pvc = pvcOf(s, pvcName);
  const pod = podOf(s, podName);
  if (!pvc || !readyPod(pod)) return false;
  return volumeState({ pvc, pod, events: s.objects.events, desired: true, now: Date.now() }).state === "Reused";
}

/** Actions the dashboard recorded after the step began (actions are newest first). */
export function actionsSince(s: Snapshot, baseline: Baseline): ActionRecord[] {
  const at = s.actions.findIndex((a) => a.id === baseline.lastAction);
  return at < 0 ? s.actions : s.actions.slice(0, at);
}

export const rememberLastAction = (s: Snapshot): Baseline => ({ lastAction: s.actions[0]?.id ?? "" });

export const rememberPod = (name: string) => (s: Snapshot): Baseline => {
  const pod = podOf(s, name);
  return { ...rememberLastAction(s), uid: pod?.metadata?.uid ?? "", node: pod?.spec?.nodeName ?? "" };
};

/** The demo as it is after a reset: two Ready pods of the book's image, default policies, no readiness probe. */
export function freshDemo(s: Snapshot): boolean {
  const sts = stsOf(s);
  return (
    settled(s, 2) &&
    imageOf(podOf(s, "kubia-0")) === "luksa/kubia-pet" &&
    (sts?.spec?.updateStrategy?.rollingUpdate?.partition ?? 0) === 0 &&
    (sts?.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? "Retain") === "Retain" &&
    !sts?.spec?.template?.spec?.containers?.[0]?.readinessProbe
  );
}
