import type {
  CoreV1Event,
  V1EndpointSlice,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from "@kubernetes/client-node";
import type { SpeedState } from "./speed";
import type { ReadinessProbeSetting } from "./readiness";

/**
 * The wire contract between the dashboard's server routes (app/api, lib/kube) and the browser
 * (components/). Isomorphic: type-only imports of Kubernetes types, no runtime dependencies.
 */

/** The resource kinds the server watches (one shared informer each) and streams to browsers. */
export const WATCHED_KINDS = [
  "statefulsets",
  "pods",
  "persistentvolumeclaims",
  "persistentvolumes",
  "services",
  "endpointslices",
  "events",
  "nodes",
] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];

export interface KindObjects {
  statefulsets: V1StatefulSet;
  pods: V1Pod;
  persistentvolumeclaims: V1PersistentVolumeClaim;
  persistentvolumes: V1PersistentVolume;
  services: V1Service;
  endpointslices: V1EndpointSlice;
  events: CoreV1Event;
  nodes: V1Node;
}

export type ObjectsByKind = { [K in WatchedKind]: KindObjects[K][] };

export interface Capabilities {
  /** Fail / recover a node (embedded cluster only). */
  nodeFailure: boolean;
  /** The book's failures on demand (no storage, a missing image, a broken pod network; embedded cluster only). */
  faults: boolean;
  /** Records come from a real DNS server (embedded) rather than derived from EndpointSlices. */
  dnsServer: boolean;
  /** Cluster-scoped kinds the credentials may read (real clusters may forbid nodes / PVs). */
  nodes: boolean;
  persistentVolumes: boolean;
}

export interface ClusterInfo {
  mode: "embedded" | "real";
  namespace: string;
  /** kubeconfig context name (real) or "embedded"; never a credential or server secret. */
  context: string;
  capabilities: Capabilities;
  /** Simulated-time speed factor of the embedded cluster (1 on a real cluster); kept while paused. */
  speed: number;
  /** The cluster's clock (speed, pause, and its time at a wall-clock moment), for countdowns in cluster time. */
  clock: SpeedState;
  /** Max replicas the dashboard accepts (PLAYGROUND_MAX_REPLICAS). */
  maxReplicas: number;
}

/**
 * GET /api/contexts: the kubeconfig's context NAMES (never a server or credential), the one in
 * use, and whether another can be chosen (real cluster with a kubeconfig). POST /api/contexts
 * { context } switches explicitly; the namespace is the same in every context.
 */
export interface ContextList {
  current: string;
  contexts: string[];
  switchable: boolean;
  namespace: string;
}

/** Per-kind watch health as the server sees it. */
export interface KindStatus {
  synced: boolean;
  error?: string;
}

/** GET /api/snapshot */
export interface Snapshot {
  cluster: ClusterInfo;
  objects: ObjectsByKind;
  status: Record<WatchedKind, KindStatus>;
  /** The stream event id this snapshot corresponds to; resume the stream after it. */
  eventId: number;
  /** Dashboard actions (newest first), also part of the event timeline. */
  actions: ActionRecord[];
}

/**
 * GET /api/stream (Server-Sent Events). Every message has an `id:` (monotonic per server
 * process) so EventSource resumes with Last-Event-ID. Event names and their JSON data:
 * - `change`: StreamChange — one watch event applied to the server's cache.
 * - `changes`: StreamChange[] — consecutive changes sent as one frame (CHANGES_EVENT): n changes
 *   with the ids id−n+1 … id, where id is the frame's. A lone change is sent as `change`.
 * - `snapshot`: Snapshot — sent first, and again whenever the client cannot be resumed
 *   (Last-Event-ID too old or from another server process) or after a relist.
 * - `status`: StreamStatus — connection health of the server's watches.
 * - `action`: ActionRecord — something the dashboard did (for the timeline and console strip).
 * - `cluster`: ClusterInfo — the cluster's description changed (a new speed, pause or resume).
 */
export const CHANGES_EVENT = "changes";

export type StreamChange = {
  [K in WatchedKind]: { kind: K; type: "ADDED" | "MODIFIED" | "DELETED"; object: KindObjects[K] };
}[WatchedKind];

export interface StreamStatus {
  /** All watches synced and the API server reachable. */
  connected: boolean;
  kinds: Record<WatchedKind, KindStatus>;
}

/** One thing the dashboard did, with the kubectl command that does the same. */
export interface ActionRecord {
  id: string;
  at: string; // ISO time (the dashboard's wall clock)
  /**
   * The cluster's time when the action was done (ISO): the embedded cluster's clock runs at its
   * speed and stands still while paused, so it cannot be derived from `at` later. Events carry
   * cluster time; the timeline orders actions among them by this.
   */
  clusterAt?: string;
  action: string; // "scale", "delete-pod", "force-delete-pod", "delete-pvc", "fail-node", ...
  target: string; // "statefulset/kubia", "pod/kubia-1"
  kubectl: string;
  ok: boolean;
  message?: string;
}

/** Every error body of the dashboard's routes. Kubernetes errors keep their reason and message. */
export interface ApiError {
  error: {
    status: number;
    reason: string; // Kubernetes reason ("NotFound", "Conflict", ...) or "BadRequest", "Forbidden", ...
    message: string;
    field?: string;
  };
}

/** POST /api/statefulsets/{name}/scale  body ScaleRequest → ActionResponse */
export interface ScaleRequest {
  replicas: number;
}

/** DELETE /api/pods/{name}  body DeletePodRequest → ActionResponse (force = grace period 0) */
export interface DeletePodRequest {
  force?: boolean;
  gracePeriodSeconds?: number;
  /**
   * The uid of the pod the user saw. Sent as a delete precondition, so a pod that was replaced
   * meanwhile (same name, new uid) is not deleted by mistake: the API server answers 409 Conflict.
   */
  uid?: string;
}

/** POST /api/statefulsets/{name}/settings: exactly one lesson change (image allow-listed, see lib/kube/validation.ts). */
export type StatefulSetSettings = { image: string } | { partition: number } | { whenScaled: "Retain" | "Delete" } | { readinessProbe: ReadinessProbeSetting };

/** POST /api/pods/{name}/readiness → ActionResponse: `kubectl exec` removes (ready) or creates (not ready) the readiness lesson's file. */
export interface PodReadinessRequest {
  ready: boolean;
}

export interface ActionResponse {
  action: ActionRecord;
}

/** GET/POST /api/pods/{name}/data → the kubia app through the API server's pod proxy. POST body: { data: string } */
export interface PodDataResponse {
  pod: string;
  status: number;
  body: string;
}

/** GET /api/dns?statefulset=name */
export interface DnsRecord {
  name: string;
  type: "A" | "SRV";
  ttl: number;
  /** A: the IP; SRV: "priority weight port target" as dig prints it. */
  data: string;
}

export interface DnsResponse {
  source: "dns-server" | "derived";
  /** The headless service governing the StatefulSet, and a ClusterIP service selecting the same pods. */
  headlessService?: string;
  clusterIpService?: { name: string; clusterIP: string };
  records: DnsRecord[];
  /** The dig command that prints the SRV records. */
  dig: string;
}

/** GET /api/faults, PUT /api/faults (embedded only) */
export interface FaultsState {
  storageUnavailable: boolean;
  missingImages: string[];
  brokenPodNetwork: boolean;
}
