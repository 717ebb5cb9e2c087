import type { V1ContainerPort, V1Pod } from "@kubernetes/client-node";

/**
 * The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go): before it
 * runs anything it re-checks what the scheduler checked, since a pod created with `spec.nodeName`
 * never met the scheduler. Only the host-port check (NodePorts) is simulated; a rejected pod goes
 * Failed for good and its controller replaces it (what the upstream spec "Should recreate evicted
 * statefulset" watches).
 */

export interface Rejection {
  /** The status reason and the event reason: the predicate's name. */
  reason: string;
  /** PredicateFailureError.Error(): the event's message; the status says "Pod was rejected: " before it. */
  message: string;
}

/** scheduler/framework/plugins/nodeports ErrReason. */
const NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";

/** scheduler util.GetHostPorts: sidecar (restartable init) containers and containers, hostPort > 0. */
function hostPorts(pod: V1Pod): V1ContainerPort[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  return [...sidecars, ...(pod.spec?.containers ?? [])].flatMap((c) => c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0);
}

/** HostPortInfo's sanitize: no hostIP is 0.0.0.0, no protocol is TCP. */
function bound(p: V1ContainerPort): { ip: string; key: string } {
  return { ip: p.hostIP || "0.0.0.0", key: `${p.protocol || "TCP"}/${p.hostPort}` };
}

/** HostPortInfo.CheckConflict: 0.0.0.0 conflicts with every address, any other address with itself and 0.0.0.0. */
function conflicts(wanted: V1ContainerPort, used: V1ContainerPort[]): boolean {
  const w = bound(wanted);
  return used.map(bound).some((u) => u.key === w.key && (w.ip === "0.0.0.0" || u.ip === "0.0.0.0" || u.ip === w.ip));
}

/** Why the kubelet refuses `pod` beside the pods it already admitted (running, not terminal), or null. */
export function admissionRejection(pod: V1Pod, admitted: readonly V1Pod[]): Rejection | null {
  const used = admitted.flatMap(hostPorts);
  if (hostPorts(pod).some((p) => conflicts(p, used))) return { reason: "NodePorts", message: `Predicate NodePorts failed: ${NODE_PORTS_REASON}` };
  return null;
}
