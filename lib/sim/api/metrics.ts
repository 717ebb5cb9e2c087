import type { ServerResponse } from "node:http";

/**
 * `GET /metrics` in Prometheus text format, as kube-apiserver serves it — only the gauge of open
 * long-running requests (`apiserver_longrunning_requests`, verb WATCH) so far: how many watches
 * each resource has open right now. The soak test reads it to prove the dashboard keeps exactly
 * one watch per kind, and `kubectl get --raw /metrics` shows it to a curious class.
 */
export interface WatchLabels {
  group: string;
  version: string;
  resource: string;
  scope: "cluster" | "namespace" | "resource";
}

/** Open watches by their labels (JSON of WatchLabels), counted by the watch handler. */
export type WatchGauge = Map<string, number>;

/** Counts one watch as open; returns the function that counts it closed (idempotent). */
export function trackWatch(gauge: WatchGauge, labels: WatchLabels): () => void {
  const key = JSON.stringify(labels);
  gauge.set(key, (gauge.get(key) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const n = (gauge.get(key) ?? 1) - 1;
    if (n > 0) gauge.set(key, n);
    else gauge.delete(key);
  };
}

/** Requests served, by HTTP method (the bench reads the API-server request rate from it). */
export type RequestCounter = Map<string, number>;

export function countRequest(counter: RequestCounter, method: string): void {
  counter.set(method, (counter.get(method) ?? 0) + 1);
}

export function formatMetrics(gauge: WatchGauge, requests: RequestCounter = new Map()): string {
  const lines = [
    "# HELP apiserver_longrunning_requests [STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.",
    "# TYPE apiserver_longrunning_requests gauge",
  ];
  for (const [key, count] of [...gauge].sort(([a], [b]) => a.localeCompare(b))) {
    const l = JSON.parse(key) as WatchLabels;
    lines.push(`apiserver_longrunning_requests{component="apiserver",group="${l.group}",resource="${l.resource}",scope="${l.scope}",subresource="",verb="WATCH",version="${l.version}"} ${count}`);
  }
  // kube-apiserver's counter has more labels (code, resource, scope…); the total by method is what is kept here.
  lines.push("# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb.", "# TYPE apiserver_request_total counter");
  for (const [method, count] of [...requests].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`apiserver_request_total{component="apiserver",verb="${method}"} ${count}`);
  return lines.join("\n") + "\n";
}

export function serveMetrics(res: ServerResponse, gauge: WatchGauge, requests?: RequestCounter): void {
  res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  res.end(formatMetrics(gauge, requests));
}
