import type { V1ConfigMap, V1Container, V1EnvVar, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service, V1Volume } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { clusterIPs } from "../../../k8s/dns";
import { appForImage } from "../images/kubia";
import { DATA_FILE, podScratchFiles } from "../dataFile";
import { CLUSTER_DOMAIN, podHostname } from "../hostname";
import { pruneVolumeFiles } from "../volumes";
import { type Entry, FileSystem, type Mountable, S_IFDIR, S_IFREG } from "./filesystem";
import { KeyedVolume, type KeyValueBacking, MemoryFs, OverlayFs } from "./mounts";
import { IMAGE_ENV, IMAGE_PATH, imageEntries, type PodFiles, searchDomains } from "./image";

/** kubeadm's kube-dns Service address, used when the cluster has no kube-system/kube-dns Service. */
const DEFAULT_NAMESERVER = "10.96.0.10";

/** Everything a process in the container can see of it: files, environment, names, addresses. */
export interface ContainerView {
  ctx: SimContext;
  pod: V1Pod;
  container: V1Container;
  namespace: string;
  hostname: string;
  /** `<hostname>.<subdomain>.<namespace>.svc.cluster.local`, or the hostname without a subdomain. */
  fqdn: string;
  podIP: string;
  /** The kubia app the image runs (kubia-pet, kubia, kubia-pet-peers). */
  appName: string;
  fs: FileSystem;
  /** The process environment (before what the exec itself adds), in order. */
  env: [string, string][];
  nameserver: string;
  searchDomains: string[];
}

const millis = (t: unknown) => (t ? new Date(t as string).getTime() : NaN);

function podIPs(pod: V1Pod): string[] {
  const ips = pod.status?.podIPs?.map((p) => p.ip) ?? [];
  return ips.length ? ips : pod.status?.podIP ? [pod.status.podIP] : [];
}

function containerStartedAt(ctx: SimContext, pod: V1Pod, container: V1Container): number {
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === container.name);
  const started = millis(status?.state?.running?.startedAt) || millis(pod.status?.startTime);
  return Number.isFinite(started) ? started : ctx.clock.now();
}

function nameserverOf(ctx: SimContext): string {
  const kubeDns = ctx.store.tryGet("services", "kube-system", "kube-dns") as V1Service | undefined;
  return (kubeDns && clusterIPs(kubeDns)[0]) || DEFAULT_NAMESERVER;
}

/** Modification times of volume keys, stamped when they change (the volume data keeps no times). */
const volumeTimes = new WeakMap<SimContext, Map<string, number>>();

function mtimes(ctx: SimContext): Map<string, number> {
  let times = volumeTimes.get(ctx);
  if (!times) {
    const stamps = new Map<string, number>();
    volumeTimes.set(ctx, (times = stamps));
    ctx.volumes.onChange((key) => stamps.set(key, ctx.clock.now()));
  }
  return times;
}

function pvBacking(ctx: SimContext): KeyValueBacking {
  const has = (key: string) => ctx.volumes.names().includes(key);
  return {
    has,
    get: (key) => (has(key) ? ctx.volumes.read(key) : undefined),
    set: (key, value) => ctx.volumes.write(key, value),
    delete: (key) => ctx.volumes.erase(key),
    keys: () => ctx.volumes.names(),
  };
}

function scratchBacking(ctx: SimContext, times: Map<string, number>): KeyValueBacking {
  const files = podScratchFiles(ctx);
  return {
    has: (key) => files.has(key),
    get: (key) => files.get(key),
    set: (key, value) => {
      files.set(key, value);
      times.set(key, ctx.clock.now());
    },
    delete: (key) => files.delete(key),
    keys: () => [...files.keys()],
  };
}

/** Where the app's data file is inside a volume mounted at `mountPath` (its root when the mount does not cover it). */
function dataFileInVolume(mountPath: string): string {
  const dir = mountPath.replace(/\/+$/, "");
  return dir === "" ? DATA_FILE.slice(1) : DATA_FILE.startsWith(dir + "/") ? DATA_FILE.slice(dir.length + 1) : "kubia.txt";
}

/** The files of a ConfigMap or Secret volume: one read-only file per key, as the kubelet projects them. */
function projectedFiles(data: Record<string, string>, mtime: number): MemoryFs {
  const entries = new Map<string, Entry>([["", { type: "dir", mode: S_IFDIR | 0o777, mtime }]]);
  for (const [key, content] of Object.entries(data)) entries.set(key, { type: "file", content, mode: S_IFREG | 0o644, mtime });
  return new MemoryFs(entries);
}

function claimVolume(ctx: SimContext, pod: V1Pod, volume: V1Volume, mountPath: string, readOnly: boolean, startedAt: number): Mountable {
  const claimName = volume.persistentVolumeClaim?.claimName ?? `${pod.metadata?.name}-${volume.name}`;
  const claim = ctx.store.tryGet("persistentvolumeclaims", pod.metadata?.namespace, claimName) as V1PersistentVolumeClaim | undefined;
  const pvName = claim?.spec?.volumeName;
  if (!pvName) return projectedFiles({}, startedAt);
  const pv = ctx.store.tryGet("persistentvolumes", undefined, pvName) as V1PersistentVolume | undefined;
  const created = millis(pv?.metadata?.creationTimestamp);
  const times = mtimes(ctx);
  const mtimeOf = (key: string) => times.get(key) ?? (Number.isFinite(created) ? created : startedAt);
  return new KeyedVolume(pvBacking(ctx), pvName, dataFileInVolume(mountPath), readOnly || !!volume.persistentVolumeClaim?.readOnly, mtimeOf);
}

/** The Mountable for one of the pod's volumes. Volume types the book does not use show as empty directories. */
function volumeFs(ctx: SimContext, pod: V1Pod, volume: V1Volume, mountPath: string, readOnly: boolean, startedAt: number): Mountable {
  const namespace = pod.metadata?.namespace;
  if (volume.persistentVolumeClaim || volume.ephemeral) return claimVolume(ctx, pod, volume, mountPath, readOnly, startedAt);
  if (volume.emptyDir) {
    const times = mtimes(ctx);
    const prefix = `${pod.metadata?.uid}/${volume.name}`;
    return new KeyedVolume(scratchBacking(ctx, times), prefix, dataFileInVolume(mountPath), readOnly, (key) => times.get(key) ?? startedAt);
  }
  if (volume.configMap) {
    const cm = ctx.store.tryGet("configmaps", namespace, volume.configMap.name ?? "") as V1ConfigMap | undefined;
    return projectedFiles(cm?.data ?? {}, startedAt);
  }
  if (volume.secret) {
    const secret = ctx.store.tryGet("secrets", namespace, volume.secret.secretName ?? "") as V1Secret | undefined;
    const decoded = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    return projectedFiles(decoded, startedAt);
  }
  return projectedFiles({}, startedAt);
}

/** Writable layers by `<pod uid>/<container>/<container ID>`: a restarted or new container starts clean. */
const layersByContext = new WeakMap<SimContext, Map<string, Map<string, Entry | null>>>();

const pruneAt = new WeakMap<Map<string, Map<string, Entry | null>>, number>();

function writableLayer(ctx: SimContext, pod: V1Pod, container: V1Container): Map<string, Entry | null> {
  let layers = layersByContext.get(ctx);
  if (!layers) layersByContext.set(ctx, (layers = new Map()));
  // Dropping the layers of pods gone costs a pass over every pod: done when the map has doubled
  // since the last pass, so a process started in a container (an exec probe every period) costs O(1).
  if (layers.size > (pruneAt.get(layers) ?? 64)) {
    const live = new Set(ctx.store.list("pods").items.map((p) => p.metadata.uid));
    for (const key of [...layers.keys()]) if (!live.has(key.split("/")[0])) layers.delete(key);
    pruneAt.set(layers, Math.max(64, layers.size * 2));
  }
  const id = pod.status?.containerStatuses?.find((s) => s.name === container.name)?.containerID ?? "";
  const key = `${pod.metadata?.uid}/${container.name}/${id}`;
  let layer = layers.get(key);
  if (!layer) layers.set(key, (layer = new Map()));
  return layer;
}

function fieldValue(pod: V1Pod, path: string): string {
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return (label[1] === "labels" ? pod.metadata?.labels : pod.metadata?.annotations)?.[label[2]] ?? "";
  const fields: Record<string, string | undefined> = {
    "metadata.name": pod.metadata?.name,
    "metadata.namespace": pod.metadata?.namespace,
    "metadata.uid": pod.metadata?.uid,
    "spec.nodeName": pod.spec?.nodeName,
    "spec.serviceAccountName": pod.spec?.serviceAccountName,
    "status.podIP": pod.status?.podIP,
    "status.hostIP": pod.status?.hostIP,
  };
  return fields[path] ?? "";
}

function envValue(ctx: SimContext, pod: V1Pod, env: V1EnvVar): string | undefined {
  if (env.value !== undefined) return env.value;
  const from = env.valueFrom;
  if (from?.fieldRef) return fieldValue(pod, from.fieldRef.fieldPath);
  const namespace = pod.metadata?.namespace;
  if (from?.configMapKeyRef) return (ctx.store.tryGet("configmaps", namespace, from.configMapKeyRef.name ?? "") as V1ConfigMap | undefined)?.data?.[from.configMapKeyRef.key];
  if (from?.secretKeyRef) {
    const raw = (ctx.store.tryGet("secrets", namespace, from.secretKeyRef.name ?? "") as V1Secret | undefined)?.data?.[from.secretKeyRef.key];
    return raw === undefined ? undefined : Buffer.from(raw, "base64").toString("utf8");
  }
  return undefined;
}

const envName = (service: string) => service.toUpperCase().replace(/-/g, "_");

/** envvars.FromServices: Docker-link style variables for every Service with a cluster IP. */
function serviceEnv(svc: V1Service): [string, string][] {
  const ip = svc.spec?.clusterIP;
  const ports = svc.spec?.ports ?? [];
  if (!ip || ip === "None" || !ports.length) return [];
  const prefix = envName(svc.metadata!.name!);
  const out: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const protocol = (p.protocol ?? "TCP").toLowerCase();
    const address = `${protocol}://${ip.includes(":") ? `[${ip}]` : ip}:${p.port}`;
    if (i === 0) out.push([`${prefix}_PORT`, address]);
    const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, address], [`${portPrefix}_PROTO`, protocol], [`${portPrefix}_PORT`, String(p.port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/**
 * The container's environment as containerd starts the process: PATH and HOSTNAME, the image's ENV,
 * the container's `env`, then the kubelet's Service variables (the pod's namespace when
 * enableServiceLinks, and always the `kubernetes` Service).
 */
function containerEnvironment(ctx: SimContext, pod: V1Pod, container: V1Container, hostname: string): [string, string][] {
  const env: [string, string][] = [["PATH", IMAGE_PATH], ["HOSTNAME", hostname], ...IMAGE_ENV];
  for (const e of container.env ?? []) {
    const value = envValue(ctx, pod, e);
    if (value !== undefined) env.push([e.name, value]);
  }
  const namespace = pod.metadata?.namespace ?? "default";
  const services = pod.spec?.enableServiceLinks === false ? [] : (ctx.store.list("services", { namespace }).items);
  const master = ctx.store.tryGet("services", "default", "kubernetes") as V1Service | undefined;
  const all = [...services.filter((s) => !(namespace === "default" && s.metadata?.name === "kubernetes")), ...(master ? [master] : [])];
  const defined = new Set(env.map(([k]) => k));
  for (const svc of all.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!))) {
    for (const [k, v] of serviceEnv(svc)) if (!defined.has(k)) env.push([k, v]);
  }
  return env;
}

/** The container `containerName` of `pod` as a process started in it now would find it. */
export function openContainer(ctx: SimContext, pod: V1Pod, containerName: string, opts: { pruneVolumes?: boolean } = {}): ContainerView {
  const container = [...pod.spec!.containers, ...((pod.spec?.ephemeralContainers ?? []) as V1Container[])].find((c) => c.name === containerName)!;
  const namespace = pod.metadata?.namespace ?? "default";
  const hostname = podHostname(pod);
  const subdomain = pod.spec?.subdomain;
  const hostDomain = subdomain ? `${subdomain}.${namespace}.svc.${CLUSTER_DOMAIN}` : "";
  const nameserver = nameserverOf(ctx);
  const files: PodFiles = { hostname, hostDomain, podIPs: podIPs(pod), namespace, clusterDomain: CLUSTER_DOMAIN, nameserver };
  const startedAt = containerStartedAt(ctx, pod, container);
  const appName = appForImage(container.image).name;
  // A pass over every volume: for what a person runs, not for the kubelet's exec probes every period.
  if (opts.pruneVolumes !== false) pruneVolumeFiles(ctx.volumes, new Set(ctx.store.list("persistentvolumes").items.map((pv) => pv.metadata.name!)));
  const root = new OverlayFs(new MemoryFs(imageEntries(appName, files, startedAt)), writableLayer(ctx, pod, container), () => ctx.clock.now());
  const mounts = (container.volumeMounts ?? []).flatMap((m) => {
    const volume = pod.spec?.volumes?.find((v) => v.name === m.name);
    return volume ? [{ path: m.mountPath, fs: volumeFs(ctx, pod, volume, m.mountPath, !!m.readOnly, startedAt) }] : [];
  });
  return {
    ctx,
    pod,
    container,
    namespace,
    hostname,
    fqdn: hostDomain ? `${hostname}.${hostDomain}` : hostname,
    podIP: podIPs(pod)[0] ?? "",
    appName,
    fs: new FileSystem(root, mounts),
    env: containerEnvironment(ctx, pod, container, hostname),
    nameserver,
    searchDomains: searchDomains(files),
  };
}
