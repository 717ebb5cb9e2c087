import type { V1Pod } from "@kubernetes/client-node";
import { podRestartsText, printPod } from "../../../k8s/status";
import { formatAge } from "../../../k8s/time";
import { col, type Printer, type PrintedRow } from "./types";

const SUCCEEDED = [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
const FAILED = [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];

/** READY, STATUS and RESTARTS cells: lib/k8s printPod, the function the page prints pods with too. */
export function podStatusColumns(pod: V1Pod, now: number): { ready: string; status: string; restarts: string } {
  const printed = printPod(pod);
  return { ready: printed.ready, status: printed.status, restarts: podRestartsText(printed, now) };
}

function readinessGates(pod: V1Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (!gates.length) return "<none>";
  const trueCount = gates.filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === "True").length;
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer<"pods"> = {
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
  row(pod, now): PrintedRow {
    const { ready, status, restarts } = podStatusColumns(pod, now);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || "<none>";
    const phase = pod.status?.phase;
    return {
      cells: [
        pod.metadata?.name,
        ready,
        status,
        restarts,
        formatAge(pod.metadata?.creationTimestamp, now),
        ip,
        pod.spec?.nodeName || "<none>",
        pod.status?.nominatedNodeName || "<none>",
        readinessGates(pod),
      ],
      conditions: phase === "Succeeded" ? SUCCEEDED : phase === "Failed" ? FAILED : undefined,
    };
  },
};
