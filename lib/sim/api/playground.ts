import type { FaultState } from "../context";
import { errors, StatusError } from "../store/errors";
import type { ApiDeps } from "./deps";
import { type ApiRequest, decodeObject, mediaType, writeJson } from "./http";

const FAULT_KEYS: (keyof FaultState)[] = ["storageUnavailable", "missingImages", "brokenPodNetwork"];

/** Validates a (partial) FaultState body; unknown fields and wrong types are a 400. */
export function parseFaultPatch(body: Record<string, unknown>): Partial<FaultState> {
  const out: Partial<FaultState> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "kind" || key === "apiVersion") continue;
    if (!FAULT_KEYS.includes(key as keyof FaultState)) throw errors.badRequest(`unknown field "${key}"; known fields: ${FAULT_KEYS.join(", ")}`);
    if (key === "missingImages") {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.trim() !== "")) throw errors.badRequest("missingImages: must be a list of non-empty image names");
      out.missingImages = [...new Set(value as string[])];
    } else {
      if (typeof value !== "boolean") throw errors.badRequest(`${key}: must be a boolean`);
      out[key as "storageUnavailable" | "brokenPodNetwork"] = value;
    }
  }
  return out;
}

/**
 * The embedded-only group playground.k8s.io/v1: `capabilities` (what only this cluster can do) and
 * `faults` (GET the current FaultState, PUT a full or partial one).
 */
export async function handlePlayground(deps: ApiDeps, req: ApiRequest, action: string): Promise<void> {
  if (action === "capabilities") {
    if (req.method !== "GET") throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
    writeJson(req.res, 200, deps.capabilities());
    return;
  }
  if (action === "faults") {
    if (req.method === "GET") {
      writeJson(req.res, 200, deps.ctx.faults.get());
      return;
    }
    if (req.method === "PUT") {
      const patch = parseFaultPatch(decodeObject(await req.body(), mediaType(req.headers)));
      writeJson(req.res, 200, deps.ctx.faults.set(patch));
      return;
    }
    throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  }
  throw new StatusError(404, "NotFound", "the server could not find the requested resource");
}
