import type { V1Pod, V1Service } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import type { Stored } from "../store/types";
import { desiredSliceGroups, desiredSubsets, type SliceGroup, type SlicePort } from "./endpoints-build";
import { type RunningController, runController } from "./runtime/controller";
import { objectKey, splitKey } from "../../k8s/keys";
import { canonicalJson, ignoreStale } from "./util";
import { isoTime } from "../../k8s/time";
import { SERVICE_NAME_LABEL } from "../../k8s/wellknown";

const SLICES = "endpointslices.discovery.k8s.io";
type Slice = Stored<typeof SLICES>;
const SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
const SLICE_CONTROLLER = "endpointslice-controller.k8s.io";
const ENDPOINTS_MANAGED_BY = "endpoints.kubernetes.io/managed-by";
const ENDPOINTS_CONTROLLER = "endpoint-controller";
const HEADLESS_LABEL = "service.kubernetes.io/headless";
const TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

function baseLabels(svc: V1Service): Record<string, string> {
  return { ...(svc.metadata?.labels ?? {}), ...(svc.spec?.clusterIP === "None" ? { [HEADLESS_LABEL]: "" } : {}) };
}

const managesEndpoints = (svc: V1Service | undefined) => !!svc && !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 && svc.spec.type !== "ExternalName";

/** The content of a slice that decides whether it must be written (not its name, times or versions). */
function sliceContent(slice: Slice): string {
  return canonicalJson({ labels: slice.metadata.labels, addressType: slice.addressType, ports: slice.ports ?? null, endpoints: slice.endpoints ?? [] });
}

/**
 * The endpoints and EndpointSlice controllers: for every Service with a selector, the legacy
 * `Endpoints` object of the same name and EndpointSlices `<service>-<5 chars>` listing the
 * selected pods' IPs with readiness, hostname, node and target reference. Objects are updated in
 * place and only written when their content changes.
 */
export function startEndpointsController(ctx: SimContext): RunningController {
  const store = ctx.store;
  const servicesIn = (namespace: string | undefined) => store.list("services", { namespace }).items.map(objectKey);

  const syncEndpoints = (svc: V1Service, pods: readonly V1Pod[]) => {
    const { name, namespace } = svc.metadata!;
    const subsets = desiredSubsets(svc, pods);
    const labels = { ...baseLabels(svc), [ENDPOINTS_MANAGED_BY]: ENDPOINTS_CONTROLLER };
    const desired = { labels, subsets: subsets.length ? subsets : undefined };
    const existing = store.tryGet("endpoints", namespace, name!);
    if (existing && canonicalJson({ labels: existing.metadata.labels, subsets: existing.subsets }) === canonicalJson(desired)) return;
    const annotations = { ...(existing?.metadata.annotations ?? {}), [TRIGGER_TIME]: isoTime(ctx.clock.now()) };
    const obj = { apiVersion: "v1", kind: "Endpoints", metadata: { ...(existing?.metadata ?? { name, namespace }), labels, annotations }, subsets: desired.subsets };
    if (existing) store.update("endpoints", obj);
    else store.create("endpoints", obj);
  };

  const sliceObject = (svc: V1Service, group: SliceGroup, existing?: Slice): Slice => {
    const { name, namespace, uid } = svc.metadata!;
    const metadata = existing?.metadata ?? {
      generateName: `${name}-`,
      namespace,
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: name!, uid: uid!, controller: true, blockOwnerDeletion: true }],
    };
    return {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        ...metadata,
        labels: { ...baseLabels(svc), [SERVICE_NAME_LABEL]: name!, [SLICE_MANAGED_BY]: SLICE_CONTROLLER },
        annotations: { ...(existing?.metadata.annotations ?? {}), [TRIGGER_TIME]: isoTime(ctx.clock.now()) },
      },
      addressType: "IPv4",
      endpoints: group.endpoints,
      // `null` when no port resolves, as the controller writes it; client-node's type has no null.
      ports: group.ports as SlicePort[],
    };
  };

  const syncSlices = (svc: V1Service, pods: readonly V1Pod[]) => {
    const existing = managedSlices(svc.metadata!.namespace, svc.metadata!.name!);
    const unused = new Set<Slice>(existing);
    const leftover: SliceGroup[] = [];
    const write = (group: SliceGroup, slice: Slice) => {
      unused.delete(slice);
      const next = sliceObject(svc, group, slice);
      if (sliceContent(next) !== sliceContent(slice)) store.update(SLICES, next);
    };
    for (const group of desiredSliceGroups(svc, pods)) {
      const same = [...unused].find((s) => canonicalJson(s.ports ?? null) === canonicalJson(group.ports));
      if (same) write(group, same);
      else leftover.push(group);
    }
    for (const group of leftover) {
      const reuse = [...unused][0];
      if (reuse) write(group, reuse);
      else store.create(SLICES, sliceObject(svc, group));
    }
    for (const slice of unused) ignoreStale(() => store.delete(SLICES, slice.metadata.namespace, slice.metadata.name!));
  };

  const managedSlices = (namespace: string | undefined, service: string) =>
    store.list(SLICES, { namespace, labelSelector: `${SERVICE_NAME_LABEL}=${service},${SLICE_MANAGED_BY}=${SLICE_CONTROLLER}` }).items;

  return runController(ctx, {
    name: "endpoint-controllers",
    watches: [
      { resource: "services", keys: (obj) => [objectKey(obj)] },
      { resource: "pods", keys: (obj) => servicesIn(obj.metadata.namespace) },
      { resource: SLICES, keys: (obj) => (obj.metadata.labels?.[SERVICE_NAME_LABEL] ? [`${obj.metadata.namespace}/${obj.metadata.labels[SERVICE_NAME_LABEL]}`] : []) },
      { resource: "endpoints", keys: (obj) => [objectKey(obj)] },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const svc = store.tryGet("services", namespace, name);
      if (!managesEndpoints(svc)) {
        // Service gone (or no longer selecting pods): remove what the controllers made for it.
        const ep = store.tryGet("endpoints", namespace, name);
        if (ep?.metadata.labels?.[ENDPOINTS_MANAGED_BY] === ENDPOINTS_CONTROLLER) ignoreStale(() => store.delete("endpoints", namespace, name));
        for (const s of managedSlices(namespace, name)) ignoreStale(() => store.delete(SLICES, namespace, s.metadata.name!));
        return;
      }
      // Read only (endpoints-build.ts builds new objects), so no copies of every pod per sync.
      const pods = store.view("pods", { namespace });
      syncEndpoints(svc!, pods);
      syncSlices(svc!, pods);
    },
  });
}
