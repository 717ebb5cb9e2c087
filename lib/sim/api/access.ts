import { NULL_TIME } from "../../k8s/time";
import { apiVersionOf, resourceKey, type ResourceType } from "../store/resources";
import type { StoredObject } from "../store/store";
import type { Stored } from "../store/types";

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

/** Drops the fields left undefined (the conversion leaves them out of the JSON, as Go's omitempty does). */
function compact<T extends object>(o: T): T {
  for (const [k, v] of Object.entries(o)) if (v === undefined) delete o[k as keyof T];
  return o;
}

/** pkg/apis/events/v1 conversion: involvedObject→regarding, message→note, source→deprecatedSource, … */
export function coreToEventsV1(e: Stored<"events">): Stored<"events.events.k8s.io"> {
  return compact({
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: e.metadata,
    eventTime: e.eventTime ?? NULL_TIME,
    // events.k8s.io's series has required fields (Go's int32 and MicroTime without omitempty).
    series: e.series && { count: e.series.count ?? 0, lastObservedTime: e.series.lastObservedTime ?? NULL_TIME },
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
  });
}

export function eventsV1ToCore(e: Stored<"events.events.k8s.io">): Stored<"events"> {
  return compact({
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
  });
}
