import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { StoredObject } from "../../store/store";
import { humanDuration, since } from "./format";
import { col, type Printer, type PrintedRow } from "./types";

const SUCCEEDED = [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
const FAILED = [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];

function timeOf(t: unknown): number {
  return t ? Date.parse(String(t instanceof Date ? t.toISOString() : t)) : 0;
}

/** Init containers: the "Init:1/2", "Init:ErrImagePull" part of printPod. Returns the reason or undefined when initialized. */
function initReason(pod: V1Pod): string | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const total = pod.spec?.initContainers?.length ?? 0;
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i];
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t) return t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    const w = c.state?.waiting;
    if (w?.reason && w.reason !== "PodInitializing") return `Init:${w.reason}`;
    return `Init:${i}/${total}`;
  }
  return undefined;
}

function isInitializedTrue(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === "Initialized" && c.status === "True");
}

/** printPod (pkg/printers/internalversion/printers.go): READY, the STATUS reason and RESTARTS. */
export function podStatusColumns(pod: V1Pod, now: number): { ready: string; status: string; restarts: string } {
  const containers = pod.spec?.containers?.length ?? 0;
  let readyCount = 0;
  let restarts = 0;
  let lastRestart = 0;
  const phase = pod.status?.phase ?? "";
  let reason: string = pod.status?.reason || phase;
  if ((pod.status?.conditions ?? []).some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";
  for (const c of pod.status?.initContainerStatuses ?? []) restarts += c.restartCount ?? 0;
  const init = initReason(pod);
  if (init) reason = init;
  if (!init || isInitializedTrue(pod)) {
    restarts = 0;
    let hasRunning = false;
    const statuses: V1ContainerStatus[] = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const finished = timeOf(c.lastState?.terminated?.finishedAt);
      if (finished > lastRestart) lastRestart = finished;
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      reason = (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True") ? "Running" : "NotReady";
    }
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata?.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyCount}/${containers}`, status: reason, restarts: restartText };
}

function readinessGates(pod: V1Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (!gates.length) return "<none>";
  const trueCount = gates.filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === "True").length;
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    col("Name"),
    col("Ready", 0, "The aggregate readiness state of this pod for accepting traffic."),
    col("Status", 0, "The aggregate status of the containers in this pod."),
    col("Restarts", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    col("Age"),
    col("IP", 1, "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
    col("Node", 1, "NodeName indicates in which node this pod is scheduled."),
    col("Nominated Node", 1, "nominatedNodeName is set only when this pod preempts other pods on the node."),
    col("Readiness Gates", 1, "If specified, all readiness gates will be evaluated for pod readiness."),
  ],
  row(obj: StoredObject, now: number): PrintedRow {
    const pod = obj as unknown as V1Pod;
    const { ready, status, restarts } = podStatusColumns(pod, now);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || "<none>";
    const phase = pod.status?.phase;
    return {
      cells: [
        pod.metadata?.name,
        ready,
        status,
        restarts,
        since(pod.metadata?.creationTimestamp, now),
        ip,
        pod.spec?.nodeName || "<none>",
        pod.status?.nominatedNodeName || "<none>",
        readinessGates(pod),
      ],
      conditions: phase === "Succeeded" ? SUCCEEDED : phase === "Failed" ? FAILED : undefined,
    };
  },
};
