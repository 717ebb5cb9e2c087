import { randomBytes } from "node:crypto";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { podClaimNames } from "../util";
import { isUnpullable, normalizeImage, pullDuration, pulledMessage, pullErrorMessage } from "./images";
import { probeKill } from "./prober/kill";
import { SIGKILL_EXIT_CODE } from "./termination";
import type { ContainerRuntime, KubeletContext, PodRuntime } from "./types";

/** Real-cluster durations (ms of cluster time: the cluster clock applies the speed factor). */
export const TIMING = {
  sandbox: 500, // volumes mounted, sandbox and network set up
  create: 300, // Pulled → Created
  start: 700, // Created → Started
  backOffReport: 1_000, // a failed pull shows ErrImagePull until the next pod sync
  sandboxRetry: 10_000,
};
/** The kubelet's image pull and container restart back-offs (flowcontrol.Backoff): 10 s doubling to 5 min. */
export const PULL_BACKOFF = { initial: 10_000, max: 300_000 };
export const CRASH_BACKOFF = { ...PULL_BACKOFF };

export function newPodRuntime(pod: V1Pod, now: number): PodRuntime {
  return {
    key: `${pod.metadata!.namespace}/${pod.metadata!.name}`,
    uid: pod.metadata!.uid!,
    firstSeen: now,
    containers: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? "", phase: "waiting", pullFailures: 0, restartCount: 0 })),
    ephemeral: [],
  };
}

/** Volumes the kubelet can mount: every claim exists and is Bound. */
function volumesReady(k: KubeletContext, pod: V1Pod): boolean {
  return podClaimNames(pod).every((name) => {
    const pvc = k.ctx.store.tryGet("persistentvolumeclaims", pod.metadata!.namespace, name);
    return pvc?.status?.phase === "Bound" && !!pvc.spec?.volumeName;
  });
}

type Step = { wake?: number; blocking: boolean };

/** format.Pod: "kubia-0_default(<uid>)". */
export function podRef(pod: V1Pod): string {
  return `${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})`;
}

/** Keeps the exited run as lastState and starts over (pull per policy, create, start); the back-off grows. */
function restart(c: ContainerRuntime, initial: number, max: number): void {
  c.lastTerminated = { exitCode: c.exitCode ?? 1, startedAt: c.startedAt, finishedAt: c.finishedAt!, containerID: c.containerID };
  c.crashBackoff = c.crashBackoff === undefined ? initial : Math.min(c.crashBackoff * 2, max);
  c.phase = "waiting";
  c.containerID = c.startedAt = c.exitCode = c.finishedAt = c.killAt = undefined;
  c.probe = {};
}

/** Moves one container through pull → create → start, emitting the kubelet's events on the way. */
function advanceContainer(k: KubeletContext, pod: V1Pod, c: ContainerRuntime, spec: V1Container | undefined, now: number): Step {
  const { ctx } = k;
  const event = (type: "Normal" | "Warning", reason: string, message: string) => k.event(pod, type, reason, message, c);
  for (;;) {
    switch (c.phase) {
      case "waiting": {
        const ref = normalizeImage(c.image);
        const cached = k.images.has(ref);
        if (cached && spec?.imagePullPolicy !== "Always") {
          event("Normal", "Pulled", `Container image "${c.image}" already present on machine`);
          c.phase = "creating";
          c.dueAt = now + TIMING.create;
          return { wake: c.dueAt, blocking: true };
        }
        c.pullWillFail = isUnpullable(ctx, c.image);
        event("Normal", "Pulling", `Pulling image "${c.image}"`);
        c.phase = "pulling";
        c.pullStartedAt = now;
        c.dueAt = now + pullDuration(c.image, k.nodeName, { cached, failing: c.pullWillFail });
        return { wake: c.dueAt, blocking: true };
      }
      case "pulling": {
        if (now < c.dueAt!) return { wake: c.dueAt, blocking: true };
        if (c.pullWillFail) {
          c.pullMessage = pullErrorMessage(c.image);
          event("Warning", "Failed", `Failed to pull image "${c.image}": ${c.pullMessage}`);
          event("Warning", "Failed", "Error: ErrImagePull");
          c.pullFailures += 1;
          c.backoffUntil = now + Math.min(PULL_BACKOFF.initial * 2 ** (c.pullFailures - 1), PULL_BACKOFF.max);
          c.phase = "errImagePull";
          c.dueAt = now + TIMING.backOffReport;
          return { wake: c.dueAt, blocking: false };
        }
        const cached = k.images.has(normalizeImage(c.image));
        event("Normal", "Pulled", pulledMessage(c.image, pullDuration(c.image, k.nodeName, { cached, failing: false })));
        k.images.add(normalizeImage(c.image));
        c.pullFailures = 0;
        c.phase = "creating";
        c.dueAt = now + TIMING.create;
        return { wake: c.dueAt, blocking: true };
      }
      case "errImagePull":
        if (now < c.dueAt!) return { wake: c.dueAt, blocking: false };
        event("Normal", "BackOff", `Back-off pulling image "${c.image}"`);
        event("Warning", "Failed", "Error: ImagePullBackOff");
        c.phase = "imagePullBackOff";
        return { wake: c.backoffUntil, blocking: false };
      case "imagePullBackOff":
        if (now < c.backoffUntil!) return { wake: c.backoffUntil, blocking: false };
        c.phase = "waiting";
        continue;
      case "creating":
        if (now < c.dueAt!) return { wake: c.dueAt, blocking: true };
        if (c.lastTerminated) c.restartCount += 1; // a new container for the same name
        c.containerID = `containerd://${randomBytes(32).toString("hex")}`;
        event("Normal", "Created", `Created container: ${c.name}`);
        c.phase = "starting";
        c.dueAt = now + TIMING.start;
        return { wake: c.dueAt, blocking: true };
      case "starting":
        if (now < c.dueAt!) return { wake: c.dueAt, blocking: true };
        event("Normal", "Started", `Started container ${c.name}`);
        c.phase = "running";
        c.startedAt = now;
        c.probe = {};
        k.startContainer(pod, c);
        continue;
      case "exited": {
        if (c.ephemeral || pod.spec?.restartPolicy === "Never" || (pod.spec?.restartPolicy === "OnFailure" && c.exitCode === 0)) {
          c.phase = "terminated";
          continue;
        }
        // doBackOff: within the back-off after the last exit, wait (CrashLoopBackOff); else restart.
        // A container that ran longer than twice the maximum back-off starts over (hasExpired).
        if (c.lastTerminated && c.finishedAt! - c.lastTerminated.finishedAt > 2 * CRASH_BACKOFF.max) c.crashBackoff = undefined;
        if (c.crashBackoff !== undefined && now - c.finishedAt! < c.crashBackoff) {
          event("Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${podRef(pod)}`);
          c.phase = "crashLoopBackOff";
          continue;
        }
        restart(c, CRASH_BACKOFF.initial, CRASH_BACKOFF.max);
        continue;
      }
      case "crashLoopBackOff": {
        const until = c.finishedAt! + c.crashBackoff!;
        if (now < until) return { wake: until, blocking: false };
        restart(c, CRASH_BACKOFF.initial, CRASH_BACKOFF.max);
        continue;
      }
      case "running": {
        const killAt = probeKill(k, pod, c, spec, now);
        if (killAt === undefined || now < killAt) return { wake: killAt, blocking: false };
        k.killContainer(pod, c);
        c.phase = "exited";
        c.exitCode = SIGKILL_EXIT_CODE; // the apps ignore SIGTERM: killed when the grace period ends
        c.finishedAt = now;
        continue;
      }
      default:
        return { blocking: false };
    }
  }
}

/** Ephemeral containers start once the pod's containers have (each is pulled, created, started; never restarted). */
function syncEphemeral(k: KubeletContext, pod: V1Pod, rt: PodRuntime, now: number, wake: number | undefined): number | undefined {
  if (rt.containers.some((c) => c.startedAt === undefined)) return wake;
  for (const spec of pod.spec?.ephemeralContainers ?? []) {
    if (!rt.ephemeral.some((c) => c.name === spec.name)) rt.ephemeral.push({ name: spec.name, image: spec.image ?? "", phase: "waiting", pullFailures: 0, restartCount: 0, ephemeral: true });
  }
  for (const c of rt.ephemeral) {
    const step = advanceContainer(k, pod, c, pod.spec?.ephemeralContainers?.find((s) => s.name === c.name) as V1Container | undefined, now);
    if (step.wake !== undefined) wake = wake === undefined ? step.wake : Math.min(wake, step.wake);
  }
  return wake;
}

/**
 * One sync of a pod that should run: wait for its volumes, set up the sandbox (pod IP), then pull,
 * create and start its containers in order (a failing image does not hold the others back).
 * Returns when to look again, if anything is pending.
 */
export function syncRunningPod(k: KubeletContext, pod: V1Pod, rt: PodRuntime, now: number): number | undefined {
  if (rt.sandboxAt === undefined) {
    if (rt.sandboxDue === undefined) {
      if (!volumesReady(k, pod)) return undefined; // a claim change re-triggers the sync
      rt.sandboxDue = now + TIMING.sandbox;
    }
    if (now < rt.sandboxDue) return rt.sandboxDue;
    const ip = rt.ip ?? k.ipam.allocate(k.ipsInUse());
    if (!ip) {
      const desc = 'failed to setup network for sandbox: plugin type="host-local" failed (add): failed to allocate for range 0: no IP addresses available in range set';
      k.event(pod, "Warning", "FailedCreatePodSandBox", `Failed to create pod sandbox: rpc error: code = Unknown desc = ${desc}`);
      return now + TIMING.sandboxRetry;
    }
    rt.ip = ip;
    rt.sandboxAt = now;
  }
  let wake: number | undefined;
  for (const c of rt.containers) {
    const spec = pod.spec?.containers?.find((s) => s.name === c.name);
    const step = advanceContainer(k, pod, c, spec, now);
    if (step.wake !== undefined) wake = wake === undefined ? step.wake : Math.min(wake, step.wake);
    if (step.blocking) break;
  }
  wake = syncEphemeral(k, pod, rt, now, wake);
  // Every container ran to completion and stays stopped (restartPolicy Never/OnFailure): the pod is done.
  if (rt.containers.length && rt.containers.every((c) => c.phase === "terminated")) rt.terminal = true;
  return wake;
}
