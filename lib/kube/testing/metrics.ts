/**
 * Reads the embedded API server's `/metrics` (lib/sim/api/metrics.ts): open watches per resource,
 * i.e. how many watch connections the dashboard (or anyone) holds towards it right now.
 */
export async function openWatchesByResource(apiUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^apiserver_longrunning_requests\{([^}]*)\} (\d+)$/gm)) {
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.verb !== "WATCH") continue;
    const key = labels.group ? `${labels.resource}.${labels.group}` : labels.resource;
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}

/** The store keys of the dashboard's watched kinds (WATCHED_KINDS), as /metrics names them. */
export const WATCHED_RESOURCES = [
  "statefulsets.apps",
  "pods",
  "persistentvolumeclaims",
  "persistentvolumes",
  "services",
  "endpointslices.discovery.k8s.io",
  "events",
  "nodes",
];
