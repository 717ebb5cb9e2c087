import type { KubernetesObject } from "@kubernetes/client-node";
import { errors } from "./errors";
import { fieldLabelValue } from "./fieldLabels";

/** One requirement of a label selector, as in k8s.io/apimachinery/pkg/labels. */
export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type LabelSelector = LabelRequirement[];

/** Splits on commas that are not inside parentheses ("a in (x,y),b" → ["a in (x,y)", "b"]). */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

export function parseLabelSelector(input: string | undefined): LabelSelector {
  if (!input) return [];
  return splitTopLevel(input).map(parseRequirement);
}

function parseRequirement(part: string): LabelRequirement {
  const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const values = setMatch[3].split(",").map((v) => v.trim()).filter((v) => v !== "");
    return { key: setMatch[1], op: setMatch[2] as "in" | "notin", values };
  }
  const neq = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(part);
  if (neq) return { key: neq[1], op: "!=", value: neq[2] };
  const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(part);
  if (eq) return { key: eq[1], op: "=", value: eq[2] };
  const notExists = /^!\s*([^\s!=]+)$/.exec(part);
  if (notExists) return { key: notExists[1], op: "!exists" };
  if (/^[^\s!=(),]+$/.test(part)) return { key: part, op: "exists" };
  throw errors.badRequest(`unable to parse requirement: found '${part}', expected: selector`);
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case "=":
        return has && l[r.key] === r.value;
      case "!=":
        return !has || l[r.key] !== r.value;
      case "in":
        return has && r.values.includes(l[r.key]);
      case "notin":
        return !has || !r.values.includes(l[r.key]);
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}

/** Converts a structured `V1LabelSelector` (matchLabels + matchExpressions) into requirements. */
export function fromLabelSelector(sel: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
} | undefined): LabelSelector {
  if (!sel) return [];
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({ key, op: "=" as const, value }));
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === "In") reqs.push({ key: e.key, op: "in", values: e.values ?? [] });
    else if (op === "NotIn") reqs.push({ key: e.key, op: "notin", values: e.values ?? [] });
    else if (op === "Exists") reqs.push({ key: e.key, op: "exists" });
    else if (op === "DoesNotExist") reqs.push({ key: e.key, op: "!exists" });
  }
  return reqs;
}

export type FieldRequirement = { path: string; op: "=" | "!="; value: string };
export type FieldSelector = FieldRequirement[];

export function parseFieldSelector(input: string | undefined): FieldSelector {
  if (!input) return [];
  return splitTopLevel(input).map((part) => {
    const neq = /^([^!=]+)!=(.*)$/.exec(part);
    if (neq) return { path: neq[1].trim(), op: "!=" as const, value: neq[2].trim() };
    const eq = /^([^!=]+)==?(.*)$/.exec(part);
    if (eq) return { path: eq[1].trim(), op: "=" as const, value: eq[2].trim() };
    throw errors.badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
  });
}

export function matchesFields(selector: FieldSelector, obj: KubernetesObject): boolean {
  return selector.every((r) => {
    const v = fieldLabelValue(obj, r.path);
    return r.op === "=" ? v === r.value : v !== r.value;
  });
}
