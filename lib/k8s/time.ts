/**
 * Kubernetes timestamps arrive as `Date` from @kubernetes/client-node on the server and as ISO
 * strings once they crossed the wire as JSON (the types still say `Date`). Every helper reads
 * them through here so both shapes work.
 */
export type Timestamp = Date | string | number | null | undefined;

/** Milliseconds since the epoch, or undefined for a missing or unparseable timestamp. */
export function toMillis(t: Timestamp | unknown): number | undefined {
  if (t === undefined || t === null || t === "") return undefined;
  if (t instanceof Date) return Number.isNaN(t.getTime()) ? undefined : t.getTime();
  if (typeof t === "number") return Number.isFinite(t) ? t : undefined;
  if (typeof t === "string") {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** ISO text of a timestamp (for `title` attributes and `since` fields), or undefined. */
export function toIso(t: Timestamp | unknown): string | undefined {
  const ms = toMillis(t);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
