import { isLosslessNumber, type LosslessNumber } from "lossless-json";
import { attributesOf } from "../models";
import { quantityError } from "./quantity";

/**
 * Typed decoding, as the API server's JSON decoder (sigs.k8s.io/json, Go's encoding/json) turns a
 * body into the Go struct of its kind: a value of the wrong JSON type, a fraction or an
 * out-of-range number in an int32/int64 field, a malformed quantity are decode errors, worded as
 * Go words them (`json: cannot unmarshal number 2147483648 into Go struct field
 * StatefulSetSpec.spec.replicas of type int32`). Go keeps the first error in document order.
 *
 * The schema is the type metadata @kubernetes/client-node generates from the Kubernetes OpenAPI
 * (attributeTypeMap with its int32/int64 formats): every served kind is covered without a
 * hand-written copy of its fields (why not zod: its schemas would duplicate exactly that metadata).
 */

/** Go struct name of a generated model: V1StatefulSetSpec → StatefulSetSpec, CoreV1Event → Event. */
export function goStructName(model: string): string {
  return model.replace(/^(?:[A-Z][a-z]+)*V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, "");
}

/** Maps of resource.Quantity (ResourceList) and single quantities, by model and field. */
const QUANTITY_FIELDS = new Set([
  "V1ResourceRequirements.limits",
  "V1ResourceRequirements.requests",
  "V1VolumeResourceRequirements.limits",
  "V1VolumeResourceRequirements.requests",
  "V1NodeStatus.capacity",
  "V1NodeStatus.allocatable",
  "V1PersistentVolumeSpec.capacity",
  "V1PersistentVolumeClaimStatus.capacity",
  "V1PersistentVolumeClaimStatus.allocatedResources",
  "V1ResourceQuotaSpec.hard",
  "V1ResourceQuotaStatus.hard",
  "V1ResourceQuotaStatus.used",
  "V1EmptyDirVolumeSource.sizeLimit",
  "V1PodSpec.overhead",
]);

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** How Go's encoder writes a float64 (what a patched object's numbers look like): JS agrees. */
function numberLiteral(value: number | LosslessNumber): string {
  return isLosslessNumber(value) ? value.value : String(value);
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number" || isLosslessNumber(value)) return "number";
  return typeof value === "string" ? "string" : "object";
}

function isInteger(value: number | LosslessNumber, goType: string): boolean {
  const literal = numberLiteral(value);
  let n: bigint;
  if (isLosslessNumber(value)) {
    if (!/^-?(0|[1-9]\d*)$/.test(literal)) return false;
    n = BigInt(literal);
  } else {
    if (!Number.isInteger(value)) return false;
    n = BigInt(value);
  }
  const [min, max] = INT_RANGES[goType];
  return n >= min && n <= max;
}

function goTypeOf(type: string, format: string): string {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return `[]${goTypeOf(array[1], format)}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `map[string]${goTypeOf(map[1], format)}`;
  if (type === "number") return format === "double" ? "float64" : format || "float64";
  if (type === "boolean") return "bool";
  if (type === "string") return format === "byte" ? "[]uint8" : "string";
  if (type === "Date") return "v1.Time";
  if (type === "IntOrString") return "intstr.IntOrString";
  return attributesOf(type) ? `v1.${goStructName(type)}` : "interface {}";
}

interface Context {
  struct: string;
  fields: string[];
}

const typeError = (value: string, goType: string, ctx: Context) => `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join(".")} of type ${goType}`;

function checkScalar(type: string, format: string, value: unknown, ctx: Context, quantity: boolean): string | undefined {
  const kind = jsonKind(value);
  if (quantity) return quantityError(value);
  switch (type) {
    case "number":
      if (kind !== "number") return typeError(kind, goTypeOf(type, format), ctx);
      if ((format === "int32" || format === "int64") && !isInteger(value as number, format)) return typeError(`number ${numberLiteral(value as number)}`, format, ctx);
      return undefined;
    case "boolean":
      return kind === "bool" ? undefined : typeError(kind, "bool", ctx);
    case "string":
      return kind === "string" ? undefined : typeError(kind, goTypeOf(type, format), ctx);
    case "Date":
      return kind === "string" ? undefined : `json: cannot unmarshal ${kind} into Go value of type string`;
    case "IntOrString":
      if (kind === "string") return undefined;
      if (kind === "number" && isInteger(value as number, "int32")) return undefined;
      return `json: cannot unmarshal ${kind === "number" ? `number ${numberLiteral(value as number)}` : kind} into Go value of type int32`;
    default:
      return undefined;
  }
}

function checkValue(type: string, format: string, value: unknown, ctx: Context, quantity: boolean): string | undefined {
  if (value === null || value === undefined) return undefined;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return typeError(jsonKind(value), goTypeOf(type, format), ctx);
    for (const item of value) {
      const err = checkValue(array[1], format, item, ctx, quantity);
      if (err) return err;
    }
    return undefined;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (jsonKind(value) !== "object") return typeError(jsonKind(value), quantity ? "v1.ResourceList" : goTypeOf(type, format), ctx);
    for (const item of Object.values(value as Record<string, unknown>)) {
      const err = checkValue(map[1], format, item, ctx, quantity);
      if (err) return err;
    }
    return undefined;
  }
  if (attributesOf(type)) {
    if (jsonKind(value) !== "object") return typeError(jsonKind(value), goTypeOf(type, format), ctx);
    return checkModel(type, value as Record<string, unknown>, ctx.fields);
  }
  return checkScalar(type, format, value, ctx, quantity);
}

function checkModel(model: string, value: Record<string, unknown>, fields: string[]): string | undefined {
  const attributes = attributesOf(model) ?? [];
  for (const [key, v] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) continue; // unknown fields: fieldValidation's business (see fields.ts)
    const ctx = { struct: goStructName(model), fields: [...fields, key] };
    const err = checkValue(attribute.type, attribute.format, v, ctx, QUANTITY_FIELDS.has(`${model}.${key}`));
    if (err) return err;
  }
  return undefined;
}

/** The first decode error of `value` as model `model` (V1StatefulSet, V1Scale, …), or undefined. */
export function decodeError(model: string, value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return checkModel(model, value as Record<string, unknown>, []);
}
