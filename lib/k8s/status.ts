import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import { latestEvent } from "./events";
import { humanDuration, toMillis } from "./time";

/**
 * What kubectl prints for pods and nodes (pkg/printers/internalversion/printers.go printPod,
 * printNode; k8s.io/apimachinery/pkg/util/duration), so the page says exactly what
 * `kubectl get pods` says in the terminal next to it.
 */

/** node.NodeUnreachablePodReason: set by old node controllers on pods of an unreachable node. */
export const NODE_LOST_REASON = "NodeLost";

function hasCondition(pod: V1Pod, type: string, status = "True"): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === status);
}

/** The Ready condition is True: the pod is in its Services' endpoints. */
export function isPodReady(pod: V1Pod): boolean {
  return hasCondition(pod, "Ready");
}

export function isTerminating(pod: V1Pod): boolean {
  return !!pod.metadata?.deletionTimestamp;
}

/** The READY, STATUS and RESTARTS columns of `kubectl get pods`, and when the last restart ended. */
export interface PrintedPod {
  /** READY: "1/2", ready containers (running sidecars included) over containers (sidecars included). */
  ready: string;
  /** STATUS: "Running", "Init:0/1", "CrashLoopBackOff", "Terminating", "Unknown", … */
  status: string;
  /** RESTARTS, the count alone. */
  restarts: number;
  /** When the last counted restart's container terminated (ms), for RESTARTS' "(5m ago)". */
  lastRestart?: number;
}

/** A restartable init container (restartPolicy Always): a sidecar, counted among the containers. */
function isSidecar(pod: V1Pod, name: string): boolean {
  return pod.spec?.initContainers?.find((c) => c.name === name)?.restartPolicy === "Always";
}

type Status = NonNullable<NonNullable<V1Pod["status"]>["containerStatuses"]>[number];

function lastTerminated(c: Status): number | undefined {
  return toMillis(c.lastState?.terminated?.finishedAt);
}

const later = (a: number | undefined, b: number | undefined) => (b !== undefined && (a === undefined || b > a) ? b : a);

/**
 * printPod of kubectl (k8s.io/kubernetes pkg/printers/internalversion/printers.go), the one
 * implementation behind both the page and the embedded cluster's Table responses: the pod's
 * reason or phase, SchedulingGated, the init containers (`Init:1/2`, `Init:ErrImagePull`, started
 * sidecars count as initialized and in READY), then the containers from the last to the first so
 * the first one's state wins (`Completed` turns back into `Running`/`NotReady` while another
 * container runs, or into the failing one's reason), and last the deletion: `Unknown` for a pod
 * of a lost node, `Terminating` for any other non-terminal pod being deleted.
 */
export function printPod(pod: V1Pod): PrintedPod {
  const initContainers = pod.spec?.initContainers ?? [];
  const totalContainers = (pod.spec?.containers?.length ?? 0) + initContainers.filter((c) => c.restartPolicy === "Always").length;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const phase = pod.status?.phase ?? "";
  let reason: string = pod.status?.reason || phase;
  if ((pod.status?.conditions ?? []).some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";

  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const sidecar = isSidecar(pod, c.name);
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, lastTerminated(c));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastTerminated(c));
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) reason = terminated.reason ? `Init:${terminated.reason}` : terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
    else if (waiting?.reason && waiting.reason !== "PodInitializing") reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initContainers.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    let errorReason = "";
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, lastTerminated(c));
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) {
        reason = terminated.reason ? terminated.reason : terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
        if (terminated.exitCode !== 0) errorReason = reason;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed") {
      if (hasRunning && isPodReady(pod)) reason = "Running";
      else if (errorReason) reason = errorReason;
      else if (hasRunning) reason = "NotReady";
    }
  }

  if (pod.metadata?.deletionTimestamp && pod.status?.reason === NODE_LOST_REASON) reason = "Unknown";
  else if (pod.metadata?.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, lastRestart };
}

/** The STATUS column of `kubectl get pods`. */
export function podStatusText(pod: V1Pod): string {
  return printPod(pod).status;
}

/** The READY column: ready containers / containers ("1/1"), sidecars included. */
export function podReadyText(pod: V1Pod): string {
  return printPod(pod).ready;
}

/** The RESTARTS count (without kubectl's "(5m ago)" suffix). */
export function podRestarts(pod: V1Pod): number {
  return printPod(pod).restarts;
}

/** The RESTARTS column as kubectl prints it at `now`: "3 (2m ago)", or "0". */
export function podRestartsText(printed: PrintedPod, now: number): string {
  return printed.restarts !== 0 && printed.lastRestart !== undefined ? `${printed.restarts} (${humanDuration(now - printed.lastRestart)} ago)` : String(printed.restarts);
}

/**
 * Whole seconds left of a Terminating pod's grace period at cluster time `now`, or undefined when it
 * is not terminating.
 *
 * `deletionTimestamp` is when the grace period ends (the API server sets it to the time of the
 * DELETE plus `deletionGracePeriodSeconds`, truncated to the second). `now` is the cluster's time
 * (the embedded cluster's clock runs at its speed: lib/k8s/speed `clusterNow`), so slow motion and
 * pause need no arithmetic here. Never more than the grace period: a clock read a moment early
 * (the page's one-second tick) must not show "31s left of 30s".
 * 0 means the grace period is over and the pod waits for its kubelet (forever if the node is down).
 */
export function terminationCountdown(pod: V1Pod, now: number): number | undefined {
  const deadline = toMillis(pod.metadata?.deletionTimestamp);
  if (deadline === undefined) return undefined;
  const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
  return Math.min(grace, Math.max(0, Math.ceil((deadline - now) / 1000)));
}

/** The STATUS column of `kubectl get nodes`: Ready / NotReady / Unknown, plus SchedulingDisabled. */
export function nodeStatusText(node: V1Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  const status = !ready ? ["Unknown"] : ready.status === "True" ? ["Ready"] : ["NotReady"];
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

/** Why the node is not Ready in words: "Kubelet stopped posting node status." etc. */
export function nodeConditionMessage(node: V1Node): string | undefined {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (!ready || ready.status === "True") return undefined;
  return ready.message || ready.reason || undefined;
}

/** Taints as `kubectl describe node` prints them: "node.kubernetes.io/unreachable:NoExecute". */
export function nodeTaints(node: V1Node): string[] {
  return (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`);
}

/**
 * Why a pod is not scheduled: the PodScheduled=False condition's message (the scheduler keeps it
 * current), else the newest FailedScheduling event, e.g. "0/3 nodes are available: pod has unbound
 * immediate PersistentVolumeClaims." Undefined for a scheduled pod.
 */
export function unschedulableReason(pod: V1Pod, events: CoreV1Event[]): string | undefined {
  if (pod.spec?.nodeName) return undefined;
  const condition = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
  if (condition?.message) return condition.message;
  const name = pod.metadata?.name ?? "";
  const event = latestEvent(events, { kind: "Pod", name, namespace: pod.metadata?.namespace, uid: pod.metadata?.uid }, ["FailedScheduling"]);
  return event?.message ?? (condition?.reason || undefined);
}

export type StatusTone = "ok" | "progress" | "warning" | "error" | "muted";

/** A colour family for a STATUS text, for badges (the text itself always carries the meaning). */
export function statusTone(status: string): StatusTone {
  if (status === "Running" || status === "Ready" || status === "Completed" || status === "Succeeded") return "ok";
  if (status === "Terminating") return "warning";
  if (status === "Unknown" || status.startsWith("NotReady")) return "error";
  if (status === "Pending" || status === "ContainerCreating" || status === "PodInitializing" || /^Init:\d+\/\d+$/.test(status)) return "progress";
  if (/Err|BackOff|Failed|Error|OOMKilled|Evicted|ExitCode|Signal|Lost|Invalid/.test(status)) return "error";
  return "muted";
}
