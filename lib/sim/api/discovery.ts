import { RESOURCES, type ResourceType } from "../store/resources";
import { PLAYGROUND_GROUP, servedGroups } from "./routes";

/**
 * The Kubernetes version the embedded cluster answers as: the release of the real control plane its
 * behaviour is measured against (e2e/fidelity) and of the kubectl the tests drive, so a current
 * kubectl sees no version skew (it warns beyond ±1 minor). No upstream commit is behind it, so none
 * is claimed.
 */
export const SERVER_VERSION = {
  major: "1",
  minor: "36",
  emulationMajor: "1",
  emulationMinor: "36",
  minCompatibilityMajor: "1",
  minCompatibilityMinor: "35",
  gitVersion: "v1.36.3",
  gitCommit: "",
  gitTreeState: "clean",
  buildDate: "2026-11-01T00:00:00Z",
  goVersion: "go1.26.8",
  compiler: "gc",
  platform: "linux/amd64",
};

interface SubresourceInfo {
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

/** Kind and verbs of each subresource, as kube-apiserver registers them. */
function subresourceInfo(rt: ResourceType, sub: string): SubresourceInfo {
  switch (sub) {
    case "status":
      return { kind: rt.kind, verbs: ["get", "patch", "update"] };
    case "scale":
      return { group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] };
    case "log":
      return { kind: "Pod", verbs: ["get"] };
    case "proxy":
      return { kind: `${rt.kind}ProxyOptions`, verbs: ["create", "delete", "get", "patch", "update"] };
    case "eviction":
      return { group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] };
    case "binding":
      return { kind: "Binding", verbs: ["create"] };
    case "exec":
      return { kind: "PodExecOptions", verbs: ["create", "get"] };
    case "ephemeralcontainers":
      return { kind: "Pod", verbs: ["get", "patch", "update"] };
    case "attach":
      return { kind: "PodAttachOptions", verbs: ["create", "get"] };
    case "portforward":
      return { kind: "PodPortForwardOptions", verbs: ["create", "get"] };
    default:
      return { kind: rt.kind, verbs: ["get"] };
  }
}

/**
 * Subresources discovery lists: the registered ones, plus `pods/attach`, `pods/exec` and `pods/portforward`, which the
 * API server serves beside the resource handler (subresources/exec.ts) since they are connections,
 * not objects.
 */
function servedSubresources(rt: ResourceType): string[] {
  const subresources = rt.subresources ?? [];
  if (rt.group !== "" || rt.resource !== "pods") return subresources;
  return [...subresources, ...["attach", "exec", "portforward"].filter((s) => !subresources.includes(s))];
}

function resourcesOf(group: string, version: string): ResourceType[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

/** APIResourceList for /api/v1 or /apis/{group}/{version}, subresources as "pods/log" entries. */
export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const groupVersion = group ? `${group}/${version}` : version;
  const resources: Record<string, unknown>[] = [];
  for (const rt of group === PLAYGROUND_GROUP ? [] : resourcesOf(group, version)) {
    resources.push({
      name: rt.resource,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
      ...(rt.shortNames ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories ? { categories: rt.categories } : {}),
    });
    for (const sub of servedSubresources(rt)) {
      const info = subresourceInfo(rt, sub);
      resources.push({
        name: `${rt.resource}/${sub}`,
        singularName: "",
        namespaced: rt.namespaced,
        ...(info.group !== undefined ? { group: info.group, version: info.version } : {}),
        kind: info.kind,
        verbs: info.verbs,
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

function groupEntry(group: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroup(group: string): Record<string, unknown> {
  const version = group === PLAYGROUND_GROUP ? "v1" : servedGroups().find((g) => g.group === group)!.version;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, version) };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = [...servedGroups(), { group: PLAYGROUND_GROUP, version: "v1" }].map(({ group, version }) => groupEntry(group, version));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

export const AGGREGATED_DISCOVERY_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/** apidiscovery.k8s.io/v2 APIResourceDiscovery entries of one group version. */
function discoveryResources(group: string, version: string): Record<string, unknown>[] {
  return resourcesOf(group, version).map((rt) => ({
    resource: rt.resource,
    responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
    scope: rt.namespaced ? "Namespaced" : "Cluster",
    singularResource: rt.singular,
    verbs: rt.verbs,
    ...(rt.shortNames ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories ? { categories: rt.categories } : {}),
    ...(servedSubresources(rt).length
      ? {
          subresources: servedSubresources(rt).map((sub) => {
            const info = subresourceInfo(rt, sub);
            return { subresource: sub, responseKind: { group: info.group ?? rt.group, version: info.version ?? rt.version, kind: info.kind }, verbs: info.verbs };
          }),
        }
      : {}),
  }));
}

/** Aggregated discovery for /api (legacy = true) or /apis: every group, version and resource at once. */
export function aggregatedDiscovery(legacy: boolean): Record<string, unknown> {
  const groups = legacy ? [{ group: "", version: "v1" }] : [...servedGroups(), { group: PLAYGROUND_GROUP, version: "v1" }];
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2",
    metadata: {},
    items: groups.map(({ group, version }) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: [{ version, resources: group === PLAYGROUND_GROUP ? [] : discoveryResources(group, version), freshness: "Current" }],
    })),
  };
}
