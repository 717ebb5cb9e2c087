/** The resource types the embedded cluster serves, as discovery lists them. */
export interface ResourceType {
  group: string; // "" for the core group
  version: string;
  resource: string; // plural, lower case: "pods"
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
  subresources?: string[];
  categories?: string[];
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function rt(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return { group, version, resource, kind, singular: kind.toLowerCase(), namespaced, verbs: ALL_VERBS, ...extra };
}

export const RESOURCES: ResourceType[] = [
  rt("", "v1", "namespaces", "Namespace", false, { shortNames: ["ns"], subresources: ["status"] }),
  rt("", "v1", "nodes", "Node", false, { shortNames: ["no"], subresources: ["status", "proxy"] }),
  rt("", "v1", "pods", "Pod", true, { shortNames: ["po"], subresources: ["status", "log", "proxy", "eviction", "binding", "ephemeralcontainers"], categories: ["all"] }),
  rt("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, { shortNames: ["pvc"], subresources: ["status"] }),
  rt("", "v1", "persistentvolumes", "PersistentVolume", false, { shortNames: ["pv"], subresources: ["status"] }),
  rt("", "v1", "services", "Service", true, { shortNames: ["svc"], subresources: ["status", "proxy"], categories: ["all"] }),
  rt("", "v1", "endpoints", "Endpoints", true, { shortNames: ["ep"], singular: "endpoints" }),
  rt("", "v1", "events", "Event", true, { shortNames: ["ev"] }),
  rt("", "v1", "configmaps", "ConfigMap", true, { shortNames: ["cm"] }),
  rt("", "v1", "resourcequotas", "ResourceQuota", true, { shortNames: ["quota"], subresources: ["status"] }),
  rt("", "v1", "serviceaccounts", "ServiceAccount", true, { shortNames: ["sa"] }),
  rt("apps", "v1", "statefulsets", "StatefulSet", true, { shortNames: ["sts"], subresources: ["status", "scale"], categories: ["all"] }),
  rt("", "v1", "secrets", "Secret", true),
  rt("apps", "v1", "deployments", "Deployment", true, { shortNames: ["deploy"], subresources: ["status", "scale"], categories: ["all"] }),
  rt("apps", "v1", "replicasets", "ReplicaSet", true, { shortNames: ["rs"], subresources: ["status", "scale"], categories: ["all"] }),
  rt("apps", "v1", "daemonsets", "DaemonSet", true, { shortNames: ["ds"], subresources: ["status"], categories: ["all"] }),
  rt("apps", "v1", "controllerrevisions", "ControllerRevision", true),
  rt("batch", "v1", "jobs", "Job", true, { subresources: ["status"], categories: ["all"] }),
  rt("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
  rt("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
  rt("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
  rt("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
  // Reviews are never stored: a create is answered with the decision (see api/resources/reviews.ts).
  rt("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, { verbs: ["create"] }),
  rt("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false, { verbs: ["create"] }),
  rt("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
  rt("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, { shortNames: ["sc"] }),
  rt("events.k8s.io", "v1", "events", "Event", true, { shortNames: ["ev"] }),
  rt("coordination.k8s.io", "v1", "leases", "Lease", true),
];

/** Key used by the store: "pods", "statefulsets.apps", "events.events.k8s.io". */
export function resourceKey(r: Pick<ResourceType, "group" | "resource">): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function findResource(group: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.resource === resource);
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
