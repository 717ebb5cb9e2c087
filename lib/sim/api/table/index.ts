import { errors } from "../../store/errors";
import type { StoredObject } from "../../store/store";
import type { ResourceAccess } from "../access";
import { configMapPrinter, defaultPrinter, endpointSlicePrinter, endpointsPrinter, eventPrinter, leasePrinter, namespacePrinter, nodePrinter, resourceQuotaPrinter, serviceAccountPrinter, servicePrinter } from "./core";
import { podPrinter } from "./pods";
import { pvcPrinter, pvPrinter, storageClassPrinter } from "./storage";
import type { Printer } from "./types";
import { controllerRevisionPrinter, statefulSetPrinter } from "./workloads";
import { daemonSetPrinter, deploymentPrinter, jobPrinter, replicaSetPrinter } from "./apps";
import { clusterRoleBindingPrinter, createdAtPrinter, roleBindingPrinter, secretPrinter } from "./rbac";

const PRINTERS: Record<string, Printer> = {
  pods: podPrinter,
  "statefulsets.apps": statefulSetPrinter,
  "controllerrevisions.apps": controllerRevisionPrinter,
  persistentvolumeclaims: pvcPrinter,
  persistentvolumes: pvPrinter,
  "storageclasses.storage.k8s.io": storageClassPrinter,
  nodes: nodePrinter,
  services: servicePrinter,
  endpoints: endpointsPrinter,
  "endpointslices.discovery.k8s.io": endpointSlicePrinter,
  events: eventPrinter,
  namespaces: namespacePrinter,
  configmaps: configMapPrinter,
  resourcequotas: resourceQuotaPrinter,
  serviceaccounts: serviceAccountPrinter,
  "leases.coordination.k8s.io": leasePrinter,
  secrets: secretPrinter,
  "deployments.apps": deploymentPrinter,
  "replicasets.apps": replicaSetPrinter,
  "daemonsets.apps": daemonSetPrinter,
  "jobs.batch": jobPrinter,
  "roles.rbac.authorization.k8s.io": createdAtPrinter,
  "clusterroles.rbac.authorization.k8s.io": createdAtPrinter,
  "rolebindings.rbac.authorization.k8s.io": roleBindingPrinter,
  "clusterrolebindings.rbac.authorization.k8s.io": clusterRoleBindingPrinter,
};

/** Printers are keyed by storage, so events.k8s.io Events print as core Events (as the real server does). */
export function printerFor(storeKey: string): Printer {
  return PRINTERS[storeKey] ?? defaultPrinter;
}

export type IncludeObject = "Object" | "Metadata" | "None";

export interface TableOptions {
  groupVersion: string; // meta.k8s.io/v1 or v1beta1
  includeObject: IncludeObject;
  /** Watch events after the first carry no column definitions. */
  noHeaders?: boolean;
}

/** TableOptions from the query; includeObject defaults to Metadata (a PartialObjectMetadata per row). */
export function tableOptions(query: URLSearchParams, groupVersion: string): TableOptions {
  const raw = query.get("includeObject") ?? "";
  if (raw !== "" && raw !== "Object" && raw !== "Metadata" && raw !== "None") {
    throw errors.badRequest(`Unable to convert to Table as requested: includeObject: Unsupported value: "${raw}": supported values: "Metadata", "None", "Object"`);
  }
  return { groupVersion, includeObject: (raw || "Metadata") as IncludeObject };
}

function rowObject(access: ResourceAccess, obj: StoredObject, opts: TableOptions): unknown {
  if (opts.includeObject === "None") return null;
  if (opts.includeObject === "Object") return access.toExternal(obj);
  return { kind: "PartialObjectMetadata", apiVersion: opts.groupVersion, metadata: obj.metadata };
}

/** A meta.k8s.io Table of `objects` (internal form), as the server-side printers produce for kubectl get. */
export function buildTable(access: ResourceAccess, objects: StoredObject[], opts: TableOptions, now: number, listMeta: Record<string, unknown> = {}): Record<string, unknown> {
  const printer = printerFor(access.key);
  return {
    kind: "Table",
    apiVersion: opts.groupVersion,
    metadata: listMeta,
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows: objects.map((obj) => {
      const printed = printer.row(obj, now);
      return { cells: printed.cells, ...(printed.conditions ? { conditions: printed.conditions } : {}), object: rowObject(access, obj, opts) };
    }),
  };
}
