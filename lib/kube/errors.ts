import type { ApiError } from "@/lib/k8s/contract";
import { redact } from "./redact";
import { isSettingsError } from "./settings";

/**
 * An error the dashboard answers with: an HTTP status, a Kubernetes-style reason and a message,
 * optionally naming the offending request field. Everything thrown in lib/kube ends up as one of
 * these before it reaches a browser (see toApiError).
 */
const BRAND = Symbol.for("sts-playground.PlaygroundError");

export class PlaygroundError extends Error {
  /** Recognised by brand, not instanceof: Next may bundle lib/kube once per route, each with its own class. */
  readonly [BRAND] = true;

  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "PlaygroundError";
  }
}

export function isPlaygroundError(err: unknown): err is PlaygroundError {
  return typeof err === "object" && err !== null && (err as { [BRAND]?: boolean })[BRAND] === true;
}

export const badRequest = (message: string, field?: string) => new PlaygroundError(400, "BadRequest", message, field);
export const notFound = (message: string) => new PlaygroundError(404, "NotFound", message);

/** The shape of a Kubernetes `Status` body (metav1.Status), as far as we use it. */
interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** Parses a Kubernetes Status from an ApiException body (client-node gives a JSON string) or a raw response body. */
export function parseKubeStatus(body: unknown): KubeStatus | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value && typeof value === "object" && ("reason" in value || "message" in value)) return value as KubeStatus;
  return undefined;
}

/** The reason Kubernetes uses for a status code when a response carries no Status body. */
function reasonForStatus(code: number): string {
  const reasons: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
  };
  return reasons[code] ?? (code >= 500 ? "InternalError" : "BadRequest");
}

/** An error answered by the Kubernetes API server, with its Status reason and message kept. */
export class KubeApiError extends PlaygroundError {
  constructor(code: number, status: KubeStatus | undefined, fallbackMessage: string) {
    super(code, status?.reason || reasonForStatus(code), status?.message || fallbackMessage);
    this.name = "KubeApiError";
  }
}

/** client-node's ApiException (duck-typed: the class is not exported from the package root in every build). */
function isApiException(err: unknown): err is { code: number; body: unknown } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === "number" && "body" in err;
}

/** Node's network errors (ECONNREFUSED etc.): the API server is unreachable. */
function networkCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Normalises anything thrown while talking to Kubernetes into a PlaygroundError. */
export function fromKubeError(err: unknown): PlaygroundError {
  if (isPlaygroundError(err)) return err;
  // No (valid) cluster configuration: the dashboard cannot serve, the request is not at fault.
  if (isSettingsError(err)) return new PlaygroundError(503, "ServiceUnavailable", err.message);
  if (isApiException(err)) {
    const status = parseKubeStatus(err.body);
    return new KubeApiError(err.code, status, `the API server answered ${err.code}`);
  }
  const net = networkCode(err);
  if (net) return new PlaygroundError(503, "ServiceUnavailable", `the Kubernetes API server is unreachable (${net})`);
  if (err instanceof Error && err.name === "AbortError") {
    return new PlaygroundError(504, "Timeout", "the Kubernetes API server did not answer in time");
  }
  return new PlaygroundError(500, "InternalError", err instanceof Error ? err.message : String(err));
}

/** The JSON body for an error response, with any credential scrubbed from the message. */
export function toApiError(err: unknown): ApiError {
  const e = fromKubeError(err);
  return {
    error: {
      status: e.status,
      reason: e.reason,
      message: redact(e.message),
      ...(e.field ? { field: e.field } : {}),
    },
  };
}
