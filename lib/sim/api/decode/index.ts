import { parse as parseLossless } from "lossless-json";
import { parse as parseYaml } from "yaml";
import { errors } from "../../store/errors";
import { decodeError } from "./types";

export { decodeError, goStructName } from "./types";

/**
 * How deep a body may nest. The API server's JSON decoder stops at 10000 levels ("exceeded max
 * depth"); the embedded cluster stops at 256 because JavaScript's recursive JSON.stringify, YAML
 * and structuredClone overflow the stack far below 10000 (a listed difference: no Kubernetes object
 * comes near either bound; the deepest, managedFields, stays under 40).
 */
export const MAX_NESTING_DEPTH = 256;

/** The opening character of the first container deeper than the bound, or undefined (iterative: no stack). */
export function tooDeep(value: unknown, limit = MAX_NESTING_DEPTH): "{" | "[" | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > limit) return Array.isArray(v) ? "[" : "{";
    for (const child of Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return undefined;
}

export function checkDepth(value: unknown): void {
  const char = tooDeep(value);
  if (char) throw errors.badRequest(`invalid character '${char}' exceeded max depth`);
}

/**
 * How deep a YAML text may nest, estimated without parsing: flow brackets outside quotes, and per
 * line its indentation plus its block markers ("- ", "? "). The yaml library recurses per level and
 * a deep enough document takes the whole process down (V8 fails with "RegExpCompiler Allocation
 * failed - process out of memory" rather than a catchable RangeError), so it never sees one.
 */
export function yamlTooDeep(text: string, limit = MAX_NESTING_DEPTH): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") {
      if (++depth > limit) return true;
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  for (const line of text.split("\n")) {
    const block = /^[ \t]*(?:[-?][ \t]+)*/.exec(line)![0];
    if (block.length > 2 * limit) return true;
  }
  return false;
}

/** A body as JSON or YAML (by media type); syntax errors and stack exhaustion are a 400. */
export function parseText(text: string, type: string): unknown {
  const yaml = type.includes("yaml");
  if (yaml && yamlTooDeep(text)) throw errors.badRequest(`invalid character '{' exceeded max depth`);
  let value: unknown;
  try {
    // The yaml library bounds aliases (maxAliasCount): no billion-laughs expansion.
    value = yaml ? parseYaml(text, { logLevel: "error" }) : JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw errors.badRequest(`invalid character '{' exceeded max depth`);
    throw errors.badRequest(`error decoding ${yaml ? "YAML" : "JSON"}: ${(e as Error).message}`);
  }
  checkDepth(value);
  return value;
}

/** Parses JSON keeping number literals as written ("1.0", "1e308"), for Go's integer checks; last duplicate key wins. */
function losslessTree(text: string): unknown {
  try {
    return parseLossless(text, undefined, { onDuplicateKey: ({ newValue }) => newValue });
  } catch {
    return undefined;
  }
}

export interface TypedTarget {
  /** The generated model of the kind (V1StatefulSet, V1Scale, CoreV1Event). */
  model: string;
  kind: string;
  version: string;
}

/** The decode error of a create/update body, as the API server words it (400 BadRequest). */
export function checkBodyTypes(text: string, type: string, value: unknown, target: TypedTarget): void {
  const tree = type.includes("yaml") ? value : (losslessTree(text) ?? value);
  const err = decodeError(target.model, tree);
  if (err) throw errors.badRequest(`${target.kind} in version "${target.version}" cannot be handled as a ${target.kind}: ${err}`);
}

/**
 * The decode error of a patched object: the patch handler decodes the result into the kind's type
 * and reports a failure as a 422 on the field "patch" with the patched JSON (patch.go).
 */
export function checkPatchedTypes(patched: unknown, model: string): void {
  const err = decodeError(model, patched);
  if (!err) return;
  const json = JSON.stringify(patched);
  throw errors.invalid("", "", "", [{ field: "patch", reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(json)}: ${err}` }]);
}
