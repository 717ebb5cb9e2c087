import type { V1EndpointSlice, V1Service } from "@kubernetes/client-node";
import type { Store } from "../store/store";
import { clusterIPs } from "../../k8s/dns";
import { SERVICE_NAME_LABEL } from "../../k8s/wellknown";

/**
 * What CoreDNS's kubernetes plugin caches from the API (plugin/kubernetes/object), read straight
 * from the store on every query: no cache, so an answer is never staler than the store.
 */

export const ENDPOINTSLICES = "endpointslices.discovery.k8s.io";

export interface Port {
  /** -1 stands for "no ports declared", as CoreDNS's sentinel (A records yes, SRV records no). */
  port: number;
  name: string;
  protocol: string;
}

export interface Address {
  ip: string;
  hostname?: string;
}

/** One EndpointSlice as CoreDNS converts it: its ready addresses and its ports. */
export interface Endpoints {
  service: string;
  namespace: string;
  addresses: Address[];
  ports: Port[];
}

export function namespaceExists(store: Store, namespace: string): boolean {
  return !!store.tryGet("namespaces", undefined, namespace);
}

export function getService(store: Store, namespace: string, name: string): V1Service | undefined {
  return store.tryGet("services", namespace, name) as V1Service | undefined;
}

/**
 * object.EndpointSliceToEndpoints: only endpoints whose `conditions.ready` is unset or true.
 * (`publishNotReadyAddresses` is honoured upstream: the EndpointSlice controller then marks every
 * endpoint ready, so CoreDNS itself never looks at the Service for it.)
 */
function toEndpoints(slice: V1EndpointSlice): Endpoints {
  const ports: Port[] = slice.ports?.length
    ? slice.ports.map((p) => ({ port: p.port ?? -1, name: p.name ?? "", protocol: p.protocol ?? "" }))
    : [{ port: -1, name: "", protocol: "" }];
  const addresses: Address[] = [];
  for (const ep of slice.endpoints ?? []) {
    if (ep.conditions?.ready === false) continue;
    for (const ip of ep.addresses ?? []) addresses.push({ ip, hostname: ep.hostname ?? undefined });
  }
  return { service: slice.metadata?.labels?.[SERVICE_NAME_LABEL] ?? "", namespace: slice.metadata?.namespace ?? "", addresses, ports };
}

function slices(store: Store, namespace?: string, service?: string): V1EndpointSlice[] {
  // Filtered here rather than by a label selector: a query label is not necessarily a valid label value.
  const items = store.list(ENDPOINTSLICES, { namespace, labelSelector: SERVICE_NAME_LABEL }).items;
  return items.filter((s) => s.addressType !== "FQDN" && (service === undefined || s.metadata?.labels?.[SERVICE_NAME_LABEL] === service));
}

export function endpointsOf(store: Store, namespace: string, service: string): Endpoints[] {
  return slices(store, namespace, service).map(toEndpoints);
}

/** For PTR: the Service whose ClusterIP this is, else every ready endpoint with this address. */
export function servicesWithClusterIP(store: Store, ip: string): V1Service[] {
  return (store.list("services").items).filter((s) => clusterIPs(s).includes(ip));
}

export function endpointsWithIP(store: Store, ip: string): Endpoints[] {
  return slices(store)
    .map(toEndpoints)
    .filter((e) => e.addresses.some((a) => a.ip === ip));
}
