import { attributesOf, type ModelAttribute } from "../models";
import { type ModelDocs, modelDocs } from "./descriptions";
import { definitionName, FIELDS_V1, INT_OR_STRING, MICRO_TIME, PATCH, QUANTITY, RAW_EXTENSION, TIME } from "./names";

/**
 * OpenAPI schemas of the Kubernetes types, generated from @kubernetes/client-node's models (its
 * classes are generated from the Kubernetes v1.34 OpenAPI): each class's `attributeTypeMap` gives
 * the properties and their types ("number"/"int32", "Array<V1PersistentVolumeClaim>",
 * "{ [key: string]: string; }", "Date", "IntOrString", "any"), its .d.ts the descriptions and the
 * required properties (./descriptions). From the classes asked for, the walk follows every
 * referenced model, so a document holds each schema its $refs name.
 *
 * Where client-node's types say less than the upstream schema, tables below put it back: the
 * Quantity fields (typed "string") and the two "any" fields (RawExtension, FieldsV1). What the
 * package does not keep at all stays out: string enums (and their "Possible enum values" text),
 * the descriptions of properties whose type is a model, and the x-kubernetes-list-type/patch
 * markers (which kubectl must not see anyway: see ../openapi.ts).
 */

export type Schema = Record<string, unknown>;
/** OpenAPI v3 (/openapi/v3) or Swagger 2.0 (/openapi/v2): only the few special types differ. */
export type Dialect = "v3" | "v2";
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

type Attribute = ModelAttribute;

const SCHEMA_REF = "#/components/schemas/";
const ref = (definition: string): Schema => ({ $ref: `${SCHEMA_REF}${definition}` });
const refTarget = (schema: Schema): string | undefined => (typeof schema.$ref === "string" ? schema.$ref.slice(SCHEMA_REF.length) : undefined);

/**
 * Fields whose values are resource.Quantity upstream ("1Gi", "500m"), which client-node types as
 * strings: all those the served kinds reach (compared with a v1.36 apiserver's schemas).
 */
const QUANTITY_FIELDS: Record<string, string[]> = {
  V1ContainerStatus: ["allocatedResources"],
  V1EmptyDirVolumeSource: ["sizeLimit"],
  V1NodeStatus: ["allocatable", "capacity"],
  V1PersistentVolumeClaimStatus: ["allocatedResources", "capacity"],
  V1PersistentVolumeSpec: ["capacity"],
  V1PodSpec: ["overhead"],
  V1ResourceFieldSelector: ["divisor"],
  V1ResourceRequirements: ["limits", "requests"],
  V1VolumeResourceRequirements: ["limits", "requests"],
};

/** The "any" fields client-node has, by the opaque type they are upstream. */
const ANY_FIELDS: Record<string, string> = {
  "V1ControllerRevision.data": "RawExtension",
  "V1ManagedFieldsEntry.fieldsV1": "FieldsV1",
};

/** Type names that stand for the apimachinery types rather than client-node models. */
const SPECIAL_TYPES: Record<string, string> = {
  Date: TIME,
  V1MicroTime: MICRO_TIME,
  IntOrString: INT_OR_STRING,
  Quantity: QUANTITY,
  RawExtension: RAW_EXTENSION,
  FieldsV1: FIELDS_V1,
};

/** The apimachinery types, as the apiserver serves them (opening sentences of their descriptions). */
function specialSchemas(dialect: Dialect): Record<string, Schema> {
  const v3 = dialect === "v3";
  return {
    [TIME]: {
      description: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
      type: "string",
      format: "date-time",
    },
    [MICRO_TIME]: { description: "MicroTime is version of Time with microsecond level precision.", type: "string", format: "date-time" },
    [INT_OR_STRING]: {
      description: "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
      ...(v3 ? { format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] } : { type: "string", format: "int-or-string" }),
    },
    [QUANTITY]: {
      description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.",
      ...(v3 ? { oneOf: [{ type: "string" }, { type: "number" }] } : { type: "string" }),
    },
    [RAW_EXTENSION]: { description: "RawExtension is used to hold extensions in external versions.", type: "object" },
    [FIELDS_V1]: { description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.", type: "object" },
    [PATCH]: { description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.", type: "object" },
  };
}

/** The type client-node's declaration loses: Quantity for "string", RawExtension/FieldsV1 for "any". */
function upstreamType(className: string, attribute: Attribute): string {
  if (QUANTITY_FIELDS[className]?.includes(attribute.baseName)) {
    return attribute.type === "string" ? "Quantity" : attribute.type.replace(/: string; \}$/, ": Quantity; }");
  }
  return ANY_FIELDS[`${className}.${attribute.baseName}`] ?? attribute.type;
}

export class SchemaSet {
  readonly schemas: Record<string, Schema> = {};
  private readonly specials: Record<string, Schema>;

  constructor(
    dialect: Dialect,
    private readonly kindsOf: (definition: string) => GroupVersionKind[] | undefined,
    /** Descriptions and required fields; without them (no .d.ts found) schemas just lack both. */
    private readonly docsOf: (className: string) => ModelDocs | undefined = modelDocs,
  ) {
    this.specials = specialSchemas(dialect);
  }

  /** Adds the schema of a model class and of everything it references; returns its definition name. */
  addModel(className: string): string {
    const definition = definitionName(className);
    const attributes = attributesOf(className);
    if (!definition || !attributes) throw new Error(`no Kubernetes model ${className} in @kubernetes/client-node`);
    if (this.schemas[definition]) return definition;
    const docs = this.docsOf(className);
    const schema: Schema = { ...(docs?.description ? { description: docs.description } : {}), type: "object" };
    this.schemas[definition] = schema; // before the properties: types refer to themselves (JSONSchemaProps)
    const required = attributes.filter((a) => docs?.required.has(a.name)).map((a) => a.baseName);
    if (required.length) schema.required = required;
    schema.properties = Object.fromEntries(attributes.map((a) => [a.baseName, this.property(className, a, docs?.properties.get(a.name))]));
    const kinds = this.kindsOf(definition);
    if (kinds) schema["x-kubernetes-group-version-kind"] = kinds;
    return definition;
  }

  /** Adds one of the apimachinery types (Patch) that no model property reaches. */
  addSpecial(definition: string): void {
    this.schemas[definition] ??= this.specials[definition];
  }

  /**
   * A property's schema with its description. client-node keeps no description for a property
   * whose type is another model, so the referenced type's description stands in, beside the $ref
   * (as /openapi/v2 writes it): `kubectl explain` lists it under FIELDS, and for the field itself
   * prints the referenced schema's description once (a v3 `allOf: [{$ref}]` would print it twice).
   */
  private property(className: string, attribute: Attribute, doc: string | undefined): Schema {
    const schema = this.typeSchema(upstreamType(className, attribute), attribute.format);
    const target = refTarget(schema);
    const description = doc ?? (target ? ((this.schemas[target] ?? this.specials[target])?.description as string | undefined) : undefined);
    return description ? { description, ...schema } : schema;
  }

  private typeSchema(type: string, format: string): Schema {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: "array", items: this.typeSchema(array[1], format) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: "object", additionalProperties: this.typeSchema(map[1], format) };
    const special = SPECIAL_TYPES[type];
    if (special) {
      this.addSpecial(special);
      return ref(special);
    }
    switch (type) {
      case "string":
        return { type: "string", ...(format ? { format } : {}) };
      case "boolean":
        return { type: "boolean" };
      case "number":
        return format.startsWith("int") ? { type: "integer", format } : { type: "number", ...(format ? { format } : {}) };
      case "any":
        return { type: "object" };
      default:
        return ref(this.addModel(type));
    }
  }
}
