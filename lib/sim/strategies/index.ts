import type { V1Pod } from "@kubernetes/client-node";
import type { Store, StoredObject } from "../store/store";

/**
 * Registry strategies of the embedded API server: defaulting, validation and graceful-deletion
 * rules per resource, as the real API server applies them before anything reaches storage.
 */

const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** DefaultTolerationSeconds admission plugin: tolerate not-ready/unreachable nodes for 300 s. */
const DEFAULT_TOLERATION_SECONDS = 300;

/** registry/core/pod/strategy.go CheckGracefulDelete: unscheduled or finished pods go at once. */
export function podGracePeriod(obj: StoredObject, requested: number | undefined): number {
  const pod = obj as unknown as V1Pod;
  if (requested !== undefined && requested <= 0) return 0;
  if (!pod.spec?.nodeName) return 0;
  if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded") return 0;
  return requested ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
}

export function defaultPod(obj: StoredObject): void {
  const pod = obj as unknown as V1Pod;
  const spec = (pod.spec ??= { containers: [] });
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_SECONDS;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.enableServiceLinks ??= true;
  const tolerations = (spec.tolerations ??= []);
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tolerations.some((t) => t.key === key && t.effect === "NoExecute")) {
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  for (const c of spec.containers ?? []) {
    c.imagePullPolicy ??= c.image && !c.image.includes(":") || c.image?.endsWith(":latest") ? "Always" : "IfNotPresent";
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
    for (const p of c.ports ?? []) p.protocol ??= "TCP";
  }
  pod.status = { phase: "Pending", qosClass: "BestEffort", ...(pod.status ?? {}) };
}

export function registerStrategies(store: Store): void {
  store.setStrategy("pods", { gracePeriod: podGracePeriod, defaults: defaultPod });
}
