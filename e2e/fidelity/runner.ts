import { randomBytes } from "node:crypto";
import type { V1Node } from "@kubernetes/client-node";
import { apiErrorText, isNotFound, type Kube, kubeFor, sleep } from "./kube";
import { NamespaceRecorder } from "./recorder";
import type { Scenario, ScenarioContext, Step } from "./scenario";
import { type ClusterFacts, inFlight } from "./settle";
import { DOWN_ANNOTATION, mergePatch, nodeReady, SET_NAME } from "./steps";
import type { Target } from "./targets";
import { describeEvent, emptyPrevious, normalizeStep, type Trace } from "./trace";
import { checkWhys } from "./why-check";

/** No watch event for this long (after the state looks settled) makes a step boundary. */
export const QUIET_MS = Number(process.env.FIDELITY_QUIET_MS || 1500);
const STEP_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

async function clusterFacts(kube: Kube): Promise<ClusterFacts> {
  const [nodes, classes] = await Promise.all([kube.core.listNode(), kube.storage.listStorageClass()]);
  const defaultClass = classes.items.find((c) => c.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
  return { nodes: nodes.items, storageClasses: new Set(classes.items.map((c) => c.metadata!.name!)), defaultStorageClass: defaultClass?.metadata?.name };
}

/**
 * Waits for a step boundary: the step's own end state (if any), nothing in flight, and no watch
 * event for QUIET_MS. Returns false on timeout (the trace then says "timeout").
 */
async function waitForBoundary(ctx: ScenarioContext, step: Step, actionDoneAt: number, log: (line: string) => void): Promise<boolean> {
  const deadline = Date.now() + (step.timeoutMs ?? STEP_TIMEOUT_MS);
  let facts = await clusterFacts(ctx.kube);
  let factsAt = Date.now();
  for (;;) {
    if (Date.now() - factsAt > 500) {
      facts = await clusterFacts(ctx.kube);
      factsAt = Date.now();
    }
    ctx.nodes = facts.nodes;
    const snapshot = ctx.recorder.snapshot(ctx.setName);
    const quietSince = Math.max(ctx.recorder.lastChangeAt, actionDoneAt);
    const untilMet = !step.until || step.until(snapshot, ctx);
    const busy = inFlight(snapshot, facts);
    if (untilMet && !busy && Date.now() - quietSince >= QUIET_MS) return true;
    if (Date.now() > deadline) {
      log(`${step.name}: no boundary: ${!untilMet ? "end state not reached" : busy ? `in flight: ${busy}` : `last change ${Date.now() - quietSince} ms ago`}`);
      return false;
    }
    await sleep(POLL_MS);
  }
}

/** Waits until every node is Ready and carries no taint, so a scenario starts from a healthy cluster. */
async function waitHealthyNodes(kube: Kube, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = (await kube.core.listNode()).items;
    const unhealthy = nodes.filter((n: V1Node) => nodeReady(n) !== "True" || (n.spec?.taints?.length ?? 0) > 0 || n.metadata?.annotations?.[DOWN_ANNOTATION]);
    if (nodes.length > 0 && unhealthy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`nodes not healthy: ${unhealthy.map((n) => n.metadata?.name).join(", ") || "no nodes"}`);
    await sleep(250);
  }
}

async function createNamespace(kube: Kube, namespace: string): Promise<void> {
  await kube.core.createNamespace({ body: { metadata: { name: namespace, labels: { "playground.k8s.io/fidelity": "true" } } } });
  // On a real cluster the ServiceAccount admission plugin rejects pods until the namespace's
  // default ServiceAccount exists; wait for it (briefly: a cluster without that controller goes on).
  for (let i = 0; i < 50; i++) {
    try {
      await kube.core.readNamespacedServiceAccount({ name: "default", namespace });
      break;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await sleep(100);
    }
  }
  // The governing headless Service (DNS names of the pods).
  await kube.core.createNamespacedService({
    namespace,
    body: { metadata: { name: SET_NAME, labels: { app: SET_NAME } }, spec: { clusterIP: "None", selector: { app: SET_NAME }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } },
  });
}

/**
 * Leaves nothing behind, the same way on both clusters: nodes recovered, the set deleted, pods
 * force-deleted, claims deleted (their Delete-policy volumes go with them), then the namespace.
 */
async function cleanup(ctx: ScenarioContext): Promise<void> {
  const { kube, namespace } = ctx;
  const ignore = () => undefined;
  for (const node of ctx.downNodes) {
    await kube.core.patchNode({ name: node, body: { metadata: { annotations: { [DOWN_ANNOTATION]: null } } } }, mergePatch).catch(ignore);
  }
  await kube.apps.deleteNamespacedStatefulSet({ name: ctx.setName, namespace, body: { propagationPolicy: "Background" } }).catch(ignore);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [pods, pvcs, pvs] = await Promise.all([
      kube.core.listNamespacedPod({ namespace }),
      kube.core.listNamespacedPersistentVolumeClaim({ namespace }),
      kube.core.listPersistentVolume(),
    ]);
    const claimed = pvs.items.filter((pv) => pv.spec?.claimRef?.namespace === namespace);
    if (pods.items.length + pvcs.items.length + claimed.length === 0 || Date.now() > deadline) break;
    for (const p of pods.items) await kube.core.deleteNamespacedPod({ name: p.metadata!.name!, namespace, gracePeriodSeconds: 0 }).catch(ignore);
    for (const c of pvcs.items) if (!c.metadata?.deletionTimestamp) await kube.core.deleteNamespacedPersistentVolumeClaim({ name: c.metadata!.name!, namespace }).catch(ignore);
    await sleep(500);
  }
  await kube.core.deleteNamespace({ name: namespace }).catch(ignore);
}

export interface RunOptions {
  log?: (line: string) => void;
}

/** Runs one scenario against one cluster in a fresh namespace and returns its normalized trace. */
export async function runScenario(target: Target, scenario: Scenario, opts: RunOptions = {}): Promise<Trace> {
  const log = opts.log ?? (() => {});
  const kube = kubeFor(target.kubeconfigPath, target.context);
  const namespace = `fid-${scenario.id}-${randomBytes(3).toString("hex")}`.slice(0, 63);
  const trace: Trace = { scenario: scenario.id, steps: [] };
  await waitHealthyNodes(kube);
  await createNamespace(kube, namespace);
  const recorder = new NamespaceRecorder(kube, namespace);
  const ctx: ScenarioContext = { kube, namespace, setName: SET_NAME, recorder, downNodes: new Set(), nodes: [], scratch: new Map() };
  let current = "(setup)";
  try {
    await recorder.start();
    recorder.takeLog();
    let previous = emptyPrevious();
    for (const step of scenario.steps) {
      current = step.name;
      const started = Date.now();
      recorder.markStep(step.name, step.awaited);
      await step.run(ctx);
      const settled = await waitForBoundary(ctx, step, Date.now(), (line) => log(`[${target.name}] ${scenario.id}: ${line}`));
      const stepLog = recorder.takeLog();
      const { state, next } = normalizeStep(recorder.snapshot(ctx.setName), stepLog, previous, { ordered: step.ordered, settled });
      previous = next;
      trace.steps.push({ step: step.name, state, rawEvents: stepLog.events.map(describeEvent) });
      log(`[${target.name}] ${scenario.id}: ${step.name} → ${settled ? "stable" : "TIMEOUT"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
    trace.whyChecks = checkWhys(recorder.timeline);
  } catch (err) {
    trace.error = `${current}: ${apiErrorText(err)}`;
    log(`[${target.name}] ${scenario.id}: ERROR ${trace.error}`);
  } finally {
    if (recorder.errors.length) log(`[${target.name}] ${scenario.id}: watch errors: ${recorder.errors.join("; ")}`);
    await recorder.stop();
    await cleanup(ctx).catch((err: unknown) => log(`[${target.name}] ${scenario.id}: cleanup failed: ${apiErrorText(err)}`));
  }
  return trace;
}
