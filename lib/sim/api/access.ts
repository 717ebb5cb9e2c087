import type { CoreV1Event, EventsV1Event } from "@kubernetes/client-node";
import { apiVersionOf, resourceKey, type ResourceType } from "../store/resources";
import type { StoredObject } from "../store/store";

/**
 * How one served resource maps onto storage. Almost always 1:1; events.k8s.io/v1 Events are the
 * core/v1 Events seen through another version (one storage, as in the real API server), so they
 * are converted on the way in and out.
 */
export interface ResourceAccess {
  rt: ResourceType;
  /** Store key of the storage. */
  key: string;
  apiVersion: string;
  toExternal(obj: StoredObject): StoredObject;
  toInternal(obj: StoredObject): StoredObject;
}

const identity = (o: StoredObject) => o;

export function accessFor(rt: ResourceType): ResourceAccess {
  if (rt.group === "events.k8s.io") {
    return { rt, key: "events", apiVersion: apiVersionOf(rt), toExternal: coreToEventsV1, toInternal: eventsV1ToCore };
  }
  return { rt, key: resourceKey(rt), apiVersion: apiVersionOf(rt), toExternal: identity, toInternal: identity };
}

function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** pkg/apis/events/v1 conversion: involvedObject→regarding, message→note, source→deprecatedSource, … */
export function coreToEventsV1(obj: StoredObject): StoredObject {
  const e = obj as unknown as CoreV1Event;
  const out = compact({
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: e.reportingComponent || undefined,
    reportingInstance: e.reportingInstance || undefined,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  } as Record<string, unknown>);
  return out as unknown as StoredObject;
}

export function eventsV1ToCore(obj: StoredObject): StoredObject {
  const e = obj as unknown as EventsV1Event;
  const out = compact({
    apiVersion: "v1",
    kind: "Event",
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource ?? (e.reportingController ? { component: e.reportingController } : undefined),
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController ?? "",
    reportingInstance: e.reportingInstance ?? "",
  } as Record<string, unknown>);
  return out as unknown as StoredObject;
}
