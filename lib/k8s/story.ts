import type { CoreV1Event, V1StatefulSet } from "@kubernetes/client-node";
import { claimTemplateNames, podOrdinal, pvcOrdinal } from "./ordinals";

/**
 * Per event object: whether it belongs to the story of the set it was last asked about (by name and
 * claim templates, which is all relatedTo reads). Thousands of events are filtered each time one
 * arrives; an event object never changes (the watch cache replaces it).
 */
const eventRelated = new WeakMap<CoreV1Event, { story: string; related: boolean }>();

export function relatedEvents(sts: V1StatefulSet, events: CoreV1Event[]): CoreV1Event[] {
  const story = [sts.metadata?.name ?? "", ...claimTemplateNames(sts)].join("/");
  return events.filter((event) => {
    let known = eventRelated.get(event);
    if (known?.story !== story) eventRelated.set(event, (known = { story, related: relatedTo(sts, event.involvedObject?.kind, event.involvedObject?.name) }));
    return known.related;
  });
}

/** Whether an object belongs to the StatefulSet's story: the set, its pods, its claims, nodes. */
export function relatedTo(sts: V1StatefulSet, kind: string | undefined, name: string | undefined): boolean {
  const stsName = sts.metadata?.name ?? "";
  if (!kind || !name) return false;
  if (kind === "StatefulSet") return name === stsName;
  if (kind === "Pod") return podOrdinal(name, stsName) !== undefined;
  if (kind === "PersistentVolumeClaim") return claimTemplateNames(sts).some((t) => pvcOrdinal(name, t, stsName) !== undefined);
  if (kind === "Node" || kind === "PersistentVolume") return true;
  if (kind === "Service" || kind === "EndpointSlice") return true;
  return false;
}
