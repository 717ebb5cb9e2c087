import "server-only";
import type { z } from "zod";
import type { ApiError } from "@/lib/k8s/contract";
import { PlaygroundError, badRequest, fromKubeError, toApiError } from "./errors";
import { logWarn } from "./log";
import { checkAccess, checkSameOrigin } from "./security";
import { parseWith } from "./validation";

/**
 * What every app/api route shares: the security checks, JSON body and query parsing with limits,
 * and turning any error into an `ApiError` JSON answer. Bad input is always a 4xx naming the field;
 * a 5xx only ever means the cluster (or the dashboard) failed.
 */
export const MAX_BODY_BYTES = 16 * 1024;

const NO_STORE = { "Cache-Control": "no-store" };

export function jsonResponse(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: NO_STORE });
}

/** JSON already serialised (large answers assembled from cached JSON, such as the replay history). */
export function jsonTextResponse(text: string): Response {
  return new Response(text, { status: 200, headers: { ...NO_STORE, "Content-Type": "application/json" } });
}

export function errorResponse(err: unknown): Response {
  const body: ApiError = toApiError(err);
  if (body.error.status >= 500) logWarn(`${body.error.reason}: ${body.error.message}`);
  return jsonResponse(body, body.error.status);
}

/** Token / loopback, same-origin and JSON checks; returns the refusal, or undefined when the request may proceed. */
export function guard(request: Request): Response | undefined {
  const denial = checkAccess(request.headers) ?? checkSameOrigin(request.method, request.headers);
  if (!denial) return undefined;
  return errorResponse(new PlaygroundError(denial.status, denial.reason, denial.message));
}

export interface HandleOptions<Q extends string> {
  /** The query parameters this route accepts; any other is refused (default: none). */
  query?: readonly Q[];
}

/**
 * Runs a route: guard, query check, then the handler with the parsed query; the handler's result
 * is the JSON answer (or the Response it returns), its error an ApiError.
 */
export async function handle<Q extends string = never>(
  request: Request,
  handler: (query: Partial<Record<Q, string>>) => Promise<unknown>,
  options: HandleOptions<Q> = {},
): Promise<Response> {
  const refused = guard(request);
  if (refused) return refused;
  try {
    const query = readQuery(request, options.query ?? []);
    const result = await handler(query);
    return result instanceof Response ? result : jsonResponse(result);
  } catch (err) {
    return errorResponse(fromKubeError(err));
  }
}

/**
 * Reads the body as UTF-8 text, refusing more than maxBytes (checked on Content-Length first,
 * then while streaming, so a lying or missing Content-Length cannot exhaust memory).
 */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new PlaygroundError(413, "RequestEntityTooLarge", `the request body must be at most ${maxBytes} bytes`, "body");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("the request body is not valid UTF-8", "body");
  }
}

/** A JSON body validated by a strict schema. An empty body counts as `{}` (routes whose fields are all optional). */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const text = await readBodyText(request);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest("the request body is not valid JSON", "body");
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("the request body must be a JSON object", "body");
  }
  return parseWith(schema, value);
}

/** Query parameters, refusing any not listed (nothing, e.g. a `namespace`, rides along unnoticed). */
export function readQuery<K extends string>(request: Request, allowed: readonly K[]): Partial<Record<K, string>> {
  const url = new URL(request.url);
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of url.searchParams) {
    if (!(allowed as readonly string[]).includes(key)) throw badRequest(`unknown query parameter "${key}"`, key);
    if (Object.hasOwn(out, key)) throw badRequest(`query parameter "${key}" given more than once`, key);
    out[key as K] = value;
  }
  return out;
}
