import { createHash } from "node:crypto";
import { RESOURCES, type ResourceType } from "../store/resources";
import { SERVER_VERSION } from "./discovery";
import { modelOf } from "./fields";
import { definitionName, PATCH } from "./openapi/names";
import { type Dialect, type GroupVersionKind, type Schema, SchemaSet } from "./openapi/schemas";

/**
 * OpenAPI documents generated from RESOURCES, with the schemas of the Kubernetes types
 * (./openapi/schemas: from @kubernetes/client-node's models and their upstream descriptions), so
 * `kubectl explain statefulset.spec.replicas` answers as on a real cluster. What else matters to
 * kubectl (1.32 to 1.36):
 * - `apply`/`create` look in /openapi/v3 for the `fieldValidation` parameter on the PATCH operation
 *   of the kind (x-kubernetes-group-version-kind); finding it, they leave validation to the server
 *   (`?fieldValidation=Strict`) instead of validating against the schema client-side.
 * - client-side `apply` computes a strategic merge patch from the OpenAPI v3 schema only when the
 *   PATCH operation accepts application/strategic-merge-patch+json. These documents do not list it,
 *   so kubectl falls back to the patch metadata compiled into it for built-in types (the same tags
 *   the server's strategic merge implements), while the endpoints still accept it. For the same
 *   reason the schemas carry no x-kubernetes-patch-strategy or list-map-keys.
 * Documents are built on first request and kept: they only change with the code.
 */

const PATCH_CONTENT_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];
const SCALE_MODEL = "V1Scale";

/** Reviews (SelfSubjectAccessReview, …) are only created: no list, no item paths, no List type. */
const isCreateOnly = (rt: ResourceType) => !rt.verbs.includes("list");

function modelName(rt: Pick<ResourceType, "group" | "kind">): string {
  return definitionName(modelOf(rt))!;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const queryParam = (name: string, type = "string") => ({ name, in: "query", schema: { type, uniqueItems: true } });
const pathParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", uniqueItems: true } });

function gvk(group: string, version: string, kind: string): GroupVersionKind {
  return { group, version, kind };
}

function jsonResponse(schemaName: string) {
  return { "200": { description: "OK", content: { "application/json": { schema: ref(schemaName) } } } };
}

function itemOperations(rt: ResourceType, model: string, kindGvk: GroupVersionKind, opId: string) {
  const body = { content: { "*/*": { schema: ref(model) } }, required: true };
  return {
    get: { operationId: `read${opId}`, responses: jsonResponse(model), "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": kindGvk },
    put: {
      operationId: `replace${opId}`,
      parameters: [queryParam("dryRun"), queryParam("fieldManager"), queryParam("fieldValidation")],
      requestBody: body,
      responses: jsonResponse(model),
      "x-kubernetes-action": "put",
      "x-kubernetes-group-version-kind": kindGvk,
    },
    patch: {
      operationId: `patch${opId}`,
      parameters: [queryParam("dryRun"), queryParam("fieldManager"), queryParam("fieldValidation"), queryParam("force", "boolean")],
      requestBody: { content: Object.fromEntries(PATCH_CONTENT_TYPES.map((t) => [t, { schema: ref(PATCH) }])), required: true },
      responses: jsonResponse(model),
      "x-kubernetes-action": "patch",
      "x-kubernetes-group-version-kind": kindGvk,
    },
  };
}

function pathsOf(rt: ResourceType): Record<string, unknown> {
  const prefix = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const base = rt.namespaced ? `${prefix}/namespaces/{namespace}/${rt.resource}` : `${prefix}/${rt.resource}`;
  const shared = rt.namespaced ? [pathParam("namespace")] : [];
  const model = modelName(rt);
  const kindGvk = gvk(rt.group, rt.version, rt.kind);
  const opId = `${rt.namespaced ? "Namespaced" : ""}${rt.kind}`;
  const paths: Record<string, unknown> = {};
  const list = { operationId: `list${opId}`, parameters: ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch"].map((p) => queryParam(p)), responses: jsonResponse(`${model}List`), "x-kubernetes-action": "list", "x-kubernetes-group-version-kind": kindGvk };
  paths[base] = {
    ...(isCreateOnly(rt) ? {} : { get: list }),
    post: {
      operationId: `create${opId}`,
      parameters: [queryParam("dryRun"), queryParam("fieldManager"), queryParam("fieldValidation")],
      requestBody: { content: { "*/*": { schema: ref(model) } }, required: true },
      responses: jsonResponse(model),
      "x-kubernetes-action": "post",
      "x-kubernetes-group-version-kind": kindGvk,
    },
    parameters: shared,
  };
  if (isCreateOnly(rt)) return paths;
  paths[`${base}/{name}`] = { ...itemOperations(rt, model, kindGvk, opId), parameters: [pathParam("name"), ...shared] };
  if (rt.subresources?.includes("status")) paths[`${base}/{name}/status`] = { ...itemOperations(rt, model, kindGvk, `${opId}Status`), parameters: [pathParam("name"), ...shared] };
  if (rt.subresources?.includes("scale")) {
    const scale = definitionName(SCALE_MODEL)!;
    paths[`${base}/{name}/scale`] = { ...itemOperations(rt, scale, gvk("autoscaling", "v1", "Scale"), `${opId}Scale`), parameters: [pathParam("name"), ...shared] };
  }
  return paths;
}

/** The kinds each definition stands for, as x-kubernetes-group-version-kind wherever it appears. */
const KINDS = new Map<string, GroupVersionKind[]>([[definitionName(SCALE_MODEL)!, [gvk("autoscaling", "v1", "Scale")]]]);
for (const rt of RESOURCES) {
  KINDS.set(modelName(rt), [gvk(rt.group, rt.version, rt.kind)]);
  if (!isCreateOnly(rt)) KINDS.set(`${modelName(rt)}List`, [gvk(rt.group, rt.version, `${rt.kind}List`)]);
}

/** The schemas of the resources' kinds, their lists, Scale and Patch, and all they reference. */
function schemasOf(resources: ResourceType[], dialect: Dialect): Record<string, Schema> {
  const set = new SchemaSet(dialect, (definition) => KINDS.get(definition));
  for (const rt of resources) {
    set.addModel(modelOf(rt));
    if (!isCreateOnly(rt)) set.addModel(`${modelOf(rt)}List`);
    if (rt.subresources?.includes("scale")) set.addModel(SCALE_MODEL);
  }
  set.addSpecial(PATCH);
  return set.schemas;
}

const v3Documents = new Map<string, Record<string, unknown>>();

/** The /openapi/v3 document of one group version (built once), or undefined for one not served. */
export function openApiV3Document(group: string, version: string): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!resources.length) return undefined;
  const key = `${group}/${version}`;
  let doc = v3Documents.get(key);
  if (!doc) {
    doc = {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version: SERVER_VERSION.gitVersion },
      paths: Object.assign({}, ...resources.map(pathsOf)),
      components: { schemas: schemasOf(resources, "v3") },
    };
    v3Documents.set(key, doc);
  }
  return doc;
}

export function v3Path(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const hashes = new Map<string, string>();

/** Content hash of a group version's document; the root lists each document under it for caching. */
export function documentHash(group: string, version: string): string {
  const key = `${group}/${version}`;
  let h = hashes.get(key);
  if (!h) {
    h = createHash("sha512").update(JSON.stringify(openApiV3Document(group, version))).digest("hex").toUpperCase();
    hashes.set(key, h);
  }
  return h;
}

export function openApiV3Root(): Record<string, unknown> {
  const gvs = new Map<string, [string, string]>();
  for (const r of RESOURCES) gvs.set(`${r.group}/${r.version}`, [r.group, r.version]);
  const paths: Record<string, unknown> = {};
  for (const [group, version] of gvs.values()) paths[v3Path(group, version)] = { serverRelativeURL: `/openapi/v3/${v3Path(group, version)}?hash=${documentHash(group, version)}` };
  return { paths };
}

let v2Document: Record<string, unknown> | undefined;

/** Swagger 2.0 equivalent for /openapi/v2 (JSON; the protobuf form is the minimal one below); built once. */
export function openApiV2Document(): Record<string, unknown> {
  return (v2Document ??= buildV2Document());
}

function buildV2Document(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const rt of RESOURCES) {
    for (const [path, item] of Object.entries(pathsOf(rt))) {
      const ops: Record<string, unknown> = {};
      for (const [verb, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
        if (verb === "parameters") continue;
        const rest = { ...op };
        delete rest.requestBody;
        delete rest.responses;
        ops[verb] = { ...rest, consumes: verb === "patch" ? PATCH_CONTENT_TYPES : ["*/*"], produces: ["application/json"], responses: { "200": { description: "OK" } } };
      }
      paths[path] = ops;
    }
  }
  const definitions = schemasOf(RESOURCES, "v2");
  const doc = { swagger: "2.0", info: { title: "Kubernetes", version: SERVER_VERSION.gitVersion }, paths, definitions };
  return JSON.parse(JSON.stringify(doc).replaceAll("#/components/schemas/", "#/definitions/"));
}

/**
 * The media types clients ask /openapi/v2 for in protobuf (client-go sends the `@` form), and the
 * one kube-openapi answers with: Go's mime parser refuses `@` in a Content-Type, so the server
 * replies with the dotted form and names the accepted one in X-Varied-Accept.
 */
export const OPENAPI_V2_PROTOBUF_ACCEPTED = ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"];
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/** Protobuf length-delimited field (wire type 2) with a varint length. */
function protoField(field: number, bytes: Buffer): Buffer {
  const len: number[] = [];
  let n = bytes.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), bytes]);
}

/**
 * /openapi/v2 as client-go asks for it (gnostic openapi_v2.Document in protobuf), reduced to
 * `swagger: "2.0"`: kubectl versions before server-side field validation validate against it, and
 * with no definitions they find no schema for a kind and leave validation to this server instead of
 * failing with "error validating data" (kubectl 1.27 and later never need it: see the v3 documents above).
 */
export function openApiV2Protobuf(): Buffer {
  return protoField(1, Buffer.from("2.0"));
}
