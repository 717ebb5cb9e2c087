import { NODE_DOWN_ANNOTATION } from "../../../k8s/wellknown";
import type { Stored } from "../../store/types";
import type { V1Container, V1Node, V1PersistentVolumeClaim, V1Pod, V1Service, V1Taint } from "@kubernetes/client-node";
import type { SimContext } from "../../context";

/** Hand-made objects for the controllers' unit tests (what bootstrap and the API layer would create). */

export function addNode(ctx: SimContext, name: string, opts: { podCIDR?: string; ip?: string; taints?: V1Taint[]; ready?: boolean; maxPods?: number } = {}) {
  const index = Number(/(\d+)$/.exec(name)?.[1] ?? 1);
  const node: V1Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux" } },
    spec: { podCIDR: opts.podCIDR ?? `10.1.${index}.0/24`, podCIDRs: [opts.podCIDR ?? `10.1.${index}.0/24`], taints: opts.taints },
    status: {
      allocatable: { cpu: "2", memory: "3923436Ki", pods: String(opts.maxPods ?? 110) },
      addresses: [
        { type: "InternalIP", address: opts.ip ?? `192.168.57.${100 + index}` },
        { type: "Hostname", address: name },
      ],
      conditions: opts.ready === false ? [] : [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
    },
  };
  return ctx.store.create("nodes", node);
}

export function addStorageClass(ctx: SimContext, name = "standard", opts: { isDefault?: boolean; provisioner?: string; reclaimPolicy?: string } = {}) {
  return ctx.store.create("storageclasses.storage.k8s.io", {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name, annotations: opts.isDefault === false ? {} : { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: opts.provisioner ?? "playground.k8s.io/hostpath",
    reclaimPolicy: opts.reclaimPolicy ?? "Delete",
    volumeBindingMode: "Immediate",
  });
}

export function addPvc(ctx: SimContext, name: string, opts: { storageClassName?: string | null; storage?: string; namespace?: string; volumeName?: string } = {}) {
  const pvc: V1PersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: opts.namespace ?? "default", labels: { app: "kubia" } },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: opts.storage ?? "1Mi" } },
      ...(opts.storageClassName === null ? {} : { storageClassName: opts.storageClassName ?? "standard" }),
      ...(opts.volumeName ? { volumeName: opts.volumeName } : {}),
      volumeMode: "Filesystem",
    },
    status: { phase: "Pending" },
  };
  return ctx.store.create("persistentvolumeclaims", pvc);
}

export interface PodOptions {
  namespace?: string;
  claims?: string[];
  image?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  hostname?: string;
  subdomain?: string;
  grace?: number;
  readinessDelaySeconds?: number;
  containers?: V1Container[];
}

export function podManifest(name: string, opts: PodOptions = {}): V1Pod {
  const container: V1Container = {
    name: "kubia",
    image: opts.image ?? "luksa/kubia-pet",
    ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
    volumeMounts: (opts.claims ?? []).map((c, i) => ({ name: `vol${i}`, mountPath: `/var/data${i || ""}` })),
    ...(opts.readinessDelaySeconds !== undefined ? { readinessProbe: { httpGet: { path: "/", port: 8080 }, initialDelaySeconds: opts.readinessDelaySeconds } } : {}),
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: opts.namespace ?? "default", labels: opts.labels ?? { app: "kubia" } },
    spec: {
      containers: opts.containers ?? [container],
      volumes: (opts.claims ?? []).map((c, i) => ({ name: `vol${i}`, persistentVolumeClaim: { claimName: c } })),
      nodeName: opts.nodeName,
      hostname: opts.hostname,
      subdomain: opts.subdomain,
      terminationGracePeriodSeconds: opts.grace,
    },
  };
}

export function addPod(ctx: SimContext, name: string, opts: PodOptions = {}): Stored<"pods"> {
  return ctx.store.create("pods", podManifest(name, opts));
}

export function addService(ctx: SimContext, name: string, spec: V1Service["spec"], namespace = "default"): Stored<"services"> {
  return ctx.store.create("services", { apiVersion: "v1", kind: "Service", metadata: { name, namespace, labels: { app: "kubia" } }, spec });
}

export function getPod(ctx: SimContext, name: string, namespace = "default"): V1Pod | undefined {
  return ctx.store.tryGet("pods", namespace, name);
}

/**
 * Events about the object named `name` in the order they were first recorded (replayed from the
 * store's watch history), as "Reason: message" lines with the count when > 1.
 */
export function eventsFor(ctx: SimContext, name: string, namespace = "default"): string[] {
  const order: string[] = [];
  ctx.store.watch("events", { namespace, resourceVersion: "1" }, (type, e) => {
    if (type === "ADDED") order.push(e.metadata.uid!);
  })();
  const byUid = new Map(ctx.store.list("events", { namespace }).items.map((e) => [e.metadata.uid!, e]));
  return order
    .map((uid) => byUid.get(uid))
    .filter((e) => !!e && e.involvedObject.name === name)
    .map((e) => e!)
    .map((e) => `${e.reason}: ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ""}`);
}

export function condition(pod: V1Pod | undefined, type: string): string | undefined {
  return pod?.status?.conditions?.find((c) => c.type === type)?.status;
}

/** Takes a node down or brings it back, as the dashboard's fail/recover does (the `playground.k8s.io/down` annotation). */
export function setNodeDown(ctx: SimContext, node: string, down: boolean): void {
  const n = ctx.store.get("nodes", undefined, node);
  const annotations = { ...(n.metadata.annotations ?? {}) };
  if (down) annotations[NODE_DOWN_ANNOTATION] = "true";
  else delete annotations[NODE_DOWN_ANNOTATION];
  ctx.store.update("nodes", { ...n, metadata: { ...n.metadata, annotations } });
}

/** Lets promises in flight (probes, exec'd processes) finish and the work queues they fed drain. */
export async function settle(ctx: { clock: { advance(ms: number): void } }): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    ctx.clock.advance(0);
  }
}

/**
 * Advances the clock `ms` in steps of `stepMs`, settling after each: asynchronous work (a probe)
 * started by a timer finishes before the next timers fire, as it would in real time.
 */
export async function advanceSettled(ctx: { clock: { advance(ms: number): void } }, ms: number, stepMs = 100): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    ctx.clock.advance(Math.min(stepMs, ms - done));
    await settle(ctx);
  }
}
