import type { CoreV1Event, KubernetesObject } from "@kubernetes/client-node";
import { timeField } from "../../../k8s/time";
import type { SimContext } from "../../context";
import { cachedEventName, rememberEvent } from "./event-cache";

export interface EventSource {
  component: string; // "statefulset-controller", "default-scheduler", "kubelet", ...
  host?: string; // node name for kubelet events
}

/**
 * Records a core/v1 Event about `involved` as client-go's event recorder does, including its
 * aggregation: the same reason+message+source for the same object bumps `count` and
 * `lastTimestamp` instead of creating a new Event (kubectl describe shows "(x3 over 2m)").
 */
export function recordEvent(
  ctx: SimContext,
  involved: KubernetesObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  source: EventSource,
): void {
  const meta = involved.metadata ?? {};
  const namespace = meta.namespace || "default";
  const now = ctx.clock.now();
  const uid = meta.uid;
  const key = JSON.stringify([namespace, involved.kind, meta.name, uid, reason, message, source.component, source.host ?? "", type]);
  const cachedName = cachedEventName(ctx.store, key);
  const existing = cachedName === undefined ? undefined : ctx.store.tryGet("events", namespace, cachedName);
  if (existing && existing.involvedObject.uid === uid) {
    ctx.store.update("events", { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: timeField(now) });
    return;
  }
  const event: CoreV1Event = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${meta.name}.${(now * 1_000_000 + Math.floor(Math.random() * 1_000_000)).toString(16)}`, namespace },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: meta.name,
      namespace: meta.namespace,
      uid,
      resourceVersion: meta.resourceVersion,
    },
    reason,
    message,
    type,
    source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
    reportingComponent: source.component,
    reportingInstance: source.host ?? "",
    firstTimestamp: timeField(now),
    lastTimestamp: timeField(now),
    count: 1,
  };
  const created = ctx.store.create("events", event);
  rememberEvent(ctx.store, key, created.metadata.name!);
}
