import type { V1EndpointSlice, V1Service } from "@kubernetes/client-node";
import { ManualClock } from "../../clock";
import { Store } from "../../store/store";
import { ENDPOINTSLICES } from "../backend";
import { SERVICE_NAME_LABEL } from "../../../k8s/wellknown";

/**
 * Store fixtures for the DNS tests: the book's headless Service `kubia` and ClusterIP Service
 * `kubia-public`, with EndpointSlices as the EndpointSlice controller writes them for a
 * StatefulSet (hostname = pod name, since the pods' subdomain is the headless service).
 */

export interface EndpointFixture {
  ip: string;
  hostname?: string;
  ready?: boolean;
  pod?: string;
}

export function emptyStore(): Store {
  const store = new Store(new ManualClock());
  for (const ns of ["default", "kube-system"]) store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  return store;
}

export function addService(store: Store, name: string, spec: V1Service["spec"], namespace = "default"): void {
  const svc: V1Service = { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec };
  store.create("services", svc);
}

export function addSlice(
  store: Store,
  service: string,
  endpoints: EndpointFixture[],
  ports: { name?: string; port?: number; protocol?: string }[] = [{ name: "http", port: 8080, protocol: "TCP" }],
  namespace = "default",
) {
  const slice: V1EndpointSlice = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { generateName: `${service}-`, namespace, labels: { [SERVICE_NAME_LABEL]: service } },
    addressType: "IPv4",
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      hostname: e.hostname,
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      targetRef: e.pod ? { kind: "Pod", name: e.pod, namespace } : undefined,
    })),
    ports,
  };
  return store.create(ENDPOINTSLICES, slice);
}

/** Two ready pods kubia-0 and kubia-1, a not-ready kubia-2, a headless and a ClusterIP service. */
export function bookStore(): Store {
  const store = emptyStore();
  addService(store, "kubia", { clusterIP: "None", selector: { app: "kubia" }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] });
  addService(store, "kubia-public", {
    type: "ClusterIP",
    clusterIP: "10.96.12.34",
    clusterIPs: ["10.96.12.34"],
    selector: { app: "kubia" },
    ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
  });
  const pods: EndpointFixture[] = [
    { ip: "10.1.107.193", hostname: "kubia-0", pod: "kubia-0" },
    { ip: "10.1.169.130", hostname: "kubia-1", pod: "kubia-1" },
    { ip: "10.1.200.7", hostname: "kubia-2", pod: "kubia-2", ready: false },
  ];
  addSlice(store, "kubia", pods);
  addSlice(store, "kubia-public", pods.map((p) => ({ ...p, hostname: undefined })));
  return store;
}
