import type { V1Endpoints, V1EndpointSlice, V1Namespace, V1Node, V1Service, V1ServiceAccount, V1StorageClass } from "@kubernetes/client-node";
import { demoObjects } from "../k8s/demo";
import { SERVER_VERSION } from "./api/discovery";
import type { SimContext } from "./context";
import type { StoredObject } from "./store/store";
import { timeField } from "../k8s/time";
import { CLUSTER_DNS_IP, KUBERNETES_SERVICE_IP } from "../k8s/dns";
import { SERVICE_NAME_LABEL } from "../k8s/wellknown";

/**
 * What a fresh kubeadm-style cluster has before anyone uses it (namespaces, nodes, the default
 * StorageClass, the `kubernetes` and `kube-dns` Services, default ServiceAccounts), plus the book's
 * kubia demo once. Idempotent and safe on every start with persisted state: it never modifies an
 * existing object. What a real cluster restores by itself (system namespaces and the `kubernetes`
 * Service via the API server, nodes via their kubelets, ServiceAccounts via their controller) is
 * recreated when missing; the add-on StorageClass and the demo are installed only once, so
 * deleting them is not undone by a restart.
 */

export const DEMO_SEEDED_ANNOTATION = "playground.k8s.io/demo-seeded";
/** On kube-system: the one-time add-ons (the StorageClass) were installed; deleting them later sticks. */
export const ADDONS_ANNOTATION = "playground.k8s.io/addons-installed";
/** The default cluster size (PLAYGROUND_NODES): three workers, as in the book's examples. */
export const DEFAULT_NODE_COUNT = 3;
/** More nodes than this would run out of /24 pod CIDRs under 10.1.0.0/16 and InternalIPs in 192.168.57.0/24. */
export const MAX_NODE_COUNT = 150;
/** k8s-node1 … k8s-nodeN. */
export function nodeNames(count = DEFAULT_NODE_COUNT): string[] {
  return Array.from({ length: count }, (_, i) => `k8s-node${i + 1}`);
}

const NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
/** Same release as the API server (SERVER_VERSION), as on a cluster kept up to date. */
const KUBELET_VERSION = SERVER_VERSION.gitVersion;


function createIfAbsent(ctx: SimContext, resource: string, obj: object): boolean {
  const o = obj as StoredObject;
  if (ctx.store.tryGet(resource, o.metadata.namespace, o.metadata.name!)) return false;
  ctx.store.create(resource, o);
  return true;
}

export function nodeObject(name: string, index: number, now: number): V1Node {
  const t = timeField(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: t });
  const resources = { cpu: "2", memory: "4025836Ki", pods: "110", "ephemeral-storage": "64989720Ki", "hugepages-2Mi": "0" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: { podCIDR: `10.1.${index}.0/24`, podCIDRs: [`10.1.${index}.0/24`] },
    status: {
      capacity: resources,
      allocatable: { ...resources, memory: "3923436Ki", "ephemeral-storage": "59894525853" },
      conditions: [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      addresses: [
        { type: "InternalIP", address: `192.168.57.${100 + index}` },
        { type: "Hostname", address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `${index}`.padStart(32, "0"),
        systemUUID: `00000000-0000-0000-0000-${`${index}`.padStart(12, "0")}`,
        bootID: `00000000-0000-0000-0000-${`${100 + index}`.padStart(12, "0")}`,
        kernelVersion: "6.1.0-28-amd64",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        containerRuntimeVersion: "containerd://1.7.24",
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

function storageClass(): V1StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "playground.k8s.io/hostpath",
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
  };
}

/**
 * The API server's own Service, Endpoints and EndpointSlice (selectorless: the API server's
 * endpoint reconciler maintains them, not the endpoints controllers).
 */
function kubernetesService(): [V1Service, V1Endpoints, V1EndpointSlice] {
  const labels = { component: "apiserver", provider: "kubernetes" };
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels },
      spec: { type: "ClusterIP", clusterIP: KUBERNETES_SERVICE_IP, clusterIPs: [KUBERNETES_SERVICE_IP], ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }] },
    },
    {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
      subsets: [{ addresses: [{ ip: "192.168.57.101" }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }],
    },
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "kubernetes", namespace: "default", labels: { [SERVICE_NAME_LABEL]: "kubernetes" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["192.168.57.101"], conditions: { ready: true } }],
      ports: [{ name: "https", port: 6443, protocol: "TCP" }],
    },
  ];
}

function kubeDnsService(): V1Service {
  const labels = { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" };
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "kube-dns", namespace: "kube-system", labels, annotations: { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" } },
    spec: {
      type: "ClusterIP",
      clusterIP: CLUSTER_DNS_IP,
      clusterIPs: [CLUSTER_DNS_IP],
      selector: { "k8s-app": "kube-dns" },
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
      ],
    },
  };
}

/** Runs `install` unless the namespace's annotation says it ran before, then sets the annotation. */
function once(ctx: SimContext, namespace: string, annotation: string, install: () => void): void {
  const ns = ctx.store.get("namespaces", undefined, namespace);
  if (ns.metadata.annotations?.[annotation]) return;
  install();
  const latest = ctx.store.get("namespaces", undefined, namespace);
  const annotations = { ...(latest.metadata.annotations ?? {}), [annotation]: "true" };
  ctx.store.update("namespaces", { ...latest, metadata: { ...latest.metadata, annotations } });
}

/** The demo: Services `kubia`, `kubia-public` and StatefulSet `kubia`. */
function seedDemo(ctx: SimContext): void {
  const demo = demoObjects("default");
  for (const svc of demo.services) createIfAbsent(ctx, "services", svc);
  createIfAbsent(ctx, "statefulsets.apps", demo.statefulSet);
}

export function bootstrapCluster(ctx: SimContext, opts: { seedDemo: boolean; nodes?: number }): void {
  for (const name of NAMESPACES) {
    createIfAbsent(ctx, "namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } } satisfies V1Namespace);
  }
  nodeNames(opts.nodes).forEach((name, i) => createIfAbsent(ctx, "nodes", nodeObject(name, i + 1, ctx.clock.now())));
  once(ctx, "kube-system", ADDONS_ANNOTATION, () => createIfAbsent(ctx, "storageclasses.storage.k8s.io", storageClass()));
  const [svc, endpoints, slice] = kubernetesService();
  createIfAbsent(ctx, "services", svc);
  createIfAbsent(ctx, "endpoints", endpoints);
  createIfAbsent(ctx, "endpointslices.discovery.k8s.io", slice);
  createIfAbsent(ctx, "services", kubeDnsService());
  for (const namespace of NAMESPACES) {
    createIfAbsent(ctx, "serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } } satisfies V1ServiceAccount);
  }
  if (opts.seedDemo) once(ctx, "default", DEMO_SEEDED_ANNOTATION, () => seedDemo(ctx));
}
