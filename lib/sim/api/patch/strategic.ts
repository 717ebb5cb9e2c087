import { errors } from "../../store/errors";
import { deepCopy } from "../../store/copy";

type Json = unknown;
type JsonMap = Record<string, Json>;

function isMap(v: Json): v is JsonMap {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** How a list field merges: by a key (containers by name), as a set (finalizers), or atomically (undefined). */
export type ListStrategy = { mergeKey: string } | { primitive: true } | undefined;

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);

/**
 * The `patchStrategy:"merge"` / `patchMergeKey` struct tags of the k8s.io/api types the playground
 * patches (kubectl apply, scale, label, annotate, edit). `path` holds field names only, no indices.
 */
export function listStrategy(path: string[], kind: string | undefined): ListStrategy {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  if (CONTAINER_LISTS.has(field)) return { mergeKey: "name" };
  switch (field) {
    case "ports":
      if (parent && CONTAINER_LISTS.has(parent)) return { mergeKey: "containerPort" };
      if (kind === "Service" && path.length === 2 && parent === "spec") return { mergeKey: "port" };
      return undefined;
    case "volumes":
    case "imagePullSecrets":
    case "env":
      return { mergeKey: "name" };
    case "volumeMounts":
      return { mergeKey: "mountPath" };
    case "volumeDevices":
      return { mergeKey: "devicePath" };
    case "resizePolicy":
      return { mergeKey: "resourceName" };
    case "conditions":
      return path.includes("status") ? { mergeKey: "type" } : undefined;
    case "addresses":
      return kind === "Node" && parent === "status" ? { mergeKey: "type" } : undefined;
    case "podIPs":
    case "hostIPs":
    case "hostAliases":
      return { mergeKey: "ip" };
    case "topologySpreadConstraints":
      return { mergeKey: "topologyKey" };
    case "finalizers":
      return parent === "metadata" ? { primitive: true } : undefined;
    case "ownerReferences":
      return parent === "metadata" ? { mergeKey: "uid" } : undefined;
    case "secrets":
      return kind === "ServiceAccount" && path.length === 1 ? { mergeKey: "name" } : undefined;
    default:
      return undefined;
  }
}

const SET_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/";

function reorder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (v: Json) => (mergeKey && isMap(v) ? JSON.stringify(v[mergeKey]) : JSON.stringify(v));
  const wanted = order.map(keyOf);
  const listed = wanted.map((k) => list.find((item) => keyOf(item) === k)).filter((v): v is Json => v !== undefined);
  const rest = list.filter((item) => !wanted.includes(keyOf(item)));
  return [...listed, ...rest];
}

function mergeMap(original: Json, patch: JsonMap, path: string[], kind: string | undefined): Json | undefined {
  const directive = patch.$patch;
  if (directive === "delete") return undefined;
  if (directive === "replace") return stripDirectives(patch);
  if (directive !== undefined && directive !== "merge") throw errors.badRequest(`Unknown patch type: ${String(directive)}`);
  const result: JsonMap = isMap(original) ? { ...original } : {};
  const orders: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys") continue;
    if (key.startsWith(SET_ORDER)) {
      orders.push([key.slice(SET_ORDER.length), value as Json[]]);
      continue;
    }
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const removeValues = JSON.stringify(value ?? []);
      if (Array.isArray(result[field])) result[field] = (result[field] as Json[]).filter((v) => !removeValues.includes(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const childPath = [...path, key];
    let merged: Json | undefined;
    if (isMap(value)) merged = mergeMap(result[key], value, childPath, kind);
    else if (Array.isArray(value)) merged = mergeList(result[key], value, childPath, kind);
    else merged = value;
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  for (const [field, order] of orders) {
    if (!Array.isArray(result[field]) || !Array.isArray(order)) continue;
    const strategy = listStrategy([...path, field], kind);
    result[field] = reorder(result[field] as Json[], order, strategy && "mergeKey" in strategy ? strategy.mergeKey : undefined);
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  return result;
}

function mergeList(original: Json, patch: Json[], path: string[], kind: string | undefined): Json[] {
  const strategy = listStrategy(path, kind);
  const current = Array.isArray(original) ? original : [];
  if (!strategy) return patch.map((e) => (isMap(e) ? (mergeMap(undefined, e, path, kind) ?? {}) : e));
  if ("primitive" in strategy) {
    const out = [...current];
    for (const v of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
    return orderLikeUpstream(out, patch, current, (v) => JSON.stringify(v));
  }
  const key = strategy.mergeKey;
  if (patch.some((e) => isMap(e) && e.$patch === "replace")) {
    return patch.filter((e) => !(isMap(e) && e.$patch === "replace")).map((e) => (isMap(e) ? stripDirectives(e) : e));
  }
  const out = current.map((e) => deepCopy(e));
  for (const elem of patch) {
    if (!isMap(elem)) throw errors.badRequest(`unable to find api field in struct for the merge key "${key}"`);
    if (!(key in elem)) throw errors.badRequest(`map: ${JSON.stringify(elem)} does not contain declared merge key: ${key}`);
    const idx = out.findIndex((item) => isMap(item) && item[key] === elem[key]);
    if (elem.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    const merged = mergeMap(idx >= 0 ? out[idx] : undefined, elem, path, kind);
    if (idx >= 0) {
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else if (merged !== undefined) out.push(merged);
  }
  const keyOf = (v: Json) => (isMap(v) ? JSON.stringify(v[key]) : undefined);
  return orderLikeUpstream(out, patch.filter((e) => !(isMap(e) && e.$patch === "delete")), current, keyOf);
}

/**
 * The order upstream gives a merged list (strategicpatch's normalizeElementOrder and
 * mergeSortedSlice): the items the patch names, in the patch's order, with the server-only items
 * inserted where the live order puts them before a patch item; an item new to the live list sorts
 * before any server-only item, so a patch that adds a container puts it first.
 */
function orderLikeUpstream(merged: Json[], patch: Json[], live: Json[], keyOf: (v: Json) => string | undefined): Json[] {
  const indexIn = (list: Json[], item: Json) => list.findIndex((candidate) => keyOf(candidate) === keyOf(item));
  const patchItems = merged.filter((item) => indexIn(patch, item) >= 0).sort((a, b) => indexIn(patch, a) - indexIn(patch, b));
  const serverOnly = merged.filter((item) => indexIn(patch, item) < 0);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patchItems[j++]);
    else {
      const left = indexIn(live, serverOnly[i]);
      const right = indexIn(live, patchItems[j]);
      if (left >= 0 && right >= 0 && left < right) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isMap(value)) return value;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("$") && v !== null) out[k] = stripDirectives(v);
  return out;
}

/** Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) of `original` with `patch`. */
export function strategicMergePatch(original: Json, patch: Json): Json {
  if (!isMap(patch)) throw errors.badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
  const kind = isMap(original) && typeof original.kind === "string" ? original.kind : undefined;
  return mergeMap(original, patch, [], kind) ?? {};
}
