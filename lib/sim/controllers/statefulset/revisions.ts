import type { V1ControllerRevision, V1Pod, V1PodTemplateSpec, V1StatefulSet } from "@kubernetes/client-node";
import type { SimContext } from "../../context";
import { StatusError } from "../../store/errors";
import { fromLabelSelector, matchesLabels } from "../../store/selectors";
import { getPodRevision, setControllerRef } from "./identity";
import { deepCopy } from "../../store/copy";

/**
 * ControllerRevisions of a StatefulSet, as pkg/controller/history and stateful_set_control.go keep
 * them: one revision per distinct pod template, named `<set>-<hash>`, numbered in order of use.
 */

const HASH_LABEL = "controller.kubernetes.io/hash";
const RESOURCE = "controllerrevisions.apps";

/** JSON with sorted keys, as Go's json.Marshal writes a map: the bytes the hash is taken over. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1 32-bit (Go's fnv.New32) over UTF-8 bytes. */
function fnv32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h;
}

/** rand.SafeEncodeString: maps each character onto consonants and digits (no vowels, no words). */
function safeEncode(s: string): string {
  const alphanums = "bcdfghjklmnpqrstvwxz2456789";
  return [...s].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join("");
}

/** history.HashControllerRevision: FNV over the data, then the collision count. */
export function hashRevision(data: unknown, collisionCount: number): string {
  const enc = new TextEncoder();
  const h = fnv32(enc.encode(String(collisionCount)), fnv32(enc.encode(stableStringify(data))));
  return safeEncode(String(h));
}

/** What a revision stores: the pod template, to be re-applied with a "replace" patch. */
export function revisionData(set: V1StatefulSet): unknown {
  return { spec: { template: { ...deepCopy(set.spec!.template), $patch: "replace" } } };
}

/** ApplyRevision: the set with the revision's pod template. */
export function applyRevision(set: V1StatefulSet, revision: V1ControllerRevision): V1StatefulSet {
  const clone = deepCopy(set);
  const template = deepCopy((revision.data as { spec: { template: Record<string, unknown> } }).spec.template);
  delete template.$patch;
  clone.spec!.template = template as V1PodTemplateSpec;
  return clone;
}

export function equalRevision(a: V1ControllerRevision, b: V1ControllerRevision): boolean {
  return stableStringify(a.data) === stableStringify(b.data);
}

function sortRevisions(revisions: V1ControllerRevision[]): V1ControllerRevision[] {
  return revisions.sort(
    (a, b) =>
      a.revision - b.revision ||
      String(a.metadata?.creationTimestamp ?? "").localeCompare(String(b.metadata?.creationTimestamp ?? "")) ||
      (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
}

/** The set's revisions, oldest first; orphaned revisions that match its selector are adopted. */
export function listRevisions(ctx: SimContext, set: V1StatefulSet): V1ControllerRevision[] {
  const selector = fromLabelSelector(set.spec?.selector);
  const uid = set.metadata!.uid;
  const owned: V1ControllerRevision[] = [];
  for (const obj of ctx.store.list(RESOURCE, { namespace: set.metadata!.namespace }).items) {
    const rev = obj;
    if (!matchesLabels(selector, rev.metadata?.labels)) continue;
    const controller = rev.metadata?.ownerReferences?.find((r) => r.controller);
    if (controller?.uid === uid) owned.push(rev);
    else if (!controller && !rev.metadata?.deletionTimestamp && !set.metadata?.deletionTimestamp) {
      const refs = [...(rev.metadata?.ownerReferences ?? []), setControllerRef(set)];
      owned.push(ctx.store.update(RESOURCE, { ...obj, metadata: { ...obj.metadata, ownerReferences: refs } }));
    }
  }
  return sortRevisions(owned);
}

/** history.CreateControllerRevision: on a name collision with different data, bump the count and retry. */
function createRevision(ctx: SimContext, set: V1StatefulSet, revision: number, collision: { count: number }): V1ControllerRevision {
  const data = revisionData(set);
  for (;;) {
    const hash = hashRevision(data, collision.count);
    const cr: V1ControllerRevision = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: `${set.metadata!.name}-${hash}`,
        namespace: set.metadata!.namespace,
        labels: { ...(set.spec!.template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
        ...(set.metadata?.annotations ? { annotations: { ...set.metadata.annotations } } : {}),
        ownerReferences: [setControllerRef(set)],
      },
      data,
      revision,
    };
    try {
      return ctx.store.create(RESOURCE, cr);
    } catch (err) {
      if (!(err instanceof StatusError) || err.reason !== "AlreadyExists") throw err;
      const existing = ctx.store.get(RESOURCE, cr.metadata!.namespace, cr.metadata!.name!);
      if (equalRevision(existing, cr)) return existing;
      collision.count++;
    }
  }
}

export interface Revisions {
  current: V1ControllerRevision;
  update: V1ControllerRevision;
  collisionCount: number;
}

/**
 * getStatefulSetRevisions: the update revision is the set's present template (an equal older
 * revision is re-numbered, i.e. a rollback); the current one is status.currentRevision, or the update
 * revision when the history is new.
 */
export function getStatefulSetRevisions(ctx: SimContext, set: V1StatefulSet, revisions: V1ControllerRevision[]): Revisions {
  const collision = { count: set.status?.collisionCount ?? 0 };
  const next = revisions.length ? revisions[revisions.length - 1].revision + 1 : 1;
  const probe = { metadata: {}, data: revisionData(set), revision: next } as V1ControllerRevision;
  const equal = revisions.filter((r) => equalRevision(r, probe));
  let update: V1ControllerRevision;
  if (equal.length && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
    update = revisions[revisions.length - 1];
  } else if (equal.length) {
    const stored = ctx.store.get(RESOURCE, set.metadata!.namespace, equal[equal.length - 1].metadata!.name!);
    update = ctx.store.update(RESOURCE, { ...stored, revision: next });
  } else {
    update = createRevision(ctx, set, next, collision);
  }
  const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount: collision.count };
}

/** Deletes the oldest revisions no pod uses beyond spec.revisionHistoryLimit. */
export function truncateHistory(ctx: SimContext, set: V1StatefulSet, pods: V1Pod[], revisions: V1ControllerRevision[], live: Revisions | undefined): void {
  const inUse = new Set(pods.map(getPodRevision));
  if (live) inUse.add(live.current.metadata!.name!).add(live.update.metadata!.name!);
  const history = revisions.filter((r) => !inUse.has(r.metadata!.name!));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    ctx.store.delete(RESOURCE, r.metadata!.namespace, r.metadata!.name!);
  }
}
