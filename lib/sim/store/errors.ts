import type { V1Status, V1StatusCause } from "@kubernetes/client-node";

/** A Kubernetes API error, carried as the `Status` object the API server would return. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: V1StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }

  toStatus(): V1Status {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    } as V1Status;
  }
}

function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  notFound: (resource: string, group: string, name: string) =>
    new StatusError(404, "NotFound", `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource }),
  alreadyExists: (resource: string, group: string, name: string) =>
    new StatusError(409, "AlreadyExists", `${qualified(resource, group)} "${name}" already exists`, { name, group, kind: resource }),
  conflict: (resource: string, group: string, name: string, why: string) =>
    new StatusError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, {
      name,
      group,
      kind: resource,
    }),
  invalid: (kind: string, group: string, name: string, causes: V1StatusCause[]) =>
    new StatusError(
      422,
      "Invalid",
      // field.ErrorList.ToAggregate(): one error as is, several in brackets.
      `${kind}${group ? "." + group : ""} "${name}" is invalid: ${causes.length === 1 ? `${causes[0].field}: ${causes[0].message}` : `[${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}]`}`,
      { name, group, kind, causes },
    ),
  badRequest: (message: string) => new StatusError(400, "BadRequest", message),
  gone: (message: string) => new StatusError(410, "Expired", message),
  methodNotAllowed: (message: string) => new StatusError(405, "MethodNotAllowed", message),
  unsupportedMediaType: (message: string) => new StatusError(415, "UnsupportedMediaType", message),
  internal: (message: string) => new StatusError(500, "InternalError", message),
  timeout: (message: string) => new StatusError(504, "Timeout", message),
  serviceUnavailable: (message: string) => new StatusError(503, "ServiceUnavailable", message),
};
