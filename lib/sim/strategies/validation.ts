import type { V1StatusCause } from "@kubernetes/client-node";
import { errors } from "../store/errors";
import type { StoredObject } from "../store/store";
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX_LENGTH } from "../../k8s/names";

/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field words them, so a refused request
 * reads exactly like the real API server's: `spec.replicas: Invalid value: -1: must be ...`.
 */
export type FieldError = V1StatusCause;

/** Go's %#v-ish rendering of a value, as field.Invalid prints it. */
export function goValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return `[]string{${value.map((v) => JSON.stringify(v)).join(", ")}}`;
  if (typeof value === "object" && Object.values(value).every((v) => typeof v === "string")) {
    const entries = Object.entries(value as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
    return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value);
}

export const field = {
  required: (path: string, detail = ""): FieldError => ({
    field: path,
    reason: "FieldValueRequired",
    message: detail ? `Required value: ${detail}` : "Required value",
  }),
  invalid: (path: string, value: unknown, detail: string): FieldError => ({
    field: path,
    reason: "FieldValueInvalid",
    message: `Invalid value: ${goValue(value)}${detail ? `: ${detail}` : ""}`,
  }),
  forbidden: (path: string, detail: string): FieldError => ({ field: path, reason: "FieldValueForbidden", message: `Forbidden: ${detail}` }),
  notSupported: (path: string, value: unknown, supported: string[]): FieldError => ({
    field: path,
    reason: "FieldValueNotSupported",
    message: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
  }),
  duplicate: (path: string, value: unknown): FieldError => ({ field: path, reason: "FieldValueDuplicate", message: `Duplicate value: ${goValue(value)}` }),
};

/** Throws the 422 Invalid Status for `obj` when there is any field error. */
export function throwIfInvalid(obj: StoredObject, group: string, errs: FieldError[]): void {
  if (errs.length === 0) return;
  throw errors.invalid(obj.kind ?? "Object", group, obj.metadata?.name ?? "", errs);
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Messages from k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label & co). */
export function dns1123Label(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(value)) {
    out.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return out;
}

export function dns1123Subdomain(value: string): string[] {
  const out: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) out.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  if (!DNS1123_SUBDOMAIN.test(value)) {
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return out;
}

export function dns1035Label(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push("must be no more than 63 characters");
  if (!DNS1035_LABEL.test(value)) {
    out.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return out;
}

export type NameRule = (value: string) => string[];

/** ValidateObjectMeta: the name (per kind's rule) and, for namespaced kinds, the namespace. */
export function validateObjectMeta(obj: StoredObject, rule: NameRule, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata?.name ?? "";
  if (!name) errs.push(field.required("metadata.name", "name or generateName is required"));
  else for (const msg of rule(name)) errs.push(field.invalid("metadata.name", name, msg));
  const ns = obj.metadata?.namespace;
  if (namespaced) {
    if (!ns) errs.push(field.required("metadata.namespace"));
    else for (const msg of dns1123Label(ns)) errs.push(field.invalid("metadata.namespace", ns, msg));
  } else if (ns) {
    errs.push(field.forbidden("metadata.namespace", "not allowed on this type"));
  }
  errs.push(...validateLabels(obj.metadata?.labels, "metadata.labels"));
  return errs;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** ValidateLabels: qualified keys (optional DNS prefix) and label values of at most 63 characters. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf("/");
    const namePart = slash < 0 ? key : key.slice(slash + 1);
    const prefix = slash < 0 ? "" : key.slice(0, slash);
    if (!QUALIFIED_NAME.test(namePart) || namePart.length > 63 || (prefix && dns1123Subdomain(prefix).length)) {
      errs.push(
        field.invalid(
          path,
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
      );
    }
    if (typeof value !== "string" || value.length > 63 || !LABEL_VALUE.test(value)) {
      errs.push(
        field.invalid(
          path,
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  return errs;
}
