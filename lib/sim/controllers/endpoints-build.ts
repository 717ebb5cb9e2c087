import type { V1EndpointAddress, V1EndpointSubset, V1Pod, V1Service, V1ServicePort } from "@kubernetes/client-node";
import { canonicalJson, isPodTerminal } from "./util";
import { isPodReady } from "../../k8s/status";

/**
 * What the endpoints and EndpointSlice controllers compute for a Service, as pure functions:
 * pkg/controller/endpointslice (reconciler, utils) and pkg/controller/endpoint.
 */

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: "Pod"; namespace: string; name: string; uid: string };
}

/** One EndpointSlice's content: the pods whose ports resolve to the same numbers. */
export interface SliceGroup {
  ports: SlicePort[] | null;
  endpoints: SliceEndpoint[];
}

const ipNumber = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);

/** podutil.FindPort: a number is used as is; a name is looked up among the pod's container ports. */
export function findPort(pod: V1Pod, servicePort: V1ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === "number") return target;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? "TCP") === (servicePort.protocol ?? "TCP")) return p.containerPort;
  }
  return undefined;
}

/** endpointsliceutil.ShouldPodBeInEndpoints. */
export function shouldPodBeInEndpoints(pod: V1Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod) || !pod.status?.podIP) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/** The DNS hostname of a pod for this service: only when its subdomain names the service. */
function hostnameFor(pod: V1Pod, svc: V1Service): string | undefined {
  return pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? pod.spec.hostname : undefined;
}

function targetRef(pod: V1Pod) {
  return { kind: "Pod" as const, namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! };
}

export function selectedPods(svc: V1Service, pods: readonly V1Pod[]): V1Pod[] {
  const selector = svc.spec?.selector ?? {};
  return pods
    .filter((p) => p.metadata?.namespace === svc.metadata?.namespace && Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v))
    .sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
}

/** The EndpointSlice controller's view: every pod with an IP, terminating ones included, grouped by ports. */
export function desiredSliceGroups(svc: V1Service, pods: readonly V1Pod[]): SliceGroup[] {
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  const groups = new Map<string, SliceGroup>();
  for (const pod of selectedPods(svc, pods)) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports: SlicePort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port !== undefined) ports.push({ name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = publishNotReady || isPodReady(pod);
    const terminating = !!pod.metadata?.deletionTimestamp;
    const hostname = hostnameFor(pod, svc);
    const endpoint: SliceEndpoint = {
      addresses: [pod.status!.podIP!],
      // "ready" is never true for a terminating pod unless publishNotReadyAddresses says so.
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(hostname ? { hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: targetRef(pod),
    };
    const key = canonicalJson(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    group.endpoints.push(endpoint);
    groups.set(key, group);
  }
  // A service without endpoints keeps one placeholder slice (no ports, no endpoints).
  return groups.size ? [...groups.values()] : [{ ports: null, endpoints: [] }];
}

/** The endpoints controller's subsets: ready pods in `addresses`, the others in `notReadyAddresses`, repacked by ports. */
export function desiredSubsets(svc: V1Service, pods: readonly V1Pod[]): V1EndpointSubset[] {
  const tolerateUnready = !!svc.spec?.publishNotReadyAddresses;
  const headless = svc.spec?.clusterIP === "None";
  const byPorts = new Map<string, V1EndpointSubset>();
  const add = (address: V1EndpointAddress, ready: boolean, ports: V1EndpointSubset["ports"]) => {
    const key = canonicalJson(ports ?? []);
    const subset = byPorts.get(key) ?? { ...(ports ? { ports } : {}) };
    const list = ready ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    if (!list.some((a) => a.ip === address.ip)) list.push(address);
    byPorts.set(key, subset);
  };
  for (const pod of selectedPods(svc, pods)) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const hostname = hostnameFor(pod, svc);
    const address: V1EndpointAddress = { ip: pod.status!.podIP!, ...(hostname ? { hostname } : {}), ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: targetRef(pod) };
    const ready = tolerateUnready || isPodReady(pod);
    if (!svc.spec?.ports?.length && headless) add(address, ready, undefined);
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      add(address, ready, [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }]);
    }
  }
  const subsets = [...byPorts.values()];
  for (const s of subsets) for (const list of [s.addresses, s.notReadyAddresses]) list?.sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip));
  return subsets;
}
