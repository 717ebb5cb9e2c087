import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ContainerRuntime, KubeletContext } from "../types";

/** minimumGracePeriodInSeconds: a container always gets this long to stop. */
const MINIMUM_GRACE_SECONDS = 2;

/**
 * setTerminationGracePeriod for a probe kill: the pod's deletion grace period if it is being
 * deleted, else the failed probe's own terminationGracePeriodSeconds, else the pod's.
 */
function killGraceSeconds(pod: V1Pod, spec: V1Container | undefined, reason: "liveness" | "startup"): number {
  const probe = reason === "liveness" ? spec?.livenessProbe : spec?.startupProbe;
  const grace = pod.metadata?.deletionGracePeriodSeconds ?? probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? MINIMUM_GRACE_SECONDS;
  return Math.max(grace, MINIMUM_GRACE_SECONDS);
}

/**
 * computePodActions for a running container whose liveness or startup probe failed: `Killing`
 * ("Container kubia failed liveness probe, will be restarted"), then the container is stopped with
 * the grace period. Returns when the container is to be killed, or undefined when it is healthy.
 */
export function probeKill(k: KubeletContext, pod: V1Pod, c: ContainerRuntime, spec: V1Container | undefined, now: number): number | undefined {
  if (c.killAt !== undefined) return c.killAt;
  const reason = c.probe?.liveness === "failure" ? "liveness" : c.probe?.startup === "failure" ? "startup" : undefined;
  if (!reason || pod.metadata?.deletionTimestamp) return undefined;
  const restart = pod.spec?.restartPolicy !== "Never";
  k.event(pod, "Normal", "Killing", `Container ${c.name} failed ${reason} probe${restart ? ", will be restarted" : ""}`, c);
  c.killAt = now + killGraceSeconds(pod, spec, reason) * 1000;
  return c.killAt;
}
