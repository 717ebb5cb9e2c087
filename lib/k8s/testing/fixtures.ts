import type {
  CoreV1Event,
  V1EndpointSlice,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodCondition,
  V1Service,
  V1StatefulSet,
} from "@kubernetes/client-node";
import type { ClusterInfo } from "../contract";

/**
 * Kubernetes objects as the browser receives them (timestamps as ISO strings after JSON), for
 * unit tests of lib/k8s and components. Times are milliseconds after T0.
 */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** The embedded cluster as the server describes it to the page (every capability, speed 1). */
export const embeddedCluster: ClusterInfo = {
  mode: "embedded",
  namespace: "default",
  context: "embedded",
  capabilities: { nodeFailure: true, faults: true, dnsServer: true, nodes: true, persistentVolumes: true },
  speed: 1,
  clock: { speed: 1, paused: false, clusterTime: 0, at: 0 },
  maxReplicas: 50,
};

export const at = (ms: number) => new Date(T0 + ms).toISOString() as unknown as Date;
const NS = "default";
let uidSeq = 0;
const uid = (prefix: string) => `${prefix}-${(++uidSeq).toString(16).padStart(8, "0")}`;
let rvSeq = 100;
const rv = () => String(++rvSeq);

export function statefulSet(replicas = 2, o: { name?: string; start?: number; templates?: string[]; uid?: string } = {}): V1StatefulSet {
  const name = o.name ?? "kubia";
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace: NS, uid: o.uid ?? `sts-${name}`, resourceVersion: rv(), creationTimestamp: at(0) },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      ...(o.start !== undefined ? { ordinals: { start: o.start } } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "luksa/kubia-pet" }] } },
      volumeClaimTemplates: (o.templates ?? ["data"]).map((t) => ({ metadata: { name: t }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } })),
    },
    status: { replicas, readyReplicas: replicas, currentReplicas: replicas, availableReplicas: replicas },
  };
}

export interface PodOptions {
  created?: number;
  sts?: string;
  node?: string;
  ip?: string;
  phase?: string;
  ready?: boolean;
  deleting?: { at: number; grace: number };
  claims?: string[];
  waiting?: string;
  terminated?: { reason?: string; exitCode: number; signal?: number };
  restarts?: number;
  reason?: string;
  conditions?: V1PodCondition[];
  uid?: string;
}

export function pod(name: string, o: PodOptions = {}): V1Pod {
  const sts = o.sts ?? name.replace(/-\d+$/, "");
  const ordinal = name.slice(sts.length + 1);
  const ready = o.ready ?? (o.phase ?? "Running") === "Running";
  const state = o.waiting
    ? { waiting: { reason: o.waiting } }
    : o.terminated
      ? { terminated: { ...o.terminated } }
      : (o.phase ?? "Running") === "Running"
        ? { running: { startedAt: at(o.created ?? 0) } }
        : undefined;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: NS,
      uid: o.uid ?? uid("pod"),
      resourceVersion: rv(),
      creationTimestamp: at(o.created ?? 0),
      labels: { app: sts, "apps.kubernetes.io/pod-index": ordinal },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: sts, uid: `sts-${sts}`, controller: true }],
      ...(o.deleting ? { deletionTimestamp: at(o.deleting.at + o.deleting.grace * 1000), deletionGracePeriodSeconds: o.deleting.grace } : {}),
    },
    spec: {
      hostname: name,
      subdomain: sts,
      ...(o.node ? { nodeName: o.node } : {}),
      containers: [{ name: sts, image: "luksa/kubia-pet" }],
      volumes: (o.claims ?? [`data-${name}`]).map((c) => ({ name: c.split("-")[0], persistentVolumeClaim: { claimName: c } })),
    },
    status: {
      phase: o.phase ?? "Running",
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.ip ? { podIP: o.ip } : {}),
      conditions: o.conditions ?? [
        { type: "PodScheduled", status: o.node ? "True" : "False" },
        { type: "Ready", status: ready ? "True" : "False" },
      ],
      containerStatuses: state
        ? [{ name: sts, image: "luksa/kubia-pet", imageID: "", ready, restartCount: o.restarts ?? 0, state }]
        : undefined,
    },
  };
}

export function pvc(name: string, o: { created?: number; phase?: string; volumeName?: string; deleting?: number; storageClass?: string; uid?: string } = {}): V1PersistentVolumeClaim {
  const phase = o.phase ?? "Bound";
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name,
      namespace: NS,
      uid: o.uid ?? uid("pvc"),
      resourceVersion: rv(),
      creationTimestamp: at(o.created ?? 0),
      labels: { app: "kubia" },
      ...(o.deleting !== undefined ? { deletionTimestamp: at(o.deleting) } : {}),
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Mi" } },
      storageClassName: o.storageClass ?? "standard",
      ...(phase === "Bound" || o.volumeName ? { volumeName: o.volumeName ?? `pvc-${name}` } : {}),
    },
    status: { phase, ...(phase === "Bound" ? { capacity: { storage: "1Mi" }, accessModes: ["ReadWriteOnce"] } : {}) },
  };
}

export function pv(claim: V1PersistentVolumeClaim): V1PersistentVolume {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: claim.spec!.volumeName ?? `pvc-${claim.metadata!.name}`, uid: uid("pv"), resourceVersion: rv() },
    spec: {
      capacity: { storage: "1Mi" },
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "standard",
      claimRef: { kind: "PersistentVolumeClaim", namespace: NS, name: claim.metadata!.name, uid: claim.metadata!.uid },
    },
    status: { phase: "Bound" },
  };
}

export function event(kind: string, name: string, reason: string, message: string, o: { at?: number; type?: string; uid?: string; count?: number } = {}): CoreV1Event {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${uid("ev")}`, namespace: NS, uid: uid("ev"), resourceVersion: rv() },
    involvedObject: { kind, name, namespace: NS, ...(o.uid ? { uid: o.uid } : {}) },
    reason,
    message,
    type: o.type ?? "Normal",
    count: o.count ?? 1,
    firstTimestamp: at(o.at ?? 0),
    lastTimestamp: at(o.at ?? 0),
  };
}

export function headlessService(name = "kubia"): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: NS, uid: uid("svc") },
    spec: { clusterIP: "None", clusterIPs: ["None"], selector: { app: name }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] },
  };
}

export function clusterIpService(name: string, ip: string, selector: Record<string, string> = { app: "kubia" }): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: NS, uid: uid("svc") },
    spec: { type: "ClusterIP", clusterIP: ip, clusterIPs: [ip], selector, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] },
  };
}

export function endpointSlice(service: string, endpoints: { ip: string; hostname?: string; ready?: boolean }[], ports = [{ name: "http", port: 8080, protocol: "TCP" }]): V1EndpointSlice {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${service}-abcde`, namespace: NS, labels: { "kubernetes.io/service-name": service }, uid: uid("eps"), resourceVersion: rv() },
    addressType: "IPv4",
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      ...(e.hostname ? { hostname: e.hostname } : {}),
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
    })),
    ports,
  };
}

export function node(name: string, o: { ready?: "True" | "False" | "Unknown"; taints?: { key: string; effect: string; value?: string }[]; unschedulable?: boolean; down?: boolean } = {}): V1Node {
  const ready = o.ready ?? "True";
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, uid: uid("node"), resourceVersion: rv(), ...(o.down ? { annotations: { "playground.k8s.io/down": "true" } } : {}) },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      conditions: [
        ready === "True"
          ? { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }
          : { type: "Ready", status: ready, reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." },
      ],
    },
  };
}
