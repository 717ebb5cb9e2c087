/**
 * Generates lib/sim/api/protobuf/k8s-proto.json: the Kubernetes protobuf schema the embedded cluster
 * speaks (`application/vnd.kubernetes.protobuf`), compiled by protobufjs from the upstream
 * `generated.proto` files of k8s.io/api and k8s.io/apimachinery in the Go module cache, at the
 * versions tools/real-cluster/go.mod pins. Reduced to the messages reachable from the kinds served.
 *
 * The .proto files do not say how a Go field marshals to JSON (its json name, `omitempty`/`omitzero`,
 * pointer or not), which the JSON ↔ protobuf mapping needs; that comes from the struct tags of the
 * same packages' Go sources and is recorded as field options (`json`, `omitempty`, `omitzero`, `pointer`, `inline`).
 *
 *   npx tsx scripts/k8s-proto.ts          write the descriptor
 *   npx tsx scripts/k8s-proto.ts --check  exit 1 when the committed descriptor is stale
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { RESOURCES } from "../lib/sim/store/resources";
import protobuf from "protobufjs";
import type { GoField } from "../lib/sim/api/protobuf/mapping";

const ROOT = path.resolve(import.meta.dirname, "..");
export const DESCRIPTOR_PATH = path.join(ROOT, "lib/sim/api/protobuf/k8s-proto.json");

/** The proto package of an API group: core for "", else the group's first label (rbac.authorization.k8s.io → rbac). */
const protoPackageOf = (group: string) => (group === "" ? "core" : group.split(".")[0]);

/** The API packages of the kinds the embedded cluster serves (lib/sim/store/resources.ts) and their subresources. */
const API_PACKAGES = [...new Set([...RESOURCES.map((r) => `${protoPackageOf(r.group)}/${r.version}`), "autoscaling/v1", "policy/v1"])];
const MACHINERY_PACKAGES = ["pkg/apis/meta/v1", "pkg/apis/meta/v1beta1", "pkg/runtime", "pkg/runtime/schema", "pkg/util/intstr", "pkg/api/resource"];

/** Top-level kinds: every served kind and its list, plus what the API machinery itself sends. */
const ROOT_MESSAGES = [
  ...RESOURCES.flatMap((r) => {
    const kind = `${protoPackageOf(r.group)}.${r.version}.${r.kind}`;
    return r.verbs.includes("list") ? [kind, `${kind}List`] : [kind];
  }),
  "core.v1.Binding", "autoscaling.v1.Scale", "policy.v1.Eviction",
].map((n) => `k8s.io.api.${n}`).concat(
  ["Status", "WatchEvent", "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "List", "APIVersions", "APIGroupList", "APIGroup", "APIResourceList", "PartialObjectMetadata", "PartialObjectMetadataList"].map((n) => `k8s.io.apimachinery.pkg.apis.meta.v1.${n}`),
  ["k8s.io.apimachinery.pkg.runtime.Unknown", "k8s.io.apimachinery.pkg.apis.meta.v1beta1.PartialObjectMetadataList"],
);

function moduleDirs(): Record<string, string> {
  const out = execFileSync("go", ["list", "-m", "-f", "{{.Path}}={{.Dir}}", "k8s.io/api", "k8s.io/apimachinery"], { cwd: path.join(ROOT, "tools/real-cluster"), encoding: "utf8" });
  const dirs: Record<string, string> = Object.fromEntries(out.trim().split("\n").map((l) => l.split("=")));
  for (const [mod, dir] of Object.entries(dirs)) if (!dir || !fs.existsSync(dir)) throw new Error(`${mod} is not in the module cache: run (cd tools/real-cluster && go mod download)`);
  return dirs;
}

/** Go struct name → proto field name → how encoding/json treats the field, from the struct tags. */
function goFieldsOf(dir: string): Map<string, Map<string, GoField>> {
  const structs = new Map<string, Map<string, GoField>>();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go") && !f.startsWith("zz_generated") && f !== "generated.pb.go");
  for (const file of files) {
    const src = fs.readFileSync(path.join(dir, file), "utf8");
    for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map<string, GoField>();
      for (const line of m[2].split("\n")) {
        // "Name Type `tags`", or an embedded "Type `tags`" / "pkg.Type `tags`".
        const f = /^\s*(?:\w+\s+)?(\*?[\w.[\]]+)\s+`(.*)`/.exec(line);
        if (!f) continue;
        const json = /json:"([^"]*)"/.exec(f[2]);
        if (!json || !/protobuf:"/.test(f[2])) continue;
        // An embedded struct's tag may omit name= (EphemeralContainerCommon `protobuf:"bytes,1,req"`):
        // go-to-protobuf then names the field after the type, first letter lowered.
        const typeName = f[1].replace(/^\*/, "").split(".").pop()!;
        const protoName = /protobuf:"[^"]*\bname=(\w+)/.exec(f[2])?.[1] ?? typeName[0].toLowerCase() + typeName.slice(1);
        const [name, ...opts] = json[1].split(",");
        fields.set(protoName, { json: name || protoName, omitempty: opts.includes("omitempty"), omitzero: opts.includes("omitzero"), pointer: f[1].startsWith("*"), inline: !name && opts.includes("inline") });
      }
      structs.set(m[1], fields);
    }
  }
  return structs;
}

function load(dirs: Record<string, string>): { root: protobuf.Root; goDirs: Map<string, string> } {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const [mod, dir] of Object.entries(dirs)) if (target.startsWith(mod + "/")) return path.join(dir, target.slice(mod.length + 1));
    return target;
  };
  const files = [...API_PACKAGES.map((p) => `k8s.io/api/${p}/generated.proto`), ...MACHINERY_PACKAGES.map((p) => `k8s.io/apimachinery/${p}/generated.proto`)];
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  const goDirs = new Map<string, string>();
  for (const f of files) goDirs.set(path.dirname(f).replace(/^k8s\.io\/api\//, "k8s.io.api.").replace(/^k8s\.io\/apimachinery\//, "k8s.io.apimachinery.").replaceAll("/", "."), path.dirname(root.resolvePath("", f) ?? f));
  return { root, goDirs };
}

/** Every message reachable from the roots through field types. */
function reachable(root: protobuf.Root): Set<protobuf.Type> {
  const seen = new Set<protobuf.Type>();
  const visit = (t: protobuf.Type) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const f of t.fieldsArray) if (f.resolvedType instanceof protobuf.Type) visit(f.resolvedType);
  };
  for (const name of ROOT_MESSAGES) visit(root.lookupType(name));
  return seen;
}

export function generate(): string {
  const dirs = moduleDirs();
  const { root, goDirs } = load(dirs);
  const keep = reachable(root);
  const pruned = new protobuf.Root();
  const goCache = new Map<string, Map<string, Map<string, GoField>>>();
  for (const type of [...keep].sort((a, b) => a.fullName.localeCompare(b.fullName))) {
    const pkg = type.parent!.fullName.slice(1);
    const goDir = goDirs.get(pkg);
    if (!goDir) throw new Error(`no Go package for ${pkg}`);
    if (!goCache.has(goDir)) goCache.set(goDir, goFieldsOf(goDir));
    const go = goCache.get(goDir)!.get(type.name);
    if (!go && process.env.DEBUG_PROTO) console.error("no Go struct for", type.fullName);
    const copy = new protobuf.Type(type.name);
    for (const f of type.fieldsArray) {
      const typeName = f.resolvedType ? f.resolvedType.fullName : f.type;
      const g = go?.get(f.name);
      const options: Record<string, unknown> = {};
      if (g && g.json !== f.name) options.json = g.json;
      if (g?.omitempty) options.omitempty = true;
      if (g?.omitzero) options.omitzero = true;
      if (g?.pointer) options.pointer = true;
      if (g?.inline) options.inline = true;
      const opts = Object.keys(options).length ? options : undefined;
      const field = f instanceof protobuf.MapField ? new protobuf.MapField(f.name, f.id, f.keyType, typeName, opts) : new protobuf.Field(f.name, f.id, typeName, f.rule, undefined, opts);
      copy.add(field);
    }
    pruned.define(pkg).add(copy);
  }
  return JSON.stringify(pruned.toJSON()) + "\n";
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("k8s-proto.ts")) {
  const text = generate();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(DESCRIPTOR_PATH) ? fs.readFileSync(DESCRIPTOR_PATH, "utf8") : "";
    if (current !== text) {
      console.error(`${path.relative(ROOT, DESCRIPTOR_PATH)} is stale: run npx tsx scripts/k8s-proto.ts`);
      process.exit(1);
    }
    console.log("protobuf descriptor is up to date");
  } else {
    fs.mkdirSync(path.dirname(DESCRIPTOR_PATH), { recursive: true });
    fs.writeFileSync(DESCRIPTOR_PATH, text);
    console.log(`wrote ${path.relative(ROOT, DESCRIPTOR_PATH)} (${text.length} bytes)`);
  }
}
