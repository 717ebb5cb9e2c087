import type {
  CoreV1Event,
  EventsV1Event,
  V1ConfigMap,
  V1ControllerRevision,
  V1EndpointSlice,
  V1Endpoints,
  V1Lease,
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1StorageClass,
} from "@kubernetes/client-node";
import type { StoredObject } from "./store";

/** The client-node type of each resource of the embedded cluster, by store key (see resources.ts). */
export interface ResourceTypes {
  namespaces: V1Namespace;
  nodes: V1Node;
  pods: V1Pod;
  persistentvolumeclaims: V1PersistentVolumeClaim;
  persistentvolumes: V1PersistentVolume;
  services: V1Service;
  endpoints: V1Endpoints;
  events: CoreV1Event;
  configmaps: V1ConfigMap;
  serviceaccounts: V1ServiceAccount;
  "statefulsets.apps": V1StatefulSet;
  "controllerrevisions.apps": V1ControllerRevision;
  "endpointslices.discovery.k8s.io": V1EndpointSlice;
  "storageclasses.storage.k8s.io": V1StorageClass;
  "events.events.k8s.io": EventsV1Event;
  "leases.coordination.k8s.io": V1Lease;
}

/**
 * What the store hands out for a resource: its client-node type and a StoredObject at once
 * (metadata always present), so readers need no `as unknown as` cast and writers can pass it back.
 */
export type Stored<R extends string> = (R extends keyof ResourceTypes ? ResourceTypes[R] : unknown) & StoredObject;
