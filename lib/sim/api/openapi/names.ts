/**
 * Kubernetes OpenAPI definition names (`io.k8s.api.apps.v1.StatefulSetSpec`) for the model classes
 * of @kubernetes/client-node (`V1StatefulSetSpec`). The generator drops the package: a class is
 * `V1` + the type's name, or `CoreV1`/`DiscoveryV1`/`EventsV1` + the name where two packages
 * define the same type. So the packages of the `V1` classes outside core/v1 are listed here: those
 * the served kinds reach (checked against a v1.36 apiserver's /openapi/v2 definitions).
 */

export const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const PATCH = `${META}.Patch`;
export const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
export const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
export const RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

const CORE = "io.k8s.api.core.v1";

/** Classes named with their group's prefix because another group has a type of the same name. */
const PREFIXED_PACKAGES: Record<string, string> = {
  CoreV1: CORE,
  DiscoveryV1: "io.k8s.api.discovery.v1",
  EventsV1: "io.k8s.api.events.v1",
  RbacV1: "io.k8s.api.rbac.v1",
};

/** `V1` classes whose type lives outside core/v1, by package. */
const V1_PACKAGES: Record<string, string[]> = {
  [META]: ["Condition", "FieldSelectorRequirement", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ManagedFieldsEntry", "ObjectMeta", "OwnerReference"],
  "io.k8s.api.apps.v1": [
    "ControllerRevision",
    "ControllerRevisionList",
    ...["DaemonSet", "DaemonSetCondition", "DaemonSetList", "DaemonSetSpec", "DaemonSetStatus", "DaemonSetUpdateStrategy", "RollingUpdateDaemonSet"],
    ...["Deployment", "DeploymentCondition", "DeploymentList", "DeploymentSpec", "DeploymentStatus", "DeploymentStrategy", "RollingUpdateDeployment"],
    ...["ReplicaSet", "ReplicaSetCondition", "ReplicaSetList", "ReplicaSetSpec", "ReplicaSetStatus"],
    "RollingUpdateStatefulSetStrategy",
    "StatefulSet",
    "StatefulSetCondition",
    "StatefulSetList",
    "StatefulSetOrdinals",
    "StatefulSetPersistentVolumeClaimRetentionPolicy",
    "StatefulSetSpec",
    "StatefulSetStatus",
    "StatefulSetUpdateStrategy",
  ],
  "io.k8s.api.authorization.v1": [
    ...["FieldSelectorAttributes", "LabelSelectorAttributes", "NonResourceAttributes", "NonResourceRule", "ResourceAttributes", "ResourceRule"],
    ...["SelfSubjectAccessReview", "SelfSubjectAccessReviewSpec", "SelfSubjectRulesReview", "SelfSubjectRulesReviewSpec", "SubjectAccessReviewStatus", "SubjectRulesReviewStatus"],
  ],
  "io.k8s.api.autoscaling.v1": ["Scale", "ScaleSpec", "ScaleStatus"],
  "io.k8s.api.batch.v1": [
    ...["Job", "JobCondition", "JobList", "JobSpec", "JobStatus", "PodFailurePolicy", "PodFailurePolicyOnExitCodesRequirement", "PodFailurePolicyOnPodConditionsPattern"],
    ...["PodFailurePolicyRule", "SuccessPolicy", "SuccessPolicyRule", "UncountedTerminatedPods"],
  ],
  "io.k8s.api.rbac.v1": ["AggregationRule", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBindingList", "ClusterRoleList", "PolicyRule", "Role", "RoleBinding", "RoleBindingList", "RoleList", "RoleRef"],
  "io.k8s.api.coordination.v1": ["Lease", "LeaseList", "LeaseSpec"],
  "io.k8s.api.discovery.v1": ["Endpoint", "EndpointConditions", "EndpointHints", "EndpointSlice", "EndpointSliceList", "ForNode", "ForZone"],
  "io.k8s.api.storage.v1": ["StorageClass", "StorageClassList"],
};

const V1_PACKAGE_OF = new Map(Object.entries(V1_PACKAGES).flatMap(([pkg, types]) => types.map((t) => [t, pkg] as const)));

/** The definition name of a client-node model class; undefined for a class of no known package. */
export function definitionName(className: string): string | undefined {
  const prefixed = /^(CoreV1|DiscoveryV1|EventsV1|RbacV1)([A-Z]\w*)$/.exec(className);
  if (prefixed) return `${PREFIXED_PACKAGES[prefixed[1]]}.${prefixed[2]}`;
  const v1 = /^V1([A-Z]\w*)$/.exec(className);
  if (!v1) return undefined;
  return `${V1_PACKAGE_OF.get(v1[1]) ?? CORE}.${v1[1]}`;
}
