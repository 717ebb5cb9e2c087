import { ownerKeys, writeStatusIfChanged } from "./sync";
import type { V1Deployment, V1DeploymentCondition, V1DeploymentStatus, V1Pod, V1PodTemplateSpec, V1ReplicaSet } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { fromLabelSelector, matchesLabels } from "../../store/selectors";
import type { StoredObject } from "../../store/store";
import { objectKey, splitKey } from "../../../k8s/keys";
import { type RunningController, runController } from "../runtime/controller";
import { recordEvent } from "../runtime/events";
import { hashRevision } from "../statefulset/revisions";
import { timeField } from "../../../k8s/time";
import { canonicalJson, ignoreStale } from "../util";
import { controllerRef } from "./pods";
import { DESIRED_REPLICAS, fenceposts, MAX_REPLICAS, newReplicaSetTarget, oldScaleDownBudget, POD_TEMPLATE_HASH, REVISION, revisionOf } from "./rollout";
import { deepCopy } from "../../store/copy";

const DEPLOYMENTS = "deployments.apps";
const RS = "replicasets.apps";
const SOURCE = { component: "deployment-controller" };
/** Annotations of the Deployment that are not copied onto its ReplicaSets (skipCopyAnnotation). */
const NOT_COPIED = new Set(["kubectl.kubernetes.io/last-applied-configuration", REVISION, "deployment.kubernetes.io/revision-history", DESIRED_REPLICAS, MAX_REPLICAS]);

const withoutHash = (t: V1PodTemplateSpec | undefined) => {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return canonicalJson({ ...t, metadata: { ...t?.metadata, labels } });
};
const created = (rs: V1ReplicaSet) => Date.parse(String(rs.metadata?.creationTimestamp ?? 0)) || 0;

/**
 * The Deployment controller (pkg/controller/deployment): a ReplicaSet `<deployment>-<hash>` per pod
 * template, rolled by RollingUpdate (maxSurge/maxUnavailable) or Recreate, with the revision
 * annotations `kubectl rollout history/undo` read, the "ScalingReplicaSet" events, the status
 * counters and the Available/Progressing conditions `kubectl rollout status` waits on.
 */
export function startDeploymentController(ctx: SimContext): RunningController {
  const { store } = ctx;

  const ownedReplicaSets = (d: V1Deployment): V1ReplicaSet[] => {
    const selector = fromLabelSelector(d.spec?.selector);
    const out: V1ReplicaSet[] = [];
    for (const obj of store.list(RS, { namespace: d.metadata?.namespace }).items) {
      const rs = obj;
      const ref = rs.metadata?.ownerReferences?.find((r) => r.controller);
      if (ref?.uid === d.metadata?.uid) out.push(rs);
      else if (!ref && !d.metadata?.deletionTimestamp && selector.length && matchesLabels(selector, rs.metadata?.labels)) {
        const adopted = ignoreStale(() => store.update(RS, { ...rs, metadata: { ...rs.metadata, ownerReferences: [...(rs.metadata?.ownerReferences ?? []), controllerRef(asOwner(d))] } }));
        if (adopted) out.push(adopted);
      }
    }
    return out;
  };

  const scale = (d: V1Deployment, rs: V1ReplicaSet, to: number) => {
    const from = rs.spec?.replicas ?? 0;
    const annotations = { ...rs.metadata?.annotations, [DESIRED_REPLICAS]: String(d.spec?.replicas ?? 0), [MAX_REPLICAS]: String((d.spec?.replicas ?? 0) + fenceposts(d).maxSurge) };
    const sameAnnotations = canonicalJson(annotations) === canonicalJson(rs.metadata?.annotations ?? {});
    if (from === to && sameAnnotations) return rs;
    const updated = ignoreStale(() => store.update(RS, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec!, replicas: to } }));
    if (updated && from !== to) recordEvent(ctx, d, "Normal", "ScalingReplicaSet", `Scaled ${to > from ? "up" : "down"} replica set ${rs.metadata!.name} from ${from} to ${to}`, SOURCE);
    return updated ?? rs;
  };

  /** getNewReplicaSet: finds or creates the ReplicaSet of the current template, and gives it the newest revision. */
  const newReplicaSet = (d: V1Deployment, all: V1ReplicaSet[], old: V1ReplicaSet[]): V1ReplicaSet => {
    const revision = String(Math.max(0, ...old.map(revisionOf)) + 1);
    const existing = all.find((rs) => withoutHash(rs.spec?.template) === withoutHash(d.spec?.template));
    const copied = Object.fromEntries(Object.entries(d.metadata?.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)));
    if (existing) {
      if (revisionOf(existing) >= Number(revision) && canonicalJson({ ...existing.metadata?.annotations, ...copied }) === canonicalJson(existing.metadata?.annotations ?? {})) return existing;
      const history: Record<string, string> = revisionOf(existing) && revisionOf(existing) < Number(revision) ? { "deployment.kubernetes.io/revision-history": [existing.metadata?.annotations?.["deployment.kubernetes.io/revision-history"], String(revisionOf(existing))].filter(Boolean).join(",") } : {};
      const annotations = { ...existing.metadata?.annotations, ...copied, ...history, [REVISION]: String(Math.max(revisionOf(existing), Number(revision))) };
      return (ignoreStale(() => store.update(RS, { ...existing, metadata: { ...existing.metadata, annotations } }))) ?? existing;
    }
    const hash = hashRevision(d.spec?.template, d.status?.collisionCount ?? 0);
    const template = deepCopy(d.spec!.template!);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
    const selector = { ...d.spec!.selector, matchLabels: { ...d.spec!.selector?.matchLabels, [POD_TEMPLATE_HASH]: hash } };
    const replicas = d.spec?.strategy?.type === "Recreate" ? 0 : newReplicaSetTarget(d, { spec: { replicas: 0, selector } }, all);
    const annotations = { ...copied, [REVISION]: revision, [DESIRED_REPLICAS]: String(d.spec?.replicas ?? 0), [MAX_REPLICAS]: String((d.spec?.replicas ?? 0) + fenceposts(d).maxSurge) };
    const metadata = { name: `${d.metadata!.name}-${hash}`, namespace: d.metadata!.namespace, labels: template.metadata.labels, annotations, ownerReferences: [controllerRef(asOwner(d))] };
    const createdRs = store.create(RS, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata, spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template } });
    if (replicas > 0) recordEvent(ctx, d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${metadata.name} from 0 to ${replicas}`, SOURCE);
    return createdRs;
  };

  const rollingUpdate = (d: V1Deployment, newRs: V1ReplicaSet, old: V1ReplicaSet[]) => {
    newRs = scale(d, newRs, newReplicaSetTarget(d, newRs, [newRs, ...old]));
    let budget = oldScaleDownBudget(d, newRs, [newRs, ...old]);
    for (const rs of [...old].sort((a, b) => created(a) - created(b))) {
      const current = rs.spec?.replicas ?? 0;
      const down = Math.min(current, budget);
      if (down > 0) scale(d, rs, current - down);
      else if (current === 0) scale(d, rs, 0);
      budget -= down;
    }
  };

  const recreate = (d: V1Deployment, newRs: V1ReplicaSet, old: V1ReplicaSet[]) => {
    for (const rs of old) scale(d, rs, 0);
    const oldPods = old.some((rs) => (rs.status?.replicas ?? 0) > 0 || (rs.status as { terminatingReplicas?: number })?.terminatingReplicas);
    if (!oldPods) scale(d, newRs, d.spec?.replicas ?? 0);
  };

  const cleanup = (d: V1Deployment, old: V1ReplicaSet[]) => {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = old.filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata?.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) ignoreStale(() => store.delete(RS, rs.metadata!.namespace, rs.metadata!.name!));
  };

  const writeStatus = (current: StoredObject, d: V1Deployment, newRs: V1ReplicaSet | undefined, all: V1ReplicaSet[]) => {
    const status = deploymentStatus(d, newRs, all, timeField(ctx.clock.now()));
    const annotations = newRs ? { ...current.metadata.annotations, [REVISION]: newRs.metadata?.annotations?.[REVISION] ?? "1" } : current.metadata.annotations;
    let base = current;
    if (canonicalJson(annotations ?? {}) !== canonicalJson(current.metadata.annotations ?? {})) base = ignoreStale(() => store.update(DEPLOYMENTS, { ...current, metadata: { ...current.metadata, annotations } })) ?? current;
    writeStatusIfChanged(ctx, DEPLOYMENTS, base, status, stripTimes);
  };

  return runController(ctx, {
    name: "deployment-controller",
    watches: [
      { resource: DEPLOYMENTS, keys: (obj) => [objectKey(obj)] },
      { resource: RS, keys: (obj) => ownerKeys(obj, "Deployment") },
      { resource: "pods", keys: (obj) => deploymentOfPod(obj) },
    ],
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const current = store.tryGet(DEPLOYMENTS, namespace, name);
      if (!current) return;
      const d = current;
      const all = ownedReplicaSets(d);
      if (d.metadata?.deletionTimestamp || d.spec?.paused) return writeStatus(current, d, all.find((rs) => withoutHash(rs.spec?.template) === withoutHash(d.spec?.template)), all);
      const stale = all.filter((rs) => withoutHash(rs.spec?.template) !== withoutHash(d.spec?.template));
      const newRs = newReplicaSet(d, all, stale);
      const old = all.filter((rs) => rs.metadata?.uid !== newRs.metadata?.uid);
      if (d.spec?.strategy?.type === "Recreate") recreate(d, newRs, old);
      else rollingUpdate(d, newRs, old);
      cleanup(d, old);
      const fresh = ownedReplicaSets(d);
      writeStatus(current, d, fresh.find((rs) => rs.metadata?.uid === newRs.metadata?.uid), fresh);
    },
  });

  function deploymentOfPod(pod: V1Pod): string[] {
    const rsRef = pod.metadata?.ownerReferences?.find((r) => r.controller && r.kind === "ReplicaSet");
    const rs = rsRef ? store.tryGet(RS, pod.metadata?.namespace, rsRef.name) : undefined;
    return rs ? ownerKeys(rs, "Deployment") : [];
  }
}

const asOwner = (d: V1Deployment) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: d.metadata! });
const stripTimes = (s: V1DeploymentStatus) => ({ ...s, conditions: s.conditions?.map((c) => ({ ...c, lastUpdateTime: undefined, lastTransitionTime: undefined })) });

/** calculateStatus plus the conditions of progress.go (no progress deadline is ever exceeded here). */
export function deploymentStatus(d: V1Deployment, newRs: V1ReplicaSet | undefined, all: V1ReplicaSet[], now: Date): V1DeploymentStatus {
  const total = (of: (rs: V1ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (of(rs) ?? 0), 0);
  const replicas = d.spec?.replicas ?? 0;
  const available = total((rs) => rs.status?.availableReplicas);
  const updated = newRs?.status?.replicas ?? 0;
  const minAvailable = replicas - fenceposts(d).maxUnavailable;
  const condition = (type: string, status: string, reason: string, message: string): V1DeploymentCondition => {
    const previous = d.status?.conditions?.find((c) => c.type === type);
    const same = previous?.status === status;
    return { type, status, lastUpdateTime: same && previous?.reason === reason ? previous.lastUpdateTime : now, lastTransitionTime: same ? previous.lastTransitionTime : now, reason, message };
  };
  const availableCondition = available >= minAvailable ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.") : condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
  const rsName = newRs?.metadata?.name ?? "";
  const complete = newRs && updated === replicas && total((rs) => rs.status?.replicas) === updated && available >= updated;
  const progressing = complete
    ? condition("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`)
    : condition("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`);
  return {
    observedGeneration: d.metadata?.generation,
    replicas: total((rs) => rs.status?.replicas),
    updatedReplicas: updated,
    readyReplicas: total((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(replicas - available, 0),
    conditions: [availableCondition, progressing],
    ...(d.status?.collisionCount ? { collisionCount: d.status.collisionCount } : {}),
  };
}
