/**
 * JSON ↔ protobuf for Kubernetes objects, as the Go types do it: the JSON an object has is what
 * encoding/json makes of the Go struct the protobuf decodes into, and the protobuf is what the
 * gogo-generated Marshal writes for the Go struct the JSON decodes into. The Go side of each field
 * (json name, omitempty/omitzero, pointer or value) is in the descriptor's field options
 * (scripts/k8s-proto.ts), the types with their own JSON form in ./wellknown.
 */
import protobuf from "protobufjs";
import descriptor from "./k8s-proto.json";
import { toNumber, WELL_KNOWN } from "./wellknown";

export const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
root.resolveAll();

type Json = Record<string, unknown>;

/** How encoding/json treats a Go field (recorded by scripts/k8s-proto.ts as the field's options). */
export interface GoField {
  json: string;
  omitempty: boolean;
  omitzero: boolean;
  pointer: boolean;
  /** An embedded struct (`json:",inline"`): its fields are the parent's in JSON. */
  inline: boolean;
}

const goFields = new WeakMap<protobuf.Field, GoField>();

function goOf(f: protobuf.Field): GoField {
  let g = goFields.get(f);
  if (!g) {
    const o = f.options ?? {};
    g = { json: (o.json as string | undefined) ?? f.name, omitempty: !!o.omitempty, omitzero: !!o.omitzero, pointer: !!o.pointer, inline: !!o.inline };
    goFields.set(f, g);
  }
  return g;
}

const INT_TYPES = new Set(["int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"]);

function scalarZero(type: string): unknown {
  if (type === "string") return "";
  if (type === "bool") return false;
  return 0;
}

function scalarFromJson(f: protobuf.Field, v: unknown): unknown {
  if (f.type === "bytes") return typeof v === "string" ? Buffer.from(v, "base64") : new Uint8Array();
  if (f.type === "string") return typeof v === "string" ? v : String(v);
  if (f.type === "bool") return v === true;
  if (INT_TYPES.has(f.type) || f.type === "double" || f.type === "float") {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new TypeError(`${f.name}: ${JSON.stringify(v)} is not a number`);
    return n;
  }
  return v;
}

function scalarToJson(f: protobuf.Field, v: unknown): unknown {
  if (f.type === "bytes") return Buffer.from(v as Uint8Array).toString("base64");
  if (INT_TYPES.has(f.type)) return toNumber(v);
  return v;
}

function isZeroScalar(v: unknown): boolean {
  return v === "" || v === false || v === 0 || (v instanceof Uint8Array && v.length === 0);
}

/** A message-typed value (the element of a repeated field, a map value, or a field) from JSON. */
function messageFromJson(type: protobuf.Type, json: unknown): Json {
  const special = WELL_KNOWN[type.fullName.slice(1)];
  if (special) return json === null || json === undefined ? {} : special.toMessage(json);
  return toMessage(type, (json && typeof json === "object" ? json : {}) as Json);
}

function valueFromJson(f: protobuf.Field, v: unknown): unknown {
  return f.resolvedType instanceof protobuf.Type ? messageFromJson(f.resolvedType, v) : scalarFromJson(f, v);
}

/** JSON object → message fields, writing what gogo's Marshal writes: values always, pointers when set. */
export function toMessage(type: protobuf.Type, json: Json): Json {
  const out: Json = {};
  for (const f of type.fieldsArray) {
    const go = goOf(f);
    if (go.inline && f.resolvedType instanceof protobuf.Type) {
      out[f.name] = toMessage(f.resolvedType, json);
      continue;
    }
    const v = json[go.json];
    if (f instanceof protobuf.MapField) {
      if (v && typeof v === "object") {
        const entries = Object.keys(v).sort().map((k) => [k, valueFromJson(f, (v as Json)[k])]);
        if (entries.length) out[f.name] = Object.fromEntries(entries);
      }
    } else if (f.repeated) {
      if (Array.isArray(v) && v.length) out[f.name] = v.map((e) => valueFromJson(f, e));
    } else if (v === null || v === undefined) {
      if (go.pointer || f.type === "bytes") continue;
      out[f.name] = f.resolvedType instanceof protobuf.Type ? messageFromJson(f.resolvedType, undefined) : scalarZero(f.type);
    } else {
      out[f.name] = valueFromJson(f, v);
    }
  }
  return out;
}

function messageToJson(type: protobuf.Type, msg: Json): unknown {
  const special = WELL_KNOWN[type.fullName.slice(1)];
  return special ? special.fromMessage(msg) : fromMessage(type, msg);
}

function valueToJson(f: protobuf.Field, v: unknown): unknown {
  return f.resolvedType instanceof protobuf.Type ? messageToJson(f.resolvedType, v as Json) : scalarToJson(f, v);
}

function isZeroMessage(type: protobuf.Type, msg: Json): boolean {
  const special = WELL_KNOWN[type.fullName.slice(1)];
  if (special) return special.isZero(msg);
  return type.fieldsArray.every((f) => {
    const v = msg[f.name];
    if (v === undefined || v === null) return true;
    if (f.repeated || f instanceof protobuf.MapField) return Object.keys(v as object).length === 0;
    return f.resolvedType instanceof protobuf.Type ? isZeroMessage(f.resolvedType, v as Json) : isZeroScalar(toJsonZeroable(f, v));
  });
}

function toJsonZeroable(f: protobuf.Field, v: unknown): unknown {
  return INT_TYPES.has(f.type) ? toNumber(v) : v;
}

function has(msg: Json, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, name) && msg[name] !== undefined && msg[name] !== null;
}

/**
 * Decoded message → the JSON encoding/json writes for the Go struct it unmarshals into: a field
 * missing on the wire is Go's zero value (nil for pointers, slices, maps and []byte); omitempty
 * drops zero scalars and nils but never a struct value; omitzero drops a zero struct.
 */
export function fromMessage(type: protobuf.Type, msg: Json): Json {
  const out: Json = {};
  for (const f of type.fieldsArray) {
    const go = goOf(f);
    const v = msg[f.name];
    if (go.json === "-") continue;
    if (go.inline && f.resolvedType instanceof protobuf.Type) {
      Object.assign(out, fromMessage(f.resolvedType, has(msg, f.name) ? (v as Json) : {}));
      continue;
    }
    if (f.repeated || f instanceof protobuf.MapField) {
      const entries = v && typeof v === "object" ? Object.keys(v) : [];
      if (entries.length === 0) {
        if (!go.omitempty && !go.omitzero) out[go.json] = null;
      } else if (Array.isArray(v)) {
        out[go.json] = v.map((e) => valueToJson(f, e));
      } else {
        out[go.json] = Object.fromEntries(entries.map((k) => [k, valueToJson(f, (v as Json)[k])]));
      }
      continue;
    }
    const present = has(msg, f.name);
    if (go.pointer || f.type === "bytes") {
      if (present && !(f.type === "bytes" && (v as Uint8Array).length === 0 && go.omitempty)) out[go.json] = valueToJson(f, v);
      else if (!go.omitempty && !go.omitzero) out[go.json] = null;
      continue;
    }
    if (f.resolvedType instanceof protobuf.Type) {
      const sub = present ? (v as Json) : {};
      if (go.omitzero && isZeroMessage(f.resolvedType, sub)) continue;
      out[go.json] = messageToJson(f.resolvedType, sub);
      continue;
    }
    const value = present ? scalarToJson(f, v) : scalarZero(f.type);
    if ((go.omitempty || go.omitzero) && isZeroScalar(value)) continue;
    out[go.json] = value;
  }
  return out;
}
