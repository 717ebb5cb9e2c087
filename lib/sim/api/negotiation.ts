import { StatusError } from "../store/errors";

/** What a client asked to get back, from its Accept header (k8s.io/apiserver .../negotiation). */
export type Output =
  | { kind: "json" }
  | { kind: "yaml" }
  | { kind: "table"; groupVersion: string } // meta.k8s.io/v1 or meta.k8s.io/v1beta1
  | { kind: "partial"; groupVersion: string }; // PartialObjectMetadata(List)

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(",").map((part) => {
    const [type, ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

const JSONISH = new Set(["application/json", "application/*", "*/*"]);

export function negotiateOutput(accept: string | undefined): Output {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: "json" };
  for (const r of ranges) {
    const { as, g, v } = r.params;
    if (as) {
      if (r.type !== "application/json" || g !== "meta.k8s.io" || (v !== "v1" && v !== "v1beta1")) continue;
      if (as === "Table") return { kind: "table", groupVersion: `meta.k8s.io/${v}` };
      if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return { kind: "partial", groupVersion: `meta.k8s.io/${v}` };
      continue;
    }
    if (JSONISH.has(r.type)) return { kind: "json" };
    if (r.type === "application/yaml") return { kind: "yaml" };
  }
  throw new StatusError(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml");
}

/** kubectl ≥ 1.30 asks for aggregated discovery (apidiscovery.k8s.io/v2) before the legacy documents. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  for (const r of parseAccept(accept)) {
    if (r.params.g === "apidiscovery.k8s.io" && r.params.as === "APIGroupDiscoveryList" && r.params.v === "v2") return true;
    if (JSONISH.has(r.type) && !r.params.as) return false;
  }
  return false;
}
