/**
 * Formatting shared by the table printers, after pkg/printers/internalversion/printers.go (AGE
 * and RESTARTS durations are lib/k8s/time.ts's, the same the page prints).
 */

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

interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, set values sorted. */
export function labelSelectorString(selector: LabelSelectorLike | undefined): string {
  const requirements: [string, string][] = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort(byText).join(",");
    const text = { In: `${e.key} in (${values})`, NotIn: `${e.key} notin (${values})`, Exists: e.key, DoesNotExist: `!${e.key}` }[e.operator];
    if (text !== undefined) requirements.push([e.key, text]);
  }
  return requirements
    .sort(([a], [b]) => byText(a, b))
    .map(([, text]) => text)
    .join(",");
}

/** metav1.FormatLabelSelector: as above, "<none>" when it selects everything. */
export function formatLabelSelector(selector: LabelSelectorLike | undefined): string {
  return labelSelectorString(selector) || "<none>";
}
