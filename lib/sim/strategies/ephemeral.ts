import type { V1EphemeralContainer } from "@kubernetes/client-node";
import { StatusError } from "../store/errors";
import type { Stored } from "../store/types";

/**
 * `pods/{name}/ephemeralcontainers` (registry/core/pod EphemeralContainersStrategy): only
 * `spec.ephemeralContainers` is taken from the request, and ephemeral containers can be added but
 * never changed or removed (ValidatePodEphemeralContainersUpdate); names are unique in the pod.
 */
export function withEphemeralContainers(old: Stored<"pods">, requested: Stored<"pods">): Stored<"pods"> {
  const before: V1EphemeralContainer[] = old.spec?.ephemeralContainers ?? [];
  const after: V1EphemeralContainer[] = requested.spec?.ephemeralContainers ?? [];
  const name = old.metadata.name!;
  const invalid = (field: string, message: string) =>
    new StatusError(422, "Invalid", `Pod "${name}" is invalid: ${field}: ${message}`, { name, kind: "Pod", causes: [{ reason: "FieldValueForbidden", message, field }] });
  for (const existing of before) {
    const kept = after.find((c) => c.name === existing.name);
    if (!kept || JSON.stringify(kept) !== JSON.stringify(existing)) throw invalid("spec.ephemeralContainers", "existing ephemeral containers may not be changed");
  }
  const spec = old.spec!;
  const taken = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  after.forEach((c, i) => {
    if (!c.name) throw new StatusError(422, "Invalid", `Pod "${name}" is invalid: spec.ephemeralContainers[${i}].name: Required value`, { name, kind: "Pod" });
    if (taken.has(c.name)) throw new StatusError(422, "Invalid", `Pod "${name}" is invalid: spec.ephemeralContainers[${i}].name: Duplicate value: "${c.name}"`, { name, kind: "Pod" });
    taken.add(c.name);
  });
  const defaulted = after.map((c) => ({ terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: c.image?.includes(":") && !c.image.endsWith(":latest") ? "IfNotPresent" : "Always", ...c }));
  return { ...old, spec: { ...spec, ephemeralContainers: defaulted } };
}
