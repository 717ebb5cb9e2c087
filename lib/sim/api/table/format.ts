/**
 * Formatting shared by the table printers, after k8s.io/apimachinery/pkg/util/duration and
 * pkg/printers/internalversion/printers.go.
 */

/** duration.HumanDuration: "45s", "3m12s", "15m", "5h3m", "3d4h", "400d", "2y10d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
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
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const years = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for a missing timestamp. */
export function since(timestamp: unknown, now: number): string {
  if (timestamp === undefined || timestamp === null || timestamp === "") return "<unknown>";
  const t = timestamp instanceof Date ? timestamp.getTime() : Date.parse(String(timestamp));
  if (Number.isNaN(t)) return "<unknown>";
  return humanDuration(now - t);
}

/** labels.FormatLabels: "a=b,c=d" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}

const ACCESS_MODE_SHORT: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/** helper.GetAccessModesAsString: "RWO,ROX" in a fixed order. */
export function accessModes(modes: string[] | undefined): string {
  return ACCESS_MODE_SHORT.filter(([long]) => modes?.includes(long))
    .map(([, short]) => short)
    .join(",");
}

/** Up to `max` items, then " + N more...", as kubectl lists endpoints. */
export function firstFew(items: string[], total: number, max = 3): string {
  const shown = items.slice(0, max).join(",");
  return total > max ? `${shown} + ${total - max} more...` : shown;
}
