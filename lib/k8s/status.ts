import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import { latestEvent } from "./events";
import { toMillis, type Timestamp } from "./time";

/**
 * What kubectl prints for pods and nodes (pkg/printers/internalversion/printers.go printPod,
 * printNode; k8s.io/apimachinery/pkg/util/duration), so the page says exactly what
 * `kubectl get pods` says in the terminal next to it.
 */

/** node.NodeUnreachablePodReason: set by old node controllers on pods of an unreachable node. */
export const NODE_LOST_REASON = "NodeLost";

function initReason(pod: V1Pod): string | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const total = pod.spec?.initContainers?.length ?? 0;
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i];
    const terminated = c.state?.terminated;
    if (terminated && terminated.exitCode === 0) continue;
    // A restartable init container (sidecar) that started counts as initialized.
    const sidecar = pod.spec?.initContainers?.find((s) => s.name === c.name)?.restartPolicy === "Always";
    if (sidecar && c.started) continue;
    if (terminated) {
      if (terminated.reason) return `Init:${terminated.reason}`;
      return terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
    }
    const waiting = c.state?.waiting;
    if (waiting?.reason && waiting.reason !== "PodInitializing") return `Init:${waiting.reason}`;
    return `Init:${i}/${total}`;
  }
  return undefined;
}

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

/** The STATUS column of `kubectl get pods`. */
export function podStatusText(pod: V1Pod): string {
  const phase = pod.status?.phase ?? "";
  let reason: string = pod.status?.reason || phase;
  if ((pod.status?.conditions ?? []).some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";
  const init = initReason(pod);
  if (init) reason = init;
  if (!init || hasCondition(pod, "Initialized")) {
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    // Backwards, so the first container's state wins, as kubectl does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) reason = isPodReady(pod) ? "Running" : "NotReady";
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === NODE_LOST_REASON) return "Unknown";
  if (pod.metadata?.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") return "Terminating";
  return reason || "Unknown";
}

/** The READY column: ready containers / containers ("1/1"). */
export function podReadyText(pod: V1Pod): string {
  const total = pod.spec?.containers?.length ?? 0;
  const ready = (pod.status?.containerStatuses ?? []).filter((c) => c.ready && c.state?.running).length;
  return `${ready}/${total}`;
}

/** The RESTARTS count (without kubectl's "(5m ago)" suffix). */
export function podRestarts(pod: V1Pod): number {
  const sum = (list: { restartCount?: number }[] | undefined) => (list ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const init = initReason(pod);
  if (init && !hasCondition(pod, "Initialized")) return sum(pod.status?.initContainerStatuses);
  return sum(pod.status?.containerStatuses);
}

/** duration.HumanDuration: "45s", "3m12s", "15m", "5h3m", "3d4h", "400d", "2y10d". */
export function humanDuration(ms: number): string {
  // Go's int(d.Seconds()) truncates toward zero: -1.5 s is "0s", not "<invalid>".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** The AGE column (translateTimestampSince): "<unknown>" without a timestamp. */
export function formatAge(from: Timestamp, now: number): string {
  const t = toMillis(from);
  return t === undefined ? "<unknown>" : humanDuration(now - t);
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
