import type { V1Service, V1StatefulSet } from "@kubernetes/client-node";

/**
 * The book's example (Kubernetes in Action, ch. 10): a headless Service `kubia` that governs the
 * StatefulSet, a ClusterIP Service `kubia-public`, and StatefulSet `kubia` with one PVC per pod.
 */
export function demoObjects(namespace: string): { services: V1Service[]; statefulSet: V1StatefulSet } {
  const labels = { app: "kubia" };
  return {
    services: [
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "kubia", namespace, labels },
        // As in the book (whose dig output shows `0 50 80`): no targetPort, so it defaults to 80.
        spec: { clusterIP: "None", selector: labels, ports: [{ name: "http", port: 80, protocol: "TCP" }] },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "kubia-public", namespace, labels },
        spec: { type: "ClusterIP", selector: labels, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
      },
    ],
    statefulSet: {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "kubia", namespace, labels },
      spec: {
        serviceName: "kubia",
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "kubia",
                image: "luksa/kubia-pet",
                ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
                volumeMounts: [{ name: "data", mountPath: "/var/data" }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } },
          },
        ],
      },
    },
  };
}

/** The lesson on ordering's comparison set: the demo's StatefulSet with podManagementPolicy Parallel (its own labels, the same headless Service). */
export const PARALLEL_DEMO_NAME = "kubia-parallel";

export function parallelDemoStatefulSet(namespace: string): V1StatefulSet {
  const { statefulSet } = demoObjects(namespace);
  const labels = { app: PARALLEL_DEMO_NAME };
  return {
    ...statefulSet,
    metadata: { name: PARALLEL_DEMO_NAME, namespace, labels },
    spec: {
      ...statefulSet.spec!,
      replicas: 3,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: labels },
      template: { ...statefulSet.spec!.template, metadata: { labels } },
    },
  };
}

/** The images the dashboard may switch the demo to: the book's app and its peer-discovering version. */
export const KUBIA_IMAGES = ["luksa/kubia-pet", "luksa/kubia-pet-peers"] as const;
