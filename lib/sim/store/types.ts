import type {
  CoreV1Event,
  EventsV1Event,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1ControllerRevision,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Endpoints,
  V1Job,
  V1Lease,
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1ResourceQuota,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1SelfSubjectAccessReview,
  V1SelfSubjectRulesReview,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1StorageClass,
} from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { StoredObject } from "./contracts";

/**
 * The client-node type of every resource of the embedded cluster, by store key (`resourceKey` of
 * resources.ts; store.test.ts proves the two lists agree). The store's methods take and return
 * these types from the resource name alone, so no caller casts what it reads or writes.
 */
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
  resourcequotas: V1ResourceQuota;
  serviceaccounts: V1ServiceAccount;
  secrets: V1Secret;
  "statefulsets.apps": V1StatefulSet;
  "deployments.apps": V1Deployment;
  "replicasets.apps": V1ReplicaSet;
  "daemonsets.apps": V1DaemonSet;
  "controllerrevisions.apps": V1ControllerRevision;
  "jobs.batch": V1Job;
  "roles.rbac.authorization.k8s.io": V1Role;
  "rolebindings.rbac.authorization.k8s.io": V1RoleBinding;
  "clusterroles.rbac.authorization.k8s.io": V1ClusterRole;
  "clusterrolebindings.rbac.authorization.k8s.io": V1ClusterRoleBinding;
  "selfsubjectaccessreviews.authorization.k8s.io": V1SelfSubjectAccessReview;
  "selfsubjectrulesreviews.authorization.k8s.io": V1SelfSubjectRulesReview;
  "endpointslices.discovery.k8s.io": V1EndpointSlice;
  "storageclasses.storage.k8s.io": V1StorageClass;
  "events.events.k8s.io": EventsV1Event;
  "leases.coordination.k8s.io": V1Lease;
}

export type ResourceKey = keyof ResourceTypes;

/** What a write takes: the resource's client-node type (a key the map does not know takes any Kubernetes object). */
export type Input<R extends string> = R extends ResourceKey ? ResourceTypes[R] : KubernetesObject;

/**
 * Narrows an object of a resource chosen at run time (quota admission, the garbage collector)
 * once its store key is known: the key decides the type, as it does for the store's methods.
 */
export function isOf<R extends ResourceKey>(resource: string, key: R | readonly R[], obj: StoredObject): obj is Stored<R> {
  return !!obj && (typeof key === "string" ? resource === key : (key as readonly string[]).includes(resource));
}

/**
 * What the store hands out for a resource: its client-node type and a StoredObject at once
 * (metadata always present), so readers need no cast and writers can pass it back.
 */
export type Stored<R extends string> = (R extends ResourceKey ? ResourceTypes[R] : unknown) & StoredObject;
