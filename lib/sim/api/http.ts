import type { IncomingMessage, ServerResponse } from "node:http";
import { errors, StatusError } from "../store/errors";
import { simLog } from "../log";
import { checkBodyTypes, parseText, type TypedTarget } from "./decode";
import { isProtobuf, negotiateOutput } from "./negotiation";
import { decodeObject as decodeProtobuf, encodeObject, type Into, PROTOBUF, ProtobufError } from "./protobuf/codec";

/** kube-apiserver's --max-request-body-bytes default is 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** One API request, already split into the parts every handler needs. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  req: IncomingMessage;
  res: ServerResponse;
  /** The request body, read on first use (bounded by MAX_BODY_BYTES). */
  body(): Promise<Buffer>;
}

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = "application/json"): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
  res.end(text);
}

/** An object (with apiVersion and kind) in Kubernetes protobuf. */
export function writeProtobuf(res: ServerResponse, code: number, body: Record<string, unknown>): void {
  const bytes = encodeObject(body);
  res.writeHead(code, { "Content-Type": PROTOBUF, "Content-Length": bytes.length, "Cache-Control": "no-cache, private" });
  res.end(bytes);
}

/** The Accept header's choice when it is protobuf; any failure to negotiate falls back to JSON (ErrorNegotiated). */
function errorsInProtobuf(accept: string | undefined): boolean {
  try {
    return isProtobuf(negotiateOutput(accept));
  } catch {
    return false;
  }
}

/**
 * Every failure leaves as a `Status` object with its HTTP code, as the API server answers, in the
 * negotiated serialization; an unexpected one is logged as `what` failing.
 */
export function writeError(res: ServerResponse, err: unknown, accept?: string, what = "a request"): void {
  const status = err instanceof StatusError ? err : errors.internal(err instanceof Error ? err.message : String(err));
  if (!(err instanceof StatusError)) simLog.error("api", `${what} failed with an unexpected 500`, err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status.details?.retryAfterSeconds) res.setHeader("Retry-After", String(status.details.retryAfterSeconds));
  if (errorsInProtobuf(accept)) writeProtobuf(res, status.code, { ...status.toStatus() });
  else writeJson(res, status.code, status.toStatus());
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => failed || resolve(Buffer.concat(chunks)));
    req.on("error", (e) => failed || reject(e));
  });
}

/** Media type of the body, without parameters ("application/json; charset=utf-8" → "application/json"). */
export function mediaType(headers: IncomingMessage["headers"]): string {
  return String(headers["content-type"] ?? "application/json").split(";")[0].trim().toLowerCase();
}

/** handlers.summarizeData: the start of a body that could not be decoded, as text or hex. */
function summarizeData(data: Buffer, max = 30): string {
  if (data.length === 0) return "<empty>";
  const head = data.subarray(0, max);
  const text = data[0] === 0x7b ? head.toString("utf8") : head.toString("hex");
  return data.length > max ? `${text} ...` : text;
}

/**
 * A protobuf body (what client-go's typed clients send). `into` is the kind the URL serves: an
 * envelope without typeMeta decodes as it, and errors read as transformDecodeError words them.
 */
function decodeProtobufObject(body: Buffer, into?: Into): Record<string, unknown> {
  try {
    return decodeProtobuf(body, into);
  } catch (e) {
    if (!(e instanceof ProtobufError || e instanceof Error)) throw e;
    const target = into?.kind ?? "Object";
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${target}): ${e.message} (${summarizeData(body)})`);
  }
}

/** The kind a body should be: `apiVersion`/`kind` for a protobuf envelope without typeMeta, the model for the Go type's decode errors. */
export type BodyTarget = Into & Partial<TypedTarget>;

/**
 * Decodes a JSON, protobuf (typed clients) or YAML (server-side apply) object body; bad input is a
 * 400. With a target model, also the decode errors of the kind's Go type (wrong JSON types,
 * fractions and out-of-range integers, malformed quantities: see decode/types.ts).
 */
export function decodeObject(body: Buffer, type = "application/json", target?: BodyTarget): Record<string, unknown> {
  if (type === PROTOBUF) return decodeProtobufObject(body, target);
  const text = body.toString("utf8");
  if (!text.trim()) throw errors.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
  const value = parseText(text, type);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(value) ? "array" : typeof value} into Go value of type struct`);
  }
  if (target?.model && target.version) checkBodyTypes(text, type, value, { model: target.model, kind: target.kind, version: target.version });
  return value as Record<string, unknown>;
}

/** A JSON body of any shape (patches, DeleteOptions), bounded in depth like every body. */
export function decodeJson(body: Buffer): unknown {
  return parseText(body.toString("utf8"), "application/json");
}

/** Integer query parameter; a malformed value is a 400 as in the parameter codec. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  // strconv.ParseInt(raw, 10, 64): digits only ("1e3" and "1.0" are not integers), within int64.
  if (!/^[-+]?\d+$/.test(raw) || BigInt(raw) > 2n ** 63n - 1n || BigInt(raw) < -(2n ** 63n)) throw errors.badRequest(`invalid value for ${name}: ${raw}`);
  return Number(raw);
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  return raw === "true" || raw === "1";
}
