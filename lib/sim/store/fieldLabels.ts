import type { KubernetesObject } from "@kubernetes/client-node";
import { errors } from "./errors";
import type { FieldSelector } from "./selectors";

type Getter = (obj: Record<string, any>) => string; // eslint-disable-line @typescript-eslint/no-explicit-any

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/**
 * The field labels each kind's field selectors accept and the value each one has — the
 * AddFieldLabelConversionFunc lists of k8s.io/kubernetes pkg/apis/core/v1/conversion.go (v1.36)
 * and the ToSelectableFields sets of pkg/registry. Kinds not listed take the default conversion:
 * `metadata.name` and `metadata.namespace` only. A label the set lacks reads "" (fields.Set).
 */
const SELECTABLE: Record<string, Record<string, Getter>> = {
  Pod: {
    "spec.nodeName": (o) => str(o.spec?.nodeName),
    "spec.restartPolicy": (o) => str(o.spec?.restartPolicy),
    "spec.schedulerName": (o) => str(o.spec?.schedulerName),
    "spec.serviceAccountName": (o) => str(o.spec?.serviceAccountName),
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork === true),
    "status.phase": (o) => str(o.status?.phase),
    "status.podIP": (o) => str(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP),
    "status.podIPs": () => "",
    "status.nominatedNodeName": (o) => str(o.status?.nominatedNodeName),
  },
  Node: { "spec.unschedulable": (o) => String(o.spec?.unschedulable === true) },
  ReplicationController: { "status.replicas": (o) => String(o.status?.replicas ?? 0) },
  Event: {
    "involvedObject.kind": (o) => str(o.involvedObject?.kind),
    "involvedObject.namespace": (o) => str(o.involvedObject?.namespace),
    "involvedObject.name": (o) => str(o.involvedObject?.name),
    "involvedObject.uid": (o) => str(o.involvedObject?.uid),
    "involvedObject.apiVersion": (o) => str(o.involvedObject?.apiVersion),
    "involvedObject.resourceVersion": (o) => str(o.involvedObject?.resourceVersion),
    "involvedObject.fieldPath": (o) => str(o.involvedObject?.fieldPath),
    reason: (o) => str(o.reason),
    reportingComponent: (o) => str(o.reportingComponent),
    source: (o) => str(o.source?.component || o.reportingComponent),
    type: (o) => str(o.type),
  },
  Namespace: { "status.phase": (o) => str(o.status?.phase) },
  Secret: { type: (o) => str(o.type) },
  Service: { "spec.clusterIP": (o) => str(o.spec?.clusterIP), "spec.type": (o) => str(o.spec?.type) },
  ReplicaSet: { "status.replicas": (o) => String(o.status?.replicas ?? 0) },
  Job: { "status.successful": (o) => String(o.status?.succeeded ?? 0) },
};

/** Kinds whose conversion does not accept `metadata.namespace` although they have the field. */
const NO_NAMESPACE_LABEL = new Set(["Node", "Namespace"]);
/**
 * Labels a version renames onto the stored (internal) object's: a v1 Pod's legacy `spec.host`, and
 * events.k8s.io/v1's names for core Event fields (pkg/apis/events/v1/conversion.go), so that
 * selectors always run on what the store holds.
 */
const ALIASES: Record<string, Record<string, string>> = {
  Pod: { "spec.host": "spec.nodeName" },
  "events.k8s.io/Event": {
    "regarding.kind": "involvedObject.kind",
    "regarding.namespace": "involvedObject.namespace",
    "regarding.name": "involvedObject.name",
    "regarding.uid": "involvedObject.uid",
    "regarding.apiVersion": "involvedObject.apiVersion",
    "regarding.resourceVersion": "involvedObject.resourceVersion",
    "regarding.fieldPath": "involvedObject.fieldPath",
    reportingController: "reportingComponent",
  },
};
const EVENTS_V1_OWN = new Set(["reason", "type", "metadata.name", "metadata.namespace"]);

/** The value of a field label on an object; undeclared paths of unknown kinds read through the object. */
export function fieldLabelValue(obj: KubernetesObject, label: string): string {
  if (label === "metadata.name") return str(obj.metadata?.name);
  if (label === "metadata.namespace") return str(obj.metadata?.namespace);
  const getter = obj.kind ? SELECTABLE[obj.kind]?.[label] : undefined;
  if (getter) return getter(obj as Record<string, unknown>);
  if (obj.kind && SELECTABLE[obj.kind]) return "";
  let cur: unknown = obj;
  for (const seg of label.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[seg];
  }
  return str(cur);
}

/**
 * Checks and converts a request's field selector for `kind` as the API server's ConvertFieldLabel
 * does before listing or watching: an unknown label is a 400 BadRequest with upstream's message.
 */
export function convertFieldSelector(group: string, kind: string, selector: FieldSelector): FieldSelector {
  const aliases = ALIASES[group ? `${group}/${kind}` : kind];
  if (group === "events.k8s.io") {
    return selector.map((requirement) => {
      const path = aliases?.[requirement.path] ?? (EVENTS_V1_OWN.has(requirement.path) ? requirement.path : undefined);
      if (path === undefined) throw errors.badRequest(`field label not supported: ${requirement.path}`);
      return { ...requirement, path };
    });
  }
  const own = SELECTABLE[kind];
  return selector.map((requirement) => {
    const alias = aliases?.[requirement.path];
    if (alias) return { ...requirement, path: alias };
    const known =
      requirement.path === "metadata.name" ||
      (requirement.path === "metadata.namespace" && !NO_NAMESPACE_LABEL.has(kind)) ||
      (own !== undefined && requirement.path in own);
    if (known) return requirement;
    throw errors.badRequest(
      own ? `field label not supported: ${requirement.path}` : `"${requirement.path}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  });
}
