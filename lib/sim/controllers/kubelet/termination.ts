import type { V1Pod } from "@kubernetes/client-node";
import type { KubeletContext, PodRuntime } from "./types";

/** SIGKILL after the grace period: what the runtime reports for a process that ignored SIGTERM. */
export const SIGKILL_EXIT_CODE = 137;

function gracePeriodSeconds(pod: V1Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/**
 * Graceful termination of a pod with a deletionTimestamp: `Killing` and SIGTERM for every running
 * container, then the containers run until they exit (a shell that traps SIGTERM) or the grace
 * period ends and they are killed (exit code 137: the kubia app, as PID 1, ignores SIGTERM). A later
 * delete with a shorter grace period shortens the wait.
 * Returns the deadline while waiting, or "killed" once every container has stopped.
 */
export function syncTerminatingPod(k: KubeletContext, pod: V1Pod, rt: PodRuntime, now: number): number | "killed" {
  const grace = gracePeriodSeconds(pod);
  if (!rt.killing) {
    const running = rt.containers.filter((c) => c.phase === "running");
    for (const c of running) k.event(pod, "Normal", "Killing", `Stopping container ${c.name}`, c);
    for (const c of running) k.terminateContainer(pod, c);
    // Containers not started yet have nothing to stop: the pod goes at once.
    rt.killing = { grace, deadline: running.length ? now + grace * 1000 : now };
  } else if (grace < rt.killing.grace) {
    rt.killing = { grace, deadline: Math.min(rt.killing.deadline, now + grace * 1000) };
  }
  if (now < rt.killing.deadline && rt.containers.some((c) => c.phase === "running")) return rt.killing.deadline;
  for (const c of rt.containers) {
    if (c.phase === "running") {
      c.exitCode = SIGKILL_EXIT_CODE;
      c.finishedAt = now;
    }
    if (c.phase === "running" || c.phase === "exited" || c.phase === "crashLoopBackOff") c.phase = "terminated";
  }
  rt.terminal = true;
  return "killed";
}

/** Whether the runtime ever ran a container of this pod (then its final status is worth posting). */
export function everRan(rt: PodRuntime): boolean {
  return rt.containers.some((c) => c.startedAt !== undefined);
}
