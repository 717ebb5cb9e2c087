import type { V1Container, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from "@kubernetes/client-node";
import { isReady, isStarted } from "./prober/manager";
import { withTransition } from "../util";
import { goDuration, imageID, normalizeImage } from "./images";
import { podRef } from "./pod-start";
import type { ContainerRuntime, PodRuntime } from "./types";
import { timeField, NULL_TIME } from "../../../k8s/time";

/** The conditions the kubelet owns; the others (PodScheduled, DisruptionTarget, …) are kept as they are. */
const KUBELET_CONDITIONS = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];


type Run = { exitCode?: number; startedAt?: number; finishedAt?: number; containerID?: string };

function terminated(run: Run): V1ContainerStatus["state"] {
  const exitCode = run.exitCode ?? 137;
  return {
    terminated: {
      exitCode,
      reason: exitCode === 0 ? "Completed" : "Error",
      startedAt: run.startedAt !== undefined ? timeField(run.startedAt) : undefined,
      finishedAt: timeField(run.finishedAt!),
      containerID: run.containerID,
    },
  };
}

/** state and lastState as the kubelet derives them from the latest and the previous container of a name. */
function containerStates(c: ContainerRuntime, pod: V1Pod): Pick<V1ContainerStatus, "state" | "lastState"> {
  const last = c.lastTerminated ? terminated(c.lastTerminated) : {};
  switch (c.phase) {
    case "running":
      return { state: { running: { startedAt: timeField(c.startedAt!) } }, lastState: last };
    case "terminated":
    case "exited":
      return { state: terminated(c), lastState: last };
    case "crashLoopBackOff":
      return {
        state: { waiting: { reason: "CrashLoopBackOff", message: `back-off ${goDuration(c.crashBackoff!)} restarting failed container=${c.name} pod=${podRef(pod)}` } },
        lastState: terminated(c),
      };
    case "errImagePull":
      return { state: { waiting: { reason: "ErrImagePull", message: c.pullMessage } }, lastState: last };
    case "imagePullBackOff":
      return { state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}": ErrImagePull: ${c.pullMessage}` } }, lastState: last };
    default:
      // Restarting: until the new container exists, the exited one is the latest.
      if (c.lastTerminated && !c.containerID) return { state: terminated(c.lastTerminated), lastState: {} };
      return { state: { waiting: { reason: "ContainerCreating" } }, lastState: last };
  }
}

function containerStatus(c: ContainerRuntime, pod: V1Pod, spec: V1Container | undefined): V1ContainerStatus {
  const created = c.containerID !== undefined || c.lastTerminated !== undefined;
  return {
    name: c.name,
    // Until the runtime has the container, the status shows the image as written in the spec.
    image: created ? normalizeImage(c.image) : c.image,
    imageID: created ? imageID(c.image) : "",
    ...(c.containerID ? { containerID: c.containerID } : {}),
    // Ephemeral containers have no probes and never count for readiness: the kubelet reports them not ready.
    ready: !c.ephemeral && isReady(c, spec),
    restartCount: c.restartCount,
    started: c.ephemeral ? c.phase === "running" : isStarted(c, spec),
    ...containerStates(c, pod),
  };
}

/** kubelet getPhase: Pending until every container has started, Running while one runs, Failed once killed. */
function podPhase(rt: PodRuntime): string {
  if (rt.terminal) return rt.containers.every((c) => c.exitCode === 0) ? "Succeeded" : "Failed";
  // A container waiting for its first start keeps the pod Pending; one that ran and exited counts as
  // stopped, which with restartPolicy Always is still Running.
  return rt.containers.some((c) => c.startedAt === undefined && !c.lastTerminated) ? "Pending" : "Running";
}

/**
 * The pod status the kubelet posts for what its runtime holds (generateAPIPodStatus + the status
 * manager's merge): kubelet-owned conditions first, then the others as they were.
 */
export function buildPodStatus(pod: V1Pod, rt: PodRuntime, hostIP: string | undefined, now: number): V1PodStatus {
  const prev = pod.status ?? {};
  const at = timeField(now);
  const previous = (type: string) => prev.conditions?.find((c) => c.type === type);
  const cond = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition =>
    withTransition({ type, status: ok ? "True" : "False", lastProbeTime: NULL_TIME, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }, previous(type), at);
  const specOf = (c: ContainerRuntime) => pod.spec?.containers?.find((s) => s.name === c.name);
  const unready = rt.containers.filter((c) => !isReady(c, specOf(c))).map((c) => c.name);
  const allReady = unready.length === 0;
  const notReadyReason = allReady ? undefined : "ContainersNotReady";
  const notReadyMessage = allReady ? undefined : `containers with unready status: [${unready.join(" ")}]`;
  const conditions = [
    cond("PodReadyToStartContainers", rt.sandboxAt !== undefined && !rt.terminal),
    cond("Initialized", true),
    cond("Ready", allReady, notReadyReason, notReadyMessage),
    cond("ContainersReady", allReady, notReadyReason, notReadyMessage),
    ...(prev.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type)),
  ];
  return {
    ...prev,
    phase: podPhase(rt),
    conditions,
    ...(hostIP ? { hostIP, hostIPs: [{ ip: hostIP }] } : {}),
    ...(rt.ip ? { podIP: rt.ip, podIPs: [{ ip: rt.ip }] } : {}),
    startTime: prev.startTime ?? timeField(rt.firstSeen),
    containerStatuses: rt.containers.map((c) => containerStatus(c, pod, specOf(c))),
    ...(rt.ephemeral.length ? { ephemeralContainerStatuses: rt.ephemeral.map((c) => containerStatus(c, pod, undefined)) } : {}),
  };
}
