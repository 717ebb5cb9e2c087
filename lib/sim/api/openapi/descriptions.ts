import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The upstream descriptions of the Kubernetes types, read from the JSDoc that
 * @kubernetes/client-node's generator copies into its model declarations
 * (dist/gen/models/<Class>.d.ts), the only place the package keeps them:
 *
 *   /**
 *   * A StatefulSetSpec is the specification of a StatefulSet.          ← the type's description
 *   *\/
 *   export declare class V1StatefulSetSpec {
 *       /**
 *       * replicas is the desired number of replicas of the given …     ← a property's description
 *       *\/
 *       'replicas'?: number;                                            ← `?`: optional
 *       'selector': V1LabelSelector;                                    ← no JSDoc (a model), required
 *
 * Each comment is one line with the text escaped as in a JS string (\' \" \\) and the upstream
 * newlines already folded into spaces. Files are read on first use and cached; a missing package
 * directory or file yields no docs, so the schemas still serve, without descriptions.
 */
export interface ModelDocs {
  description: string;
  /** Keyed by the TypeScript property name (attributeTypeMap's `name`, e.g. `_continue`). */
  properties: Map<string, string>;
  /** Properties declared without `?`: the type's required fields. */
  required: Set<string>;
}

const CLASS = /^export declare class \w+/;
const PROPERTY = /^'([^']+)'(\?)?:/;

/** Undoes the generator's JS-string escaping (`pod\'s`, `\"ClusterFirst\"`, `HKEY\\\\SYSTEM`). */
export function unescapeDoc(text: string): string {
  return text.replace(/\\(.)/g, "$1").trim();
}

/**
 * What a model's .d.ts says: class description, property descriptions, required properties. Read
 * line by line: a JSDoc block documents the declaration on the line right after it.
 */
export function parseModelDeclaration(source: string): ModelDocs {
  const docs: ModelDocs = { description: "", properties: new Map(), required: new Set() };
  let comment: string[] | undefined; // lines of the block being read
  let doc: string | undefined; // the block just closed, for the next declaration
  let inClass = false;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (comment) {
      if (line === "*/") [doc, comment] = [unescapeDoc(comment.join(" ")), undefined];
      else comment.push(line.replace(/^\* ?/, ""));
      continue;
    }
    if (line === "/**") {
      comment = [];
      continue;
    }
    if (CLASS.test(line)) {
      docs.description = doc ?? "";
      inClass = true;
    } else if (inClass) {
      const property = PROPERTY.exec(line);
      if (property && doc) docs.properties.set(property[1], doc);
      if (property && !property[2]) docs.required.add(property[1]);
    }
    doc = undefined;
  }
  return docs;
}

/** dist/gen/models of the installed @kubernetes/client-node, or undefined when it cannot be found. */
function modelsDirectory(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve("@kubernetes/client-node");
    return path.join(path.dirname(entry), "gen", "models");
  } catch {
    return undefined;
  }
}

/** The docs of one model class read from a models directory; undefined when its file is missing or unreadable. */
export function readModelDocs(directory: string, className: string): ModelDocs | undefined {
  if (!/^\w+$/.test(className)) return undefined;
  try {
    return parseModelDeclaration(readFileSync(path.join(directory, `${className}.d.ts`), "utf8"));
  } catch {
    return undefined;
  }
}

let directory: string | undefined | null = null; // null: not looked up yet
const cache = new Map<string, ModelDocs | undefined>();

/** The docs of one model class (`V1StatefulSetSpec`) from the installed package, read once. */
export function modelDocs(className: string): ModelDocs | undefined {
  if (!cache.has(className)) {
    if (directory === null) directory = modelsDirectory();
    cache.set(className, directory ? readModelDocs(directory, className) : undefined);
  }
  return cache.get(className);
}
