import "server-only";
import { Watch, type KubeConfig } from "@kubernetes/client-node";
import type { KindObjects, WatchedKind } from "@/lib/k8s/contract";
import type { ListResult, ListWatchSource } from "./informer";
import { kubeJson } from "./request";

/** Where each watched kind lives in the API. Cluster-scoped kinds ignore the namespace. */
const KIND_PATHS: Record<WatchedKind, { prefix: string; resource: string; clusterScoped?: boolean }> = {
  statefulsets: { prefix: "/apis/apps/v1", resource: "statefulsets" },
  pods: { prefix: "/api/v1", resource: "pods" },
  persistentvolumeclaims: { prefix: "/api/v1", resource: "persistentvolumeclaims" },
  persistentvolumes: { prefix: "/api/v1", resource: "persistentvolumes", clusterScoped: true },
  services: { prefix: "/api/v1", resource: "services" },
  endpointslices: { prefix: "/apis/discovery.k8s.io/v1", resource: "endpointslices" },
  events: { prefix: "/api/v1", resource: "events" },
  nodes: { prefix: "/api/v1", resource: "nodes", clusterScoped: true },
};

export function isClusterScoped(kind: WatchedKind): boolean {
  return KIND_PATHS[kind].clusterScoped === true;
}

export function kindPath(kind: WatchedKind, namespace: string): string {
  const { prefix, resource, clusterScoped } = KIND_PATHS[kind];
  return clusterScoped ? `${prefix}/${resource}` : `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** Server-side watch timeout: the API server ends the watch cleanly and we re-watch (as client-go does, jittered). */
function watchTimeoutSeconds(): number {
  return 240 + Math.floor(Math.random() * 120);
}

/** List (raw JSON, same shape as watch events) and watch one kind through the API server. */
export function kubeSource<K extends WatchedKind>(kc: KubeConfig, kind: K, namespace: string): ListWatchSource<KindObjects[K]> {
  const path = kindPath(kind, namespace);
  const watcher = new Watch(kc);
  return {
    async list(): Promise<ListResult<KindObjects[K]>> {
      const list = await kubeJson<{ items?: KindObjects[K][]; metadata?: { resourceVersion?: string } }>(kc, { path, timeoutMs: 30_000 });
      return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? "" };
    },
    async watch(resourceVersion, onEvent, onDone) {
      const controller = await watcher.watch(
        path,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: watchTimeoutSeconds() },
        (type, object) => onEvent({ type, object }),
        onDone,
      );
      return () => controller.abort();
    },
  };
}
