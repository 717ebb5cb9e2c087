import type { V1Container, V1PersistentVolumeClaim, V1Pod, V1Volume } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { createTestContext } from "../../testing/context";
import { createPodLogs } from "../logs";
import { createVolumeData } from "../volumes";

/** A test context whose volumes and logs are the real implementations of this folder. */
export function kubiaContext(speed = 1) {
  const ctx = createTestContext({ speed });
  ctx.volumes = createVolumeData();
  ctx.logs = createPodLogs({ clock: ctx.clock });
  for (const node of ["k8s-node1", "k8s-node2"]) {
    ctx.store.create("nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: node },
      status: { addresses: [{ type: "InternalIP", address: node === "k8s-node1" ? "192.168.57.101" : "192.168.57.102" }] },
    });
  }
  return ctx;
}

export function boundClaim(ctx: SimContext, name: string, pvName: string | undefined): void {
  const pvc: V1PersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "default" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } }, volumeName: pvName },
    status: { phase: pvName ? "Bound" : "Pending" },
  };
  ctx.store.create("persistentvolumeclaims", pvc);
}

export interface PodFixture {
  name: string;
  ip?: string;
  node?: string;
  image?: string;
  running?: boolean;
  /** The volume mounted at /var/data: a claim name, "emptyDir", or none. */
  data?: string | "emptyDir";
  readOnly?: boolean;
  ports?: number[];
}

/** A pod of the book's StatefulSet as the kubelet reports it once its container runs. */
export function runningPod(ctx: SimContext, f: PodFixture): V1Pod {
  const volumes: V1Volume[] = [];
  const container: V1Container = {
    name: "kubia",
    image: f.image ?? "luksa/kubia-pet",
    ports: (f.ports ?? [8080]).map((p) => ({ name: "http", containerPort: p, protocol: "TCP" })),
  };
  if (f.data) {
    volumes.push(f.data === "emptyDir" ? { name: "data", emptyDir: {} } : { name: "data", persistentVolumeClaim: { claimName: f.data } });
    container.volumeMounts = [{ name: "data", mountPath: "/var/data", readOnly: f.readOnly }];
  }
  const pod: V1Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: f.name, namespace: "default", labels: { app: "kubia" } },
    spec: { hostname: f.name, subdomain: "kubia", nodeName: f.node ?? "k8s-node2", containers: [container], volumes },
    status: {
      phase: "Running",
      podIP: f.ip,
      podIPs: f.ip ? [{ ip: f.ip }] : undefined,
      containerStatuses: [
        {
          name: "kubia",
          image: container.image!,
          imageID: "",
          ready: f.running !== false,
          restartCount: 0,
          state: f.running === false ? { waiting: { reason: "ContainerCreating" } } : { running: { startedAt: new Date(0) } },
        },
      ],
    },
  };
  const stored = ctx.store.create("pods", pod);
  // The pod registry resets status on create (as the API server does); the kubelet then reports it.
  stored.status = pod.status;
  return ctx.store.update("pods", stored, { subresource: "status" });
}

export const request = (method = "GET", body = "", path = "/") => ({ method, path, query: "", headers: {}, body: Buffer.from(body) });
