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

/** metav1.Time as the API server serialises it: RFC 3339 in UTC with whole seconds ("2026-01-01T12:00:00Z"). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** metav1.MicroTime (Lease renewTime, Event eventTime): RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

/**
 * A metav1.Time field as the embedded cluster writes it: the RFC 3339 text the API serves, typed
 * as client-node's models type the field (`Date`). Objects in the embedded cluster are JSON, so
 * their timestamps are this string; readers go through `toMillis`, which takes both shapes.
 */
export function timeField(ms: number): Date {
  return isoTime(ms) as unknown as Date;
}

/** A metav1.MicroTime field (Lease renewTime, Event eventTime), typed as client-node types it (see `timeField`). */
export function microTimeField(ms: number): Date {
  return microTime(ms) as unknown as Date;
}

/** A timestamp the API server serialises as `null` (a pod condition's lastProbeTime), typed as client-node types it. */
export const NULL_TIME = null as unknown as Date;

/** ISO text of a timestamp (for `title` attributes and `since` fields), or undefined. */
export function toIso(t: Timestamp | unknown): string | undefined {
  const ms = toMillis(t);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** duration.HumanDuration: "45s", "3m12s", "15m", "5h3m", "3d4h", "400d", "2y10d". */
export function humanDuration(ms: number): string {
  // Go's int(d.Seconds()) truncates toward zero: -1.5 s is "0s", not "<invalid>".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** The AGE column (translateTimestampSince of printers.go): "<unknown>" without a timestamp. */
export function formatAge(from: Timestamp, now: number): string {
  const t = toMillis(from);
  return t === undefined ? "<unknown>" : humanDuration(now - t);
}
