import type { Snapshot } from "@/lib/k8s/contract";
import { kubectlFor } from "@/lib/k8s/kubectl";
import { FILE_READINESS_PROBE, hasFileReadinessProbe, readinessFileCommand } from "@/lib/k8s/readiness";
import { statefulSetPods } from "@/lib/k8s/slots";
import { startStep } from "./basics";
import { DEMO, podOf, readyPod, settled, stsOf } from "./state";
import type { Lesson } from "./types";

/**
 * Readiness and OrderedReady (issue #14, the upstream StatefulSet e2e tests break readiness the
 * same way): give kubia a readiness probe, break kubia-1's, scale up and watch the controller hold
 * kubia-2 back, then repair. Every check reads the watched state, never a timer.
 */

const BROKEN = "kubia-1";

/** The template has the lesson's probe, every pod runs it, Ready, and the rollout is complete. */
export function probedAndReady(s: Snapshot): boolean {
  const sts = stsOf(s);
  if (!sts || !hasFileReadinessProbe(sts.spec?.template?.spec?.containers?.[0]) || !settled(s, sts.spec?.replicas ?? 0)) return false;
  const pods = [...statefulSetPods(sts, s.objects.pods).values()];
  return pods.every((p) => hasFileReadinessProbe(p.spec?.containers?.[0])) && !!sts.status?.updateRevision && sts.status.currentRevision === sts.status.updateRevision;
}

/** The pod runs (its container is up) but its readiness probe fails: READY 0/1. */
export function runningNotReady(s: Snapshot, name: string): boolean {
  const pod = podOf(s, name);
  return !!pod && !pod.metadata?.deletionTimestamp && pod.status?.phase === "Running" && !readyPod(pod);
}

/** The kubelet reported a failed probe of this very pod (an earlier pod of the same name does not count). */
export function unhealthyEventOf(s: Snapshot, name: string): boolean {
  const uid = podOf(s, name)?.metadata?.uid;
  return s.objects.events.some(
    (e) => e.reason === "Unhealthy" && e.involvedObject?.kind === "Pod" && e.involvedObject.name === name && (!e.involvedObject.uid || e.involvedObject.uid === uid),
  );
}

/** The controller has seen the scale to `replicas` (observedGeneration) and still created no pod past the one that is not Ready. */
export function heldBack(s: Snapshot, replicas: number, next: string): boolean {
  const sts = stsOf(s);
  const seen = (sts?.status?.observedGeneration ?? 0) >= (sts?.metadata?.generation ?? Infinity);
  return sts?.spec?.replicas === replicas && seen && !podOf(s, next) && runningNotReady(s, BROKEN);
}

export const readiness: Lesson = {
  id: "readiness",
  steps: [
    startStep,
    {
      id: "probe",
      command: (ns) => `${kubectlFor.setReadinessProbe(ns, DEMO, DEMO, FILE_READINESS_PROBE)} && ${kubectlFor.rolloutStatus(ns, DEMO)}`,
      actions: [{ kind: "settings", settings: { readinessProbe: "file" } }],
      check: probedAndReady,
    },
    {
      id: "break",
      needs: "containers",
      command: (ns) => `${kubectlFor.exec(ns, BROKEN, readinessFileCommand(false))} && kubectl get pods -l app=${DEMO} -n ${ns}`,
      actions: [{ kind: "readinessFile", pod: BROKEN, ready: false }],
      check: (s) => runningNotReady(s, BROKEN) && unhealthyEventOf(s, BROKEN),
    },
    {
      id: "scale",
      needs: "containers",
      command: (ns) => kubectlFor.scale(ns, DEMO, 3),
      actions: [{ kind: "scale", replicas: 3 }],
      check: (s) => heldBack(s, 3, "kubia-2"),
    },
    {
      id: "repair",
      needs: "containers",
      command: (ns) => kubectlFor.exec(ns, BROKEN, readinessFileCommand(true)),
      actions: [{ kind: "readinessFile", pod: BROKEN, ready: true }],
      check: (s) => settled(s, 3),
    },
  ],
};
