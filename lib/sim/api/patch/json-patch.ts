import { errors, StatusError } from "../../store/errors";
import { deepCopy } from "../../store/copy";

type Json = unknown;
type Container = Record<string, Json> | Json[];

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

/** RFC 6901 pointer → tokens ("/a/b~1c" → ["a", "b/c"]). */
function tokens(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw errors.badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A patch that does not apply is a 422 carrying the jsonpatch error text, as the real server answers. */
function fail(message: string): never {
  throw new StatusError(422, "Invalid", message);
}

function parentOf(doc: Json, path: string): { parent: Container; key: string } {
  const t = tokens(path);
  if (t.length === 0) fail(`jsonpatch: cannot operate on the document root: "${path}"`);
  let cur: Json = doc;
  for (const token of t.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (cur !== null && typeof cur === "object") cur = (cur as Record<string, Json>)[token];
    else cur = undefined;
    if (cur === undefined || cur === null || typeof cur !== "object") fail(`doc is missing path: "${path}": missing value`);
  }
  return { parent: cur as Container, key: t[t.length - 1] };
}

function arrayIndex(arr: Json[], key: string, forInsert: boolean, path: string): number {
  if (forInsert && key === "-") return arr.length;
  const i = Number(key);
  if (!/^(0|[1-9][0-9]*)$/.test(key) || i > arr.length || (!forInsert && i >= arr.length)) fail(`Unable to access invalid index: ${key}: invalid index referenced: "${path}"`);
  return i;
}

function getAt(doc: Json, path: string): Json {
  if (path === "") return doc;
  const { parent, key } = parentOf(doc, path);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, false, path)] : (parent as Record<string, Json>)[key];
  if (value === undefined) fail(`doc is missing path: "${path}": missing value`);
  return value;
}

function add(doc: Json, path: string, value: Json): Json {
  if (path === "") return deepCopy(value);
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, path), 0, deepCopy(value));
  else parent[key] = deepCopy(value);
  return doc;
}

function remove(doc: Json, path: string): Json {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, path), 1);
  else {
    if (!(key in parent)) fail(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over a copy of `target`. */
export function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw errors.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = deepCopy(target);
  for (const raw of operations as JsonPatchOperation[]) {
    const { op, path } = raw;
    if (typeof path !== "string") fail(`Unexpected kind: ${op}`);
    switch (op) {
      case "add":
        doc = add(doc, path, raw.value);
        break;
      case "remove":
        doc = remove(doc, path);
        break;
      case "replace":
        getAt(doc, path);
        doc = path === "" ? deepCopy(raw.value) : add(remove(doc, path), path, raw.value);
        break;
      case "move": {
        const value = getAt(doc, raw.from ?? "");
        doc = add(remove(doc, raw.from ?? ""), path, value);
        break;
      }
      case "copy":
        doc = add(doc, path, getAt(doc, raw.from ?? ""));
        break;
      case "test":
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(raw.value)) fail(`testing value ${path} failed: test failed`);
        break;
      default:
        fail(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
