import type { Store, StoredObject, Strategy } from "../store/store";
import { defaultNamespace, defaultPersistentVolume, defaultStorageClass, metaOnly, validateNamespace, validatePersistentVolume, validateStorageClass } from "./misc";
import { defaultPod, podGracePeriod, validatePod, validatePodUpdate } from "./pod";
import { admitDefaultStorageClass, defaultClaim, validateClaim } from "./pvc";
import { defaultService, prepareServiceUpdate, validateService } from "./service";
import { admitQuota, validateResourceQuota } from "./quota";
import { defaultStatefulSet, validateStatefulSet } from "./statefulset";
import { dns1123Subdomain } from "./validation";
import { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultSecret, validateDaemonSet, validateDeployment, validateJob, validateReplicaSet } from "./workloads";

/**
 * Registry strategies of the embedded API server: defaulting, validation and graceful-deletion
 * rules per resource, as the real API server applies them before anything reaches storage.
 *
 * The store applies `defaults` (create), `validate` (create and update) and `gracePeriod` to every
 * writer, controllers included. The extra hooks run only for requests that come through the HTTP
 * API, because they model what the server does to a client's body (controllers write whole,
 * already defaulted objects and bind pods directly).
 */
export interface RegistryStrategy extends Strategy {
  /** Client create: reset what a client may not set (status), before the store's defaults. */
  prepareForCreate?(obj: StoredObject): void;
  /**
   * Client update of the main resource: re-apply defaults (the API server defaults every decoded
   * body, so a PUT without defaulted fields changes nothing), carry server-allocated values over.
   */
  prepareForUpdate?(obj: StoredObject, old: StoredObject): void;
  /** Client update: rules only client writes must pass. */
  validateUpdate?(obj: StoredObject, old: StoredObject): void;
}

/** PrepareForCreate of kinds with a status subresource: a client cannot create an object's status. */
function resetStatus(obj: StoredObject): void {
  delete obj.status;
}

export function createStrategies(store: Store): Map<string, RegistryStrategy> {
  const subdomainNamespaced = metaOnly("", dns1123Subdomain, true);
  const strategies: Record<string, RegistryStrategy> = {
    pods: { gracePeriod: podGracePeriod, defaults: defaultPod, validate: validatePod, prepareForCreate: resetStatus, prepareForUpdate: defaultPod, validateUpdate: validatePodUpdate },
    "statefulsets.apps": { defaults: defaultStatefulSet, validate: validateStatefulSet, prepareForCreate: resetStatus, prepareForUpdate: defaultStatefulSet },
    persistentvolumeclaims: {
      defaults: (obj) => {
        defaultClaim(obj);
        admitDefaultStorageClass(store, obj);
      },
      validate: validateClaim,
      prepareForCreate: resetStatus,
      prepareForUpdate: defaultClaim,
    },
    services: {
      defaults: (obj) => defaultService(store, obj),
      validate: (obj, old) => validateService(store, obj, old),
      prepareForCreate: resetStatus,
      prepareForUpdate: (obj, old) => {
        prepareServiceUpdate(obj, old);
        defaultService(store, obj);
      },
    },
    namespaces: { defaults: defaultNamespace, validate: validateNamespace, prepareForCreate: resetStatus, prepareForUpdate: defaultNamespace },
    persistentvolumes: { defaults: defaultPersistentVolume, validate: validatePersistentVolume, prepareForCreate: resetStatus, prepareForUpdate: defaultPersistentVolume },
    "storageclasses.storage.k8s.io": { defaults: defaultStorageClass, validate: validateStorageClass, prepareForUpdate: defaultStorageClass },
    nodes: { validate: metaOnly("", dns1123Subdomain, false) },
    endpoints: { validate: subdomainNamespaced },
    events: { validate: subdomainNamespaced },
    configmaps: { validate: subdomainNamespaced },
    serviceaccounts: { validate: subdomainNamespaced },
    "endpointslices.discovery.k8s.io": { validate: metaOnly("discovery.k8s.io", dns1123Subdomain, true) },
    "controllerrevisions.apps": { validate: metaOnly("apps", dns1123Subdomain, true) },
    "leases.coordination.k8s.io": { validate: metaOnly("coordination.k8s.io", dns1123Subdomain, true) },
    secrets: { defaults: defaultSecret, validate: subdomainNamespaced, prepareForUpdate: defaultSecret },
    "deployments.apps": { defaults: defaultDeployment, validate: validateDeployment, prepareForCreate: resetStatus, prepareForUpdate: defaultDeployment },
    "replicasets.apps": { defaults: defaultReplicaSet, validate: validateReplicaSet, prepareForCreate: resetStatus, prepareForUpdate: defaultReplicaSet },
    "daemonsets.apps": { defaults: defaultDaemonSet, validate: validateDaemonSet, prepareForCreate: resetStatus, prepareForUpdate: defaultDaemonSet },
    "jobs.batch": { defaults: defaultJob, validate: validateJob, prepareForCreate: resetStatus, prepareForUpdate: defaultJob },
    ...rbacStrategies(),
    resourcequotas: { validate: validateResourceQuota, prepareForCreate: resetStatus },
  };
  // Quota admission runs for every kind: `count/<resource>` may limit any of them.
  for (const [resource, strategy] of Object.entries(strategies)) strategy.admit = (obj) => admitQuota(store, resource, obj);
  return new Map(Object.entries(strategies));
}

/** RBAC objects: names are path segments (ValidateRBACName), nothing else is checked or defaulted. */
function rbacStrategies(): Record<string, RegistryStrategy> {
  const group = "rbac.authorization.k8s.io";
  const pathSegment = (name: string) => (name === "." || name === ".." ? ["may not be '" + name + "'"] : /[/%]/.test(name) ? [`may not contain '${name.includes("/") ? "/" : "%"}'`] : []);
  return Object.fromEntries(
    [["roles", true], ["rolebindings", true], ["clusterroles", false], ["clusterrolebindings", false]].map(([resource, namespaced]) => [`${resource}.${group}`, { validate: metaOnly(group, pathSegment, namespaced as boolean) }]),
  );
}

/** Installs the strategies in the store and returns them for the API layer's extra hooks. */
export function registerStrategies(store: Store): Map<string, RegistryStrategy> {
  const strategies = createStrategies(store);
  for (const [resource, strategy] of strategies) store.setStrategy(resource, strategy);
  return strategies;
}
