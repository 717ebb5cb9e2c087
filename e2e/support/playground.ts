import type { APIRequestContext, APIResponse } from "@playwright/test";
import type { V1Node, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { Snapshot } from "../../lib/k8s/contract";
import { NODE_DOWN_ANNOTATION } from "../../lib/k8s/wellknown";

/**
 * The dashboard's own routes, called from the test process (not through the page) to put the demo
 * back to the start of the chapter between tests. Mutating routes want what the browser sends:
 * `Content-Type: application/json` and a same-origin `Origin`.
 */
export const DEMO = { statefulSet: "kubia", namespace: "default", replicas: 2 } as const;

/** The page's origin (playwright.config.ts's baseURL), as a browser would send it on a same-origin fetch. */
function sameOriginJson(): Record<string, string> {
  const base = new URL(process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}`);
  return { Origin: base.origin, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json" };
}

async function ok(res: APIResponse, what: string): Promise<APIResponse> {
  if (!res.ok()) throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
  return res;
}

export async function post(request: APIRequestContext, path: string, body: unknown = {}): Promise<unknown> {
  const res = await ok(await request.post(path, { headers: sameOriginJson(), data: JSON.stringify(body), timeout: 90_000 }), `POST ${path}`);
  return res.json();
}

export async function remove(request: APIRequestContext, path: string, body: unknown = {}): Promise<unknown> {
  const res = await ok(await request.delete(path, { headers: sameOriginJson(), data: JSON.stringify(body), timeout: 90_000 }), `DELETE ${path}`);
  return res.json();
}

export async function snapshot(request: APIRequestContext): Promise<Snapshot> {
  const res = await ok(await request.get("/api/snapshot", { headers: { Accept: "application/json" } }), "GET /api/snapshot");
  return (await res.json()) as Snapshot;
}

const isReady = (conditions: { type: string; status: string }[] | undefined) => (conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
const nodeIsDown = (node: V1Node) => node.metadata?.annotations?.[NODE_DOWN_ANNOTATION] === "true";

/** Undo a failed test's node failure: every node the dashboard (or kubectl) took down comes back. */
export async function recoverAllNodes(request: APIRequestContext): Promise<void> {
  const { objects } = await snapshot(request);
  for (const node of objects.nodes.filter(nodeIsDown)) await post(request, `/api/nodes/${node.metadata!.name}/recover`);
}

/** Switch off every injected fault (a failed test may leave the pod network broken). */
export async function clearFaults(request: APIRequestContext): Promise<void> {
  const res = await request.put("/api/faults", {
    headers: sameOriginJson(),
    data: JSON.stringify({ storageUnavailable: false, missingImages: [], brokenPodNetwork: false }),
  });
  await ok(res, "PUT /api/faults");
}

/** The speed the e2e cluster starts at (playwright.config.ts's PLAYGROUND_SPEED). */
export const E2E_SPEED = Number(process.env.E2E_SPEED ?? 10);

/** Slow motion back to the suite's speed, not paused (a failed test may leave the clock stopped). */
export async function setSpeed(request: APIRequestContext, change: { speed?: number; paused?: boolean } = { speed: E2E_SPEED, paused: false }): Promise<void> {
  await ok(await request.put("/api/speed", { headers: sameOriginJson(), data: JSON.stringify(change) }), "PUT /api/speed");
}

/** Delete the kubia StatefulSet, its pods and claims (and so its data), then create it again with 2 replicas. */
export async function resetDemo(request: APIRequestContext): Promise<void> {
  await post(request, "/api/demo", { action: "reset" });
}

const ordinalOf = (name: string | undefined, prefix: string) => {
  const m = name?.match(new RegExp(`^${prefix}-(\\d+)$`));
  return m ? Number(m[1]) : undefined;
};

/**
 * What still differs from the settled demo ("" when settled): every node Ready and up, the
 * StatefulSet at 2 ready replicas, exactly pods kubia-0/1 Running and Ready (none Terminating),
 * exactly claims data-kubia-0/1 Bound.
 */
export function unsettled(snap: Snapshot): string {
  const problems: string[] = [];
  const { objects } = snap;
  const { statefulSet, namespace, replicas } = DEMO;
  for (const node of objects.nodes) {
    if (nodeIsDown(node) || !isReady(node.status?.conditions)) problems.push(`node ${node.metadata?.name} not Ready`);
    if ((node.spec?.taints ?? []).some((t) => t.key.startsWith("node.kubernetes.io/"))) problems.push(`node ${node.metadata?.name} still tainted`);
  }
  const sts = objects.statefulsets.find((s) => s.metadata?.name === statefulSet && s.metadata?.namespace === namespace);
  if (!sts) problems.push(`no statefulset ${statefulSet}`);
  else if (sts.spec?.replicas !== replicas || sts.status?.readyReplicas !== replicas) problems.push(`statefulset ${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas} ready`);
  const pods = objects.pods.filter((p: V1Pod) => p.metadata?.namespace === namespace && ordinalOf(p.metadata?.name, statefulSet) !== undefined);
  const podNames = pods.map((p) => p.metadata!.name!).sort();
  if (podNames.join() !== "kubia-0,kubia-1") problems.push(`pods ${podNames.join() || "(none)"}`);
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) problems.push(`pod ${pod.metadata.name} Terminating`);
    else if (pod.status?.phase !== "Running" || !isReady(pod.status?.conditions)) problems.push(`pod ${pod.metadata?.name} not Running+Ready`);
  }
  const claims = objects.persistentvolumeclaims.filter(
    (c: V1PersistentVolumeClaim) => c.metadata?.namespace === namespace && ordinalOf(c.metadata?.name, `data-${statefulSet}`) !== undefined,
  );
  const claimNames = claims.map((c) => c.metadata!.name!).sort();
  if (claimNames.join() !== "data-kubia-0,data-kubia-1") problems.push(`claims ${claimNames.join() || "(none)"}`);
  for (const claim of claims) if (claim.status?.phase !== "Bound" || claim.metadata?.deletionTimestamp) problems.push(`claim ${claim.metadata?.name} ${claim.status?.phase}`);
  return problems.join("; ");
}
