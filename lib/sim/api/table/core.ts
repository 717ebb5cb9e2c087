import type { V1Endpoints, V1Node, V1Service } from "@kubernetes/client-node";
import type { StoredObject } from "../../store/store";
import { formatAge } from "../../../k8s/time";
import { firstFew, formatLabels } from "./format";
import { col, type Printer } from "./types";

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role`. */
function nodeRoles(node: V1Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/") && k.length > "node-role.kubernetes.io/".length) roles.add(k.slice("node-role.kubernetes.io/".length));
    else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(",") : "<none>";
}

/** printNode's STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: V1Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  const status = ready ? [ready.status === "True" ? "Ready" : "NotReady"] : ["Unknown"];
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

export const nodePrinter: Printer<"nodes"> = {
  columns: [
    col("Name"),
    col("Status", 0, "The status of the node"),
    col("Roles", 0, "The roles of the node"),
    col("Age"),
    col("Version", 0, "Kubelet Version reported by the node."),
    col("Internal-IP", 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
    col("External-IP", 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
    col("OS-Image", 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
    col("Kernel-Version", 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    col("Container-Runtime", 1, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
  ],
  row(node, now) {
    const info = node.status?.nodeInfo;
    const address = (type: string) => node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";
    return {
      cells: [
        node.metadata?.name,
        nodeStatus(node),
        nodeRoles(node),
        formatAge(node.metadata?.creationTimestamp, now),
        info?.kubeletVersion ?? "",
        address("InternalIP"),
        address("ExternalIP"),
        info?.osImage || "<unknown>",
        info?.kernelVersion || "<unknown>",
        info?.containerRuntimeVersion || "<unknown>",
      ],
    };
  },
};

function servicePorts(svc: V1Service): string {
  const ports = (svc.spec?.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? "TCP"}` : `${p.port}/${p.protocol ?? "TCP"}`));
  return ports.length ? ports.join(",") : "<none>";
}

function externalIp(svc: V1Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case "ExternalName":
      return spec.externalName ?? "<none>";
    case "LoadBalancer": {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || "").filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(",") : "<pending>";
    }
    default:
      return external.length ? external.join(",") : "<none>";
  }
}

export const servicePrinter: Printer<"services"> = {
  columns: [
    col("Name"),
    col("Type", 0, "type determines how the Service is exposed."),
    col("Cluster-IP", 0, "clusterIP is the IP address of the service and is usually assigned randomly."),
    col("External-IP", 0, "List of IP addresses for which nodes in the cluster will also accept traffic for this service."),
    col("Port(s)", 0, "The list of ports that are exposed by this service."),
    col("Age"),
    col("Selector", 1, "Route service traffic to pods with label keys and values matching this selector."),
  ],
  row(svc, now) {
    return {
      cells: [svc.metadata?.name, svc.spec?.type ?? "", svc.spec?.clusterIPs?.[0] ?? "<none>", externalIp(svc), servicePorts(svc), formatAge(svc.metadata?.creationTimestamp, now), formatLabels(svc.spec?.selector)],
    };
  },
};

/** formatEndpoints: "ip:port" pairs of the ready addresses, at most three. */
function formatEndpoints(ep: V1Endpoints): string {
  if (!ep.subsets?.length) return "<none>";
  const list: string[] = [];
  let count = 0;
  for (const ss of ep.subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports?.length) {
      count += addresses.length;
      list.push(...addresses.map((a) => a.ip));
      continue;
    }
    for (const port of ss.ports) {
      count += addresses.length;
      list.push(...addresses.map((a) => `${a.ip}:${port.port}`));
    }
  }
  return firstFew(list, count);
}

export const endpointsPrinter: Printer<"endpoints"> = {
  columns: [col("Name"), col("Endpoints", 0, "Endpoints of the resource"), col("Age")],
  row(ep, now) {
    return { cells: [ep.metadata?.name, formatEndpoints(ep), formatAge(ep.metadata?.creationTimestamp, now)] };
  },
};

export const endpointSlicePrinter: Printer<"endpointslices.discovery.k8s.io"> = {
  columns: [col("Name"), col("AddressType", 0, "The IP protocol for this slice"), col("Ports", 0, "The ports of the slice"), col("Endpoints", 0, "The endpoints of the slice"), col("Age")],
  row(slice, now) {
    const ports = (slice.ports ?? []).map((p) => String(p.port ?? ""));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses);
    return {
      cells: [
        slice.metadata?.name,
        slice.addressType,
        ports.length ? ports.join(",") : "<unset>",
        addresses.length ? firstFew(addresses, addresses.length) : "<unset>",
        formatAge(slice.metadata?.creationTimestamp, now),
      ],
    };
  },
};

export const eventPrinter: Printer<"events"> = {
  columns: [
    col("Last Seen", 0, "Time when last this event was observed"),
    col("Type", 0, "Type of this event (Normal, Warning), new types could be added in the future."),
    col("Reason", 0, "This should be a short, machine understandable string that gives the reason for this event being generated."),
    col("Object", 0, "The object that this event is about."),
    col("Subobject", 1, "The subobject this event is about"),
    col("Source", 1, "The component reporting this event. Should be a short machine understandable string."),
    col("Message", 0, "A human-readable description of the status of this operation."),
    col("First Seen", 1, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
    col("Count", 1, "The number of times this event has occurred."),
    col("Name", 1),
  ],
  row(e, now) {
    const first = e.firstTimestamp ? formatAge(e.firstTimestamp, now) : formatAge(e.eventTime, now);
    let last = e.lastTimestamp ? formatAge(e.lastTimestamp, now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = formatAge(e.series.lastObservedTime, now);
      count = e.series.count ?? count;
    } else if (count === 0) count = 1;
    const kind = (e.involvedObject?.kind ?? "").toLowerCase();
    const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    const source = e.source?.component
      ? e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component
      : e.reportingInstance ? `${e.reportingComponent}, ${e.reportingInstance}` : e.reportingComponent ?? "";
    return { cells: [last, e.type ?? "", e.reason ?? "", target, e.involvedObject?.fieldPath ?? "", source, (e.message ?? "").trim(), first, count, e.metadata?.name] };
  },
};

export const namespacePrinter: Printer<"namespaces"> = {
  columns: [col("Name"), col("Status", 0, "The status of the namespace"), col("Age")],
  row(ns, now) {
    return { cells: [ns.metadata?.name, ns.status?.phase ?? "", formatAge(ns.metadata?.creationTimestamp, now)] };
  },
};

export const configMapPrinter: Printer<"configmaps"> = {
  columns: [col("Name"), col("Data", 0, "Data contains the configuration data."), col("Age")],
  row(cm, now) {
    return { cells: [cm.metadata?.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, formatAge(cm.metadata?.creationTimestamp, now)] };
  },
};

export const serviceAccountPrinter: Printer<"serviceaccounts"> = {
  columns: [col("Name"), col("Secrets", 0, "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), col("Age")],
  row(sa, now) {
    return { cells: [sa.metadata?.name, (sa.secrets ?? []).length, formatAge(sa.metadata?.creationTimestamp, now)] };
  },
};

export const leasePrinter: Printer<"leases.coordination.k8s.io"> = {
  columns: [col("Name"), col("Holder", 0, "The holder of the lease"), col("Age")],
  row(lease, now) {
    return { cells: [lease.metadata?.name, lease.spec?.holderIdentity ?? "", formatAge(lease.metadata?.creationTimestamp, now)] };
  },
};

export const defaultPrinter: Printer = {
  columns: [col("Name"), col("Age")],
  row(obj: StoredObject, now: number) {
    return { cells: [obj.metadata?.name, formatAge(obj.metadata?.creationTimestamp, now)] };
  },
};

/** printResourceQuota: `name: used/hard` per resource, limits.* in their own column. */
export const resourceQuotaPrinter: Printer<"resourcequotas"> = {
  columns: [
    col("Name"),
    col("Request", 0, "Request represents a minimum amount of cpu/memory that a container may consume."),
    col("Limit", 0, "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
    col("Age"),
  ],
  row(quota, now) {
    const hard = quota.status?.hard ?? {};
    const request: string[] = [];
    const limit: string[] = [];
    for (const name of Object.keys(hard).sort()) {
      const pieces = name.split(".");
      (pieces.length > 1 && pieces[0] === "limits" ? limit : request).push(`${name}: ${quota.status?.used?.[name] ?? "0"}/${hard[name]}`);
    }
    return { cells: [quota.metadata?.name, request.join(", "), limit.join(", "), formatAge(quota.metadata?.creationTimestamp, now)] };
  },
};
