import type { CoreV1Event, KubernetesObject } from "@kubernetes/client-node";
import { timeField } from "../../../k8s/time";
import type { SimContext } from "../../context";
import { cachedEventName, rememberEvent } from "./event-cache";

export interface EventSource {
  component: string; // "statefulset-controller", "default-scheduler", "kubelet", ...
  host?: string; // node name for kubelet events
}

/**
 * client-go names an Event `<object>.<UnixNano in hex>`. Our clock has milliseconds, so the
 * nanoseconds below them are made up; BigInt keeps them (a float loses everything under 256 ns at
 * today's epoch, so a burst of events in one millisecond collided and the write failed with
 * AlreadyExists). A name still taken moves on by a nanosecond.
 */
function eventName(ctx: SimContext, namespace: string, object: string, nowMs: number): string {
  let nanos = BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  while (ctx.store.peek("events", namespace, `${object}.${nanos.toString(16)}`)) nanos += 1n;
  return `${object}.${nanos.toString(16)}`;
}

/**
 * Records a core/v1 Event about `involved` (a part of it with `fieldPath`) as client-go's event recorder does, including its
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
  opts: { fieldPath?: string } = {},
): void {
  const meta = involved.metadata ?? {};
  const namespace = meta.namespace || "default";
  const now = ctx.clock.now();
  const uid = meta.uid;
  const key = JSON.stringify([namespace, involved.kind, meta.name, uid, opts.fieldPath ?? "", reason, message, source.component, source.host ?? "", type]);
  const cachedName = cachedEventName(ctx.store, key);
  const existing = cachedName === undefined ? undefined : ctx.store.tryGet("events", namespace, cachedName);
  if (existing && existing.involvedObject.uid === uid) {
    ctx.store.update("events", { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: timeField(now) });
    return;
  }
  const event: CoreV1Event = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: eventName(ctx, namespace, meta.name!, now), namespace },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: meta.name,
      namespace: meta.namespace,
      uid,
      resourceVersion: meta.resourceVersion,
      // The part of the object the event is about: a container (`spec.containers{kubia}`) for the kubelet's.
      ...(opts.fieldPath ? { fieldPath: opts.fieldPath } : {}),
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
