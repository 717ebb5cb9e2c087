import type { ServerResponse } from "node:http";
import { errors } from "../store/errors";
import { attributesOf } from "./models";
import type { ResourceType } from "../store/resources";

/**
 * Server-side field validation (the `fieldValidation` query parameter, KEP-2885): fields the schema
 * does not know are an error with Strict (what kubectl ≥ 1.27 sends by default), a `Warning`
 * header with Warn (the server's default) and nothing with Ignore. The schema is the type metadata
 * @kubernetes/client-node generates from the Kubernetes OpenAPI (attributeTypeMap).
 */
function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

interface Walk {
  prune: boolean;
  /** Paths already unknown in the stored object (a patch result carries them): left alone. */
  existing?: Set<string>;
}

function checkValue(type: string, value: unknown, path: string, walk: Walk): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => checkValue(array[1], v, `${path}[${i}]`, walk)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return isMap(value) ? Object.entries(value).flatMap(([k, v]) => checkValue(map[1], v, `${path}[${k}]`, walk)) : [];
  return attributesOf(type) ? walkModel(type, value, path, walk) : [];
}

function walkModel(model: string, value: unknown, path: string, walk: Walk): string[] {
  const attributes = attributesOf(model);
  if (!attributes || !isMap(value)) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) {
      if (walk.existing?.has(at)) continue;
      out.push(at);
      if (walk.prune) delete value[key];
    } else out.push(...checkValue(attribute.type, v, at, walk));
  }
  return out;
}

/**
 * Paths of the fields of `value` the model does not declare ("spec.replica",
 * "spec.template.spec.containers[0].imagee"); with `prune`, also drops them, as decoding does.
 */
export function unknownFields(model: string, value: unknown, opts: Walk = { prune: false }): string[] {
  return walkModel(model, value, "", opts);
}

/** The generated model of a served kind: V1Pod, V1StatefulSet, CoreV1Event, EventsV1Event, … */
export function modelOf(rt: Pick<ResourceType, "group" | "kind">): string {
  if (rt.kind === "Event") return rt.group === "events.k8s.io" ? "EventsV1Event" : "CoreV1Event";
  return `V1${rt.kind}`;
}

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const raw = query.get("fieldValidation") ?? "";
  if (raw === "") return "Warn";
  if (raw === "Strict" || raw === "Warn" || raw === "Ignore") return raw;
  throw errors.badRequest(`fieldValidation: Unsupported value: "${raw}": supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * Applies the directive to `obj` (a body, or a patched object and the `current` one it came from)
 * of kind `kind` in `version`. New unknown fields never reach storage: Strict refuses them, Warn
 * and Ignore drop them.
 */
export function validateFields(query: URLSearchParams, res: ServerResponse, model: string, kind: string, version: string, obj: unknown, current?: unknown): void {
  const directive = fieldValidationOf(query);
  const existing = current === undefined ? undefined : new Set(unknownFields(model, current));
  const unknown = unknownFields(model, obj, { prune: directive !== "Strict", existing });
  if (!unknown.length || directive === "Ignore") return;
  if (directive === "Strict") {
    throw errors.badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}`);
  }
  const header = res.getHeader("Warning");
  const previous = Array.isArray(header) ? header : header ? [String(header)] : [];
  res.setHeader("Warning", [...previous, ...unknown.map((f) => `299 - ${JSON.stringify(`unknown field "${f}"`)}`)]);
}
