import { isValidSpeed, MAX_SPEED, type SpeedChange } from "../../k8s/speed";
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

/** Validates a speed change: `speed` (a factor above 0, at most MAX_SPEED) and/or `paused`. */
export function parseSpeedChange(body: Record<string, unknown>): SpeedChange {
  const out: SpeedChange = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "kind" || key === "apiVersion") continue;
    if (key === "speed") {
      if (!isValidSpeed(value)) throw errors.badRequest(`speed: must be a number above 0 and at most ${MAX_SPEED}`);
      out.speed = value;
    } else if (key === "paused") {
      if (typeof value !== "boolean") throw errors.badRequest("paused: must be a boolean");
      out.paused = value;
    } else {
      throw errors.badRequest(`unknown field "${key}"; known fields: speed, paused`);
    }
  }
  return out;
}

/**
 * The embedded-only group playground.k8s.io/v1: `capabilities` (what only this cluster can do) and
 * `faults` (GET the current FaultState, PUT a full or partial one) and `speed` (GET the cluster
 * clock's SpeedState, PUT a speed and/or pause: applied live, every pending delay rescheduled).
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
  if (action === "speed") {
    if (req.method === "GET") {
      writeJson(req.res, 200, deps.ctx.speed.state());
      return;
    }
    if (req.method === "PUT") {
      const change = parseSpeedChange(decodeObject(await req.body(), mediaType(req.headers)));
      writeJson(req.res, 200, deps.ctx.speed.set(change));
      return;
    }
    throw errors.methodNotAllowed("the server does not allow this method on the requested resource");
  }
  throw new StatusError(404, "NotFound", "the server could not find the requested resource");
}
