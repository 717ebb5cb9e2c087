import { isLosslessNumber } from "lossless-json";

/** resource.Quantity's parse errors (k8s.io/apimachinery/pkg/api/resource/quantity.go). */
const SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** parseQuantityString's grammar: sign, digits, optional fraction, then the suffix letters and exponent. */
const GRAMMAR = /^[+-]?[0-9]*(?:\.[0-9]*)?([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIXES = new Set(["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"]);

/** The error ParseQuantity gives for `text`, or undefined when it parses. */
export function parseQuantityError(text: string): string | undefined {
  const str = text.trim();
  if (!str) return ERR_FORMAT_WRONG;
  const match = GRAMMAR.exec(str);
  if (!match) return ERR_FORMAT_WRONG;
  const suffix = match[1];
  if (SUFFIXES.has(suffix)) return undefined;
  return /^[eE][-+]?[0-9]+$/.test(suffix) ? undefined : ERR_SUFFIX;
}

/** Quantity.UnmarshalJSON: a JSON string or a bare number, parsed by ParseQuantity; null is zero. */
export function quantityError(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return parseQuantityError(value);
  if (typeof value === "number") return parseQuantityError(String(value));
  if (isLosslessNumber(value)) return parseQuantityError(value.value);
  return ERR_FORMAT_WRONG;
}
