import { StatusError } from "../store/errors";

/** What a client asked to get back, from its Accept header (k8s.io/apiserver .../negotiation). */
export type Output =
  | { kind: "json" }
  | { kind: "yaml" }
  | { kind: "protobuf" } // application/vnd.kubernetes.protobuf
  | { kind: "table"; groupVersion: string } // meta.k8s.io/v1 or meta.k8s.io/v1beta1
  | { kind: "partial"; groupVersion: string; protobuf?: boolean }; // PartialObjectMetadata(List)

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/**
 * goautoneg.ParseAccept: clauses without a subtype are dropped (but "*"), `q` is taken out of the
 * parameters, and the clauses are ordered by its Less (higher q, then concrete before wildcard
 * types) with Go's insertion sort, which is what sort.Sort runs on the few clauses of a header.
 */
export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  const ranges: (MediaRange & { q: number })[] = [];
  for (const part of accept.split(",")) {
    const [full, ...rest] = part.split(";").map((s) => s.trim());
    const [type, subtype, extra] = full.split("/").map((s) => s.trim());
    if (extra !== undefined || (subtype === undefined && type !== "*")) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq <= 0) continue;
      const key = p.slice(0, eq).trim();
      const value = p.slice(eq + 1).trim();
      if (key === "q") q = Number.parseFloat(value) || 0;
      else params[key] = value;
    }
    ranges.push({ type: `${type}/${subtype ?? "*"}`.toLowerCase(), params, q });
  }
  const less = (a: (typeof ranges)[number], b: (typeof ranges)[number]) =>
    a.q > b.q || (!a.type.startsWith("*/") && b.type.startsWith("*/")) || (!a.type.endsWith("/*") && b.type.endsWith("/*"));
  for (let i = 1; i < ranges.length; i++) {
    for (let j = i; j > 0 && less(ranges[j], ranges[j - 1]); j--) [ranges[j], ranges[j - 1]] = [ranges[j - 1], ranges[j]];
  }
  return ranges.map(({ type, params }) => ({ type, params }));
}

const JSONISH = new Set(["application/json", "application/*", "*/*"]);
const PROTOBUF = "application/vnd.kubernetes.protobuf";

/** The serializations the API server offers, as its 406 lists them. */
export const SUPPORTED_MEDIA_TYPES = ["application/json", "application/yaml", PROTOBUF];

/** What a resource route declares it produces (go-restful matches Accept against it first). */
const PRODUCED = new Set([...SUPPORTED_MEDIA_TYPES, "*/*", "application/*"]);

/**
 * The first Accept clause the server can serve (negotiation.NegotiateMediaTypeOptions, without
 * q-value sorting): `as=` conversions only to meta.k8s.io kinds; a Table only as JSON or YAML
 * (AllowsMediaTypeTransform), PartialObjectMetadata in any of the three; `stream` only "watch".
 */
export function negotiateOutput(accept: string | undefined): Output {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: "json" };
  for (const r of ranges) {
    const { as, g, v, stream } = r.params;
    if (stream && stream !== "watch") continue;
    const protobuf = r.type === PROTOBUF;
    if (as) {
      if ((r.type !== "application/json" && !protobuf) || g !== "meta.k8s.io" || (v !== "v1" && v !== "v1beta1")) continue;
      if (as === "Table" && !protobuf) return { kind: "table", groupVersion: `meta.k8s.io/${v}` };
      if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") {
        return { kind: "partial", groupVersion: `meta.k8s.io/${v}`, ...(protobuf ? { protobuf } : {}) };
      }
      continue;
    }
    if (JSONISH.has(r.type)) return { kind: "json" };
    if (r.type === "application/yaml") return { kind: "yaml" };
    if (protobuf) return { kind: "protobuf" };
  }
  // No clause names a media type the route produces: go-restful refuses before the handler runs.
  if (!ranges.some((r) => PRODUCED.has(r.type))) {
    throw new StatusError(406, "NotAcceptable", `406: Not Acceptable\n\nAvailable representations: ${[...SUPPORTED_MEDIA_TYPES, "application/json;stream=watch", `${PROTOBUF};stream=watch`].join(", ")}`, {});
  }
  throw new StatusError(406, "NotAcceptable", `only the following media types are accepted: ${SUPPORTED_MEDIA_TYPES.join(", ")}`);
}

/** Whether the body goes out in protobuf. */
export function isProtobuf(output: Output): boolean {
  return output.kind === "protobuf" || (output.kind === "partial" && output.protobuf === true);
}

/** kubectl ≥ 1.30 asks for aggregated discovery (apidiscovery.k8s.io/v2) before the legacy documents. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  for (const r of parseAccept(accept)) {
    if (r.params.g === "apidiscovery.k8s.io" && r.params.as === "APIGroupDiscoveryList" && r.params.v === "v2") return true;
    if (JSONISH.has(r.type) && !r.params.as) return false;
  }
  return false;
}
