import type { V1ServiceSpec } from "@kubernetes/client-node";
import type { Store } from "../store/store";
import { dns1035Label, field, type FieldError, throwIfInvalid, validateObjectMeta } from "./validation";
import { CLUSTER_DNS_IP, KUBERNETES_SERVICE_IP } from "../../k8s/dns";
import type { Stored } from "../store/types";

/** The service CIDR of the embedded cluster (kube-apiserver's --service-cluster-ip-range). */
export const SERVICE_CIDR = { base: ipToNumber("10.96.0.0"), size: 1 << 20 }; // 10.96.0.0/12
/** The addresses of the `kubernetes` and kube-dns Services, never handed out to others. */
const RESERVED = new Set([KUBERNETES_SERVICE_IP, CLUSTER_DNS_IP]);
const NODE_PORTS = { min: 30000, max: 32767 };
const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

export function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function inServiceCidr(ip: string): boolean {
  if (!IPV4.test(ip)) return false;
  const n = ipToNumber(ip);
  return n > SERVICE_CIDR.base && n < SERVICE_CIDR.base + SERVICE_CIDR.size - 1;
}

function usedClusterIps(store: Store): Set<string> {
  const used = new Set(RESERVED);
  for (const s of store.list("services").items) for (const ip of s.spec?.clusterIPs ?? []) used.add(ip);
  return used;
}

/** The ClusterIP allocator: a random free address of the service CIDR, as the real allocator picks. */
export function allocateClusterIp(store: Store, random: () => number = Math.random): string {
  const used = usedClusterIps(store);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const ip = numberToIp(SERVICE_CIDR.base + 1 + Math.floor(random() * (SERVICE_CIDR.size - 2)));
    if (!used.has(ip)) return ip;
  }
  throw new Error("range is full");
}

function usedNodePorts(store: Store): Set<number> {
  const used = new Set<number>();
  for (const s of store.list("services").items) for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
  return used;
}

function allocateNodePort(used: Set<number>): number {
  for (let port = NODE_PORTS.min; port <= NODE_PORTS.max; port++) if (!used.has(port)) return (used.add(port), port);
  throw new Error("range is full");
}

/** SetDefaults_Service plus what the service REST fills in on create (IP families, ClusterIP, node ports). */
export function defaultService(store: Store, svc: Stored<"services">): void {
  const spec = (svc.spec ??= {} as V1ServiceSpec);
  spec.type ??= "ClusterIP";
  spec.sessionAffinity ??= "None";
  for (const p of spec.ports ?? []) {
    p.protocol ??= "TCP";
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  if (spec.type === "ExternalName") return;
  spec.internalTrafficPolicy ??= "Cluster";
  if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  if (!spec.clusterIP) spec.clusterIP = allocateClusterIp(store);
  spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilies ??= ["IPv4"];
  spec.ipFamilyPolicy ??= "SingleStack";
  if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
    const used = usedNodePorts(store);
    for (const p of spec.ports ?? []) p.nodePort ??= allocateNodePort(used);
    spec.externalTrafficPolicy ??= "Cluster";
  }
  svc.status ??= { loadBalancer: {} };
}

/** An update may leave out what the server allocated; the REST carries the old values over. */
export function prepareServiceUpdate(obj: Stored<"services">, old: Stored<"services">): void {
  const spec = (obj.spec ??= {});
  const prev = old.spec ?? {};
  spec.type ??= "ClusterIP";
  if (!spec.clusterIP && spec.type === prev.type) {
    spec.clusterIP = prev.clusterIP;
    spec.clusterIPs ??= prev.clusterIPs;
  }
  if (spec.type === prev.type) {
    for (const p of spec.ports ?? []) {
      const match = prev.ports?.find((q) => q.port === p.port && (q.protocol ?? "TCP") === (p.protocol ?? "TCP"));
      if (!p.nodePort && match?.nodePort) p.nodePort = match.nodePort;
    }
  }
}

function validatePorts(spec: V1ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === "None";
  if (ports.length === 0 && !headless && spec.type !== "ExternalName") errs.push(field.required("spec.ports"));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(field.required(`${at}.name`));
    if (p.name) {
      for (const msg of dns1035Label(p.name)) errs.push(field.invalid(`${at}.name`, p.name, msg));
      if (names.has(p.name)) errs.push(field.duplicate(`${at}.name`, p.name));
      names.add(p.name);
    }
    if (!(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) errs.push(field.invalid(`${at}.port`, p.port, "must be between 1 and 65535, inclusive"));
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

export function validateService(store: Store, obj: Stored<"services">, old: Stored<"services"> | undefined): void {
  const spec = obj.spec ?? {};
  const errs = [...validateObjectMeta(obj, dns1035Label, true)];
  if (spec.type && !TYPES.includes(spec.type)) errs.push(field.notSupported("spec.type", spec.type, TYPES));
  errs.push(...validatePorts(spec));
  const ip = spec.clusterIP;
  const prevSpec = old ? old.spec ?? {} : undefined;
  if (ip && ip !== "None" && !inServiceCidr(ip)) {
    errs.push(field.invalid("spec.clusterIPs", spec.clusterIPs ?? [ip], "failed to allocate IP " + ip + ": the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is 10.96.0.0/12"));
  } else if (!old && ip && ip !== "None") {
    const taken = store.list("services").items.some((s) => s.metadata.uid !== obj.metadata.uid && s.spec?.clusterIPs?.includes(ip));
    if (taken) errs.push(field.invalid("spec.clusterIPs", spec.clusterIPs ?? [ip], `failed to allocate IP ${ip}: provided IP is already allocated`));
  }
  if (prevSpec && prevSpec.clusterIP && spec.type === prevSpec.type && spec.clusterIP !== prevSpec.clusterIP) {
    errs.push(field.invalid("spec.clusterIPs[0]", spec.clusterIP ?? "", "may not change once set"));
  }
  throwIfInvalid(obj, "", errs);
}
