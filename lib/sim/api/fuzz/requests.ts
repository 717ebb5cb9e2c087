import fc from "fast-check";
import { RESOURCES, type ResourceType } from "../../store/resources";

/**
 * Hostile requests for the embedded API server's fuzz (fuzz.int.test.ts, scripts/fuzz-api.ts):
 * every served resource and subresource × verb × content type, with malformed, truncated, huge,
 * deeply nested, out-of-range and type-confused bodies, hostile query parameters and paths.
 */

export interface FuzzRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  /** Watches and followed logs stream until aborted: the fuzz aborts them after a moment. */
  streaming: boolean;
}

/**
 * Content types tried on writes. Protobuf (application/vnd.kubernetes.protobuf) is sent as
 * garbage bytes until the embedded server decodes it; once it does, add well-formed protobuf
 * bodies here (the invariants stay the same).
 */
export const CONTENT_TYPES = [
  "application/json",
  "application/yaml",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/json-patch+json",
  "application/apply-patch+yaml",
  "application/vnd.kubernetes.protobuf",
  "text/plain",
] as const;

const NAMES = ["kubia", "kubia-0", "kubia-1", "kubernetes", "default", "k8s-node1", "playground-quota", "x", "..", "%2e%2e", "a%2Fb", "../../etc/passwd", "UPPER", "a".repeat(300), "%00", "kubia%20"];
const NAMESPACES = ["default", "kube-system", "missing", "..", "%2e%2e%2f", "DEFAULT"];
const SUBRESOURCES = ["status", "scale", "log", "eviction", "binding", "proxy", "exec", "nope"];

const HOSTILE_NUMBERS = ["2147483648", "-2147483649", "1e308", "-1e308", "1.5", "-1", "0", "100000", "2147483647", "9223372036854775808", "1e-7", "00", "-0"];
const HOSTILE_VALUES: string[] = [
  ...HOSTILE_NUMBERS,
  "null",
  "true",
  '""',
  '"1Gi"',
  '"1 Gi"',
  '"abc"',
  "[]",
  "{}",
  '{"a":1}',
  '["x",1,null]',
  JSON.stringify("\u0000\ud800"),
  JSON.stringify("x".repeat(70_000)),
];

/** The paths a write may aim at: top-level and well-known nested fields of any kind. */
const FIELD_PATHS = [
  ["spec", "replicas"],
  ["spec", "minReadySeconds"],
  ["spec", "revisionHistoryLimit"],
  ["spec", "ordinals", "start"],
  ["spec", "updateStrategy", "rollingUpdate", "partition"],
  ["spec", "template", "spec", "terminationGracePeriodSeconds"],
  ["spec", "template", "spec", "containers"],
  ["spec", "containers", "0", "ports", "0", "containerPort"],
  ["spec", "ports", "0", "port"],
  ["spec", "resources", "requests", "storage"],
  ["spec", "hard", "pods"],
  ["spec", "capacity", "storage"],
  ["metadata", "name"],
  ["metadata", "labels"],
  ["metadata", "labels", "app"],
  ["metadata", "annotations"],
  ["metadata", "resourceVersion"],
  ["metadata", "generation"],
  ["metadata", "finalizers"],
  ["data"],
  ["status"],
  ["apiVersion"],
  ["kind"],
  ["spec"],
];

function sampleObject(rt: ResourceType, name: string): Record<string, unknown> {
  const apiVersion = rt.group ? `${rt.group}/${rt.version}` : rt.version;
  return { apiVersion, kind: rt.kind, metadata: { name, labels: { app: "fuzz" } }, spec: { replicas: 1, selector: { matchLabels: { app: "fuzz" } } } };
}

/** Writes `literal` (raw JSON text) at `path` in `obj`, through a placeholder so number literals survive as written. */
function withLiteral(obj: Record<string, unknown>, path: string[], literal: string): string {
  const token = "__FUZZ_LITERAL__";
  let at: Record<string, unknown> = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]] = token;
  return JSON.stringify(obj).replace(JSON.stringify(token), literal);
}

function parsedOrText(literal: string): unknown {
  try {
    return JSON.parse(literal);
  } catch {
    return literal; // "00": not JSON, sent as a string
  }
}

const deepJson = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

const bodyArb = (rt: ResourceType, name: string): fc.Arbitrary<string | Buffer> =>
  fc.oneof(
    // An otherwise valid object with one hostile value.
    fc.tuple(fc.constantFrom(...FIELD_PATHS), fc.constantFrom(...HOSTILE_VALUES)).map(([path, value]) => withLiteral(sampleObject(rt, name), path, value)),
    // Truncated.
    fc.tuple(fc.constantFrom(...FIELD_PATHS), fc.constantFrom(...HOSTILE_NUMBERS), fc.nat()).map(([path, value, cut]) => {
      const text = withLiteral(sampleObject(rt, name), path, value);
      return text.slice(0, cut % text.length);
    }),
    // Deeply nested (inside a field, and bare).
    fc.integer({ min: 200, max: 20_000 }).map((d) => `{"metadata":{"name":"${name}","annotations":${deepJson(d, '{"a":', "}").replace(/\{"a":\}/, '{"a":1}')}}}`),
    fc.integer({ min: 200, max: 50_000 }).map((d) => deepJson(d, "[", "]")),
    // JSON patches, merge patches.
    fc.array(fc.record({ op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test", "bogus"), path: fc.constantFrom("/spec/replicas", "/metadata/labels/a", "/spec/template/spec/containers/-", "/", "", "/~2", "/a/b/c/d"), value: fc.constantFrom(...HOSTILE_VALUES).map(parsedOrText), from: fc.constantFrom("/spec", "/metadata", "/x") }), { maxLength: 4 }).map((ops) => JSON.stringify(ops)),
    fc.constantFrom(...HOSTILE_VALUES).map((v) => `{"spec":{"replicas":${v}}}`),
    // YAML oddities: aliases, tags, flow nesting.
    fc.constantFrom("a: &a [*a]", "!!binary x", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\ndata: {a: !!int 1}", "--- \n---\n", "a: " + "[".repeat(2000)),
    // Anything.
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    // Over the 3 MiB body limit (rarely: it costs time).
    fc.constant("HUGE").map(() => `{"data":{"a":"${"x".repeat(3 * 1024 * 1024 + 10)}"}}`),
  );

const queryArb = fc
  .record(
    {
      labelSelector: fc.constantFrom("app=kubia", "app in (a,b", "!!", "a=b=c", "x".repeat(400), "app notin ()", "=", "a,b,,c", "app=" + "v".repeat(70)),
      fieldSelector: fc.constantFrom("metadata.name=kubia", "spec.nodeName=", "status.phase!=Running", "bogus=1", "metadata.name==a==b", "=="),
      resourceVersion: fc.constantFrom("", "0", "1", "-1", "abc", "99999999999999999999", "1e3"),
      resourceVersionMatch: fc.constantFrom("NotOlderThan", "Exact", "bogus"),
      limit: fc.constantFrom("1", "0", "-1", "abc", "1e9", "500", "99999999999999999999"),
      continue: fc.constantFrom("abc", "eyJ2IjoxfQ", "%%%", Buffer.from('{"rv":-1,"start":"../"}').toString("base64url"), "x".repeat(1000)),
      watch: fc.constantFrom("true", "1", "false", "yes"),
      timeoutSeconds: fc.constantFrom("0", "1", "-5", "abc", "1e308", "9999999999"),
      allowWatchBookmarks: fc.constantFrom("true", "x"),
      sendInitialEvents: fc.constantFrom("true", "false", "x"),
      dryRun: fc.constantFrom("All", "None", ""),
      fieldValidation: fc.constantFrom("Strict", "Warn", "Ignore", "Bogus"),
      fieldManager: fc.constantFrom("kubectl", "", "x".repeat(200)),
      force: fc.constantFrom("true", "false"),
      propagationPolicy: fc.constantFrom("Foreground", "Background", "Orphan", "Bogus"),
      gracePeriodSeconds: fc.constantFrom("0", "-1", "30", "abc", "1e308"),
      follow: fc.constantFrom("true", "false"),
      tailLines: fc.constantFrom("1", "-1", "abc"),
      container: fc.constantFrom("kubia", "nope"),
    },
    { requiredKeys: [] },
  )
  .map((q) => new URLSearchParams(q as Record<string, string>).toString());

function resourcePath(rt: ResourceType, namespace: string | undefined, name: string | undefined, sub: string | undefined, watchPrefix: boolean): string {
  const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const ns = rt.namespaced && namespace !== undefined ? `/namespaces/${namespace}` : "";
  return `${base}${watchPrefix ? "/watch" : ""}${ns}/${rt.resource}${name !== undefined ? `/${name}` : ""}${name !== undefined && sub ? `/${sub}` : ""}`;
}

const OTHER_PATHS = ["/", "/api", "/apis", "/version", "/healthz", "/readyz", "/metrics", "/openapi/v2", "/openapi/v3", "/api/v1/../../etc/passwd", "/apis/apps/v1/namespaces/default/statefulsets/kubia/scale/../../../..", "//api//v1", "/api/v1/namespaces/default/pods/kubia-0/proxy/%2e%2e/", "/apis/playground.k8s.io/v1/nodes/x/fail", "/api/v1/namespaces/default/pods?watch=true"];

export const requestArb: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 12, arbitrary: fc
    .record({
      rt: fc.constantFrom(...RESOURCES),
      namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
      name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
      sub: fc.option(fc.constantFrom(...SUBRESOURCES), { nil: undefined, freq: 3 }),
      watchPrefix: fc.nat(9).map((n) => n === 0),
      method: fc.constantFrom("GET", "GET", "POST", "PUT", "PATCH", "PATCH", "DELETE", "HEAD", "OPTIONS"),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      query: queryArb,
      bodySeed: fc.nat(),
    })
    .chain((r) =>
      bodyArb(r.rt, r.name ?? "fuzz").map((body) => {
        const path = resourcePath(r.rt, r.namespace, r.name, r.sub, r.watchPrefix) + (r.query ? `?${r.query}` : "");
        const q = new URLSearchParams(r.query);
        const streaming = r.watchPrefix || ["true", "1"].includes(q.get("watch") ?? "") || r.sub === "log" || r.sub === "proxy" || r.sub === "exec";
        const sendsBody = r.method !== "GET" && r.method !== "HEAD" && !(r.method === "DELETE" && r.bodySeed % 2 === 0);
        return { method: r.method, path, contentType: r.contentType, body: sendsBody ? body : undefined, streaming };
      }),
    ) },
  { weight: 1, arbitrary: fc.record({ method: fc.constantFrom("GET", "POST", "TRACE"), path: fc.constantFrom(...OTHER_PATHS), streaming: fc.constant(true) }) },
);
