import type { V1EphemeralContainer, V1Pod } from "@kubernetes/client-node";
import { StatusError } from "../store/errors";
import type { StoredObject } from "../store/store";

/**
 * `pods/{name}/ephemeralcontainers` (registry/core/pod EphemeralContainersStrategy): only
 * `spec.ephemeralContainers` is taken from the request, and ephemeral containers can be added but
 * never changed or removed (ValidatePodEphemeralContainersUpdate); names are unique in the pod.
 */
export function withEphemeralContainers(old: StoredObject, requested: StoredObject): StoredObject {
  const before = ((old as unknown as V1Pod).spec?.ephemeralContainers ?? []) as V1EphemeralContainer[];
  const after = ((requested as unknown as V1Pod).spec?.ephemeralContainers ?? []) as V1EphemeralContainer[];
  const name = old.metadata.name!;
  const invalid = (field: string, message: string) =>
    new StatusError(422, "Invalid", `Pod "${name}" is invalid: ${field}: ${message}`, { name, kind: "Pod", causes: [{ reason: "FieldValueForbidden", message, field }] });
  for (const existing of before) {
    const kept = after.find((c) => c.name === existing.name);
    if (!kept || JSON.stringify(kept) !== JSON.stringify(existing)) throw invalid("spec.ephemeralContainers", "existing ephemeral containers may not be changed");
  }
  const spec = (old as unknown as V1Pod).spec!;
  const taken = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  after.forEach((c, i) => {
    if (!c.name) throw new StatusError(422, "Invalid", `Pod "${name}" is invalid: spec.ephemeralContainers[${i}].name: Required value`, { name, kind: "Pod" });
    if (taken.has(c.name)) throw new StatusError(422, "Invalid", `Pod "${name}" is invalid: spec.ephemeralContainers[${i}].name: Duplicate value: "${c.name}"`, { name, kind: "Pod" });
    taken.add(c.name);
  });
  const defaulted = after.map((c) => ({ terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: c.image?.includes(":") && !c.image.endsWith(":latest") ? "IfNotPresent" : "Always", ...c }));
  return { ...old, spec: { ...(old as unknown as { spec: object }).spec, ephemeralContainers: defaulted } } as StoredObject;
}
