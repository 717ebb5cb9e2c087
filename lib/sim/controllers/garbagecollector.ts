import type { V1OwnerReference } from "@kubernetes/client-node";
import type { SimContext } from "../context";
import { StatusError } from "../store/errors";
import { findResourceByKind, RESOURCES, resourceKey } from "../store/resources";
import type { DeleteOptions, StoredObject } from "../store/store";
import { type RunningController, runController, watchAny } from "./runtime/controller";

/**
 * The garbage collector (pkg/controller/garbagecollector), as a reconcile loop over every kind:
 * - background: an object whose owners are all gone is deleted. Owners are identified by uid, so a
 *   new object that merely has the old owner's name does not keep a dependent alive;
 * - foreground: an owner with the `foregroundDeletion` finalizer has its dependents deleted, and
 *   loses the finalizer (and so is removed) once no dependent with blockOwnerDeletion remains;
 * - orphan: an owner with the `orphan` finalizer has its references stripped from its dependents,
 *   then loses the finalizer.
 */

const FOREGROUND = "foregroundDeletion";
const ORPHAN = "orphan";
/** Events never own or depend on anything; leaving them out keeps the collector cheap. */
const WATCHED = RESOURCES.filter((r) => r.resource !== "events" && r.verbs.includes("watch")).map((r) => ({ key: resourceKey(r), namespaced: r.namespaced }));

interface Ref {
  resource: string;
  namespace?: string;
  name: string;
}

const keyOf = (r: Ref) => `${r.resource}|${r.namespace ?? ""}|${r.name}`;

function parseKey(key: string): Ref {
  const [resource, namespace, ...rest] = key.split("|");
  return { resource, namespace: namespace || undefined, name: rest.join("|") };
}

function refOf(resource: string, obj: StoredObject): Ref {
  return { resource, namespace: obj.metadata.namespace, name: obj.metadata.name! };
}

/** Where an owner reference points: owners live in the dependent's namespace unless cluster-scoped. */
function ownerLocation(dependent: StoredObject, ref: V1OwnerReference): Ref | undefined {
  const type = findResourceByKind(ref.apiVersion, ref.kind);
  if (!type) return undefined;
  if (type.namespaced && !dependent.metadata.namespace) return undefined;
  return { resource: resourceKey(type), namespace: type.namespaced ? dependent.metadata.namespace : undefined, name: ref.name };
}

const hasFinalizer = (obj: StoredObject, f: string) => (obj.metadata.finalizers ?? []).includes(f);
const isDeleting = (obj: StoredObject) => !!obj.metadata.deletionTimestamp;

function ignoreGone(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StatusError) || (err.code !== 404 && err.code !== 409)) throw err;
  }
}

/** Every object that lists `owner` (by uid) among its owner references. */
/**
 * The garbage collector's dependency graph (its GraphBuilder): owner uid → dependents, kept from
 * the watches, so finding an object's dependents costs the number of dependents, not a list of
 * every object of every kind.
 */
class OwnerGraph {
  private readonly dependents = new Map<string, Map<string, { resource: string; namespace?: string; name: string }>>();
  private readonly owners = new Map<string, string[]>();
  /** Each object's owner references as last observed (uid, and `!` when it blocks the owner's deletion). */
  private readonly signatures = new Map<string, string>();

  /**
   * The object's owner references are the ones last observed: an update that changes nothing the
   * collector acts on (graph_builder's referencesDiffs finds no change, so it enqueues nothing).
   */
  sameOwners(resource: string, obj: Readonly<StoredObject>): boolean {
    return this.signatures.get(`${resource}|${obj.metadata.namespace ?? ""}/${obj.metadata.name}`) === ownerSignature(obj);
  }

  observe(resource: string, obj: Readonly<StoredObject>, type: string): void {
    const id = `${resource}|${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
    for (const uid of this.owners.get(id) ?? []) this.dependents.get(uid)?.delete(id);
    this.owners.delete(id);
    this.signatures.delete(id);
    if (type === "DELETED") return;
    this.signatures.set(id, ownerSignature(obj));
    const uids = (obj.metadata.ownerReferences ?? []).map((r) => r.uid);
    if (!uids.length) return;
    this.owners.set(id, uids);
    for (const uid of uids) {
      let set = this.dependents.get(uid);
      if (!set) this.dependents.set(uid, (set = new Map()));
      set.set(id, { resource, namespace: obj.metadata.namespace, name: obj.metadata.name! });
    }
  }

  of(ctx: SimContext, uid: string): { resource: string; obj: StoredObject }[] {
    const out: { resource: string; obj: StoredObject }[] = [];
    for (const d of this.dependents.get(uid)?.values() ?? []) {
      const obj = ctx.store.tryGet(d.resource, d.namespace, d.name);
      if (obj?.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ resource: d.resource, obj });
    }
    // The order a scan of every watched kind would give: by kind, then by key.
    const rank = (r: string) => WATCHED.findIndex((w) => w.key === r);
    return out.sort((a, b) => rank(a.resource) - rank(b.resource) || (objectKeyOf(a.obj) < objectKeyOf(b.obj) ? -1 : 1));
  }
}

function ownerSignature(obj: Readonly<StoredObject>): string {
  return (obj.metadata.ownerReferences ?? []).map((r) => `${r.uid}${r.blockOwnerDeletion ? "!" : ""}`).join(",");
}

const graphs = new WeakMap<SimContext["store"], OwnerGraph>();
const objectKeyOf = (o: StoredObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

function dependentsOf(ctx: SimContext, owner: StoredObject): { resource: string; obj: StoredObject }[] {
  const uid = owner.metadata.uid;
  const graph = graphs.get(ctx.store);
  if (graph && uid) return graph.of(ctx, uid).filter((d) => !owner.metadata.namespace || d.obj.metadata.namespace === owner.metadata.namespace);
  const out: { resource: string; obj: StoredObject }[] = [];
  for (const { key, namespaced } of WATCHED) {
    if (owner.metadata.namespace && !namespaced) continue;
    for (const obj of ctx.store.list(key, owner.metadata.namespace ? { namespace: owner.metadata.namespace } : {}).items) {
      if (obj.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ resource: key, obj });
    }
  }
  return out;
}

function removeFinalizer(ctx: SimContext, resource: string, obj: StoredObject, finalizer: string): void {
  const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  ignoreGone(() => ctx.store.update(resource, { ...obj, metadata: { ...obj.metadata, finalizers } }));
}

function removeOwnerRefs(ctx: SimContext, resource: string, obj: StoredObject, uids: Set<string>): void {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
  const metadata = { ...obj.metadata, ownerReferences: refs.length ? refs : undefined };
  if (!refs.length) delete metadata.ownerReferences;
  ignoreGone(() => ctx.store.update(resource, { ...obj, metadata }));
}

type OwnerState = "solid" | "dangling" | "waiting";

function ownerState(ctx: SimContext, dependent: StoredObject, ref: V1OwnerReference): OwnerState {
  const at = ownerLocation(dependent, ref);
  if (!at) return "solid"; // an owner we cannot resolve is left alone rather than guessed at
  const owner = ctx.store.tryGet(at.resource, at.namespace, at.name);
  if (!owner || owner.metadata.uid !== ref.uid) return "dangling";
  return isDeleting(owner) && hasFinalizer(owner, FOREGROUND) ? "waiting" : "solid";
}

/** attemptToDeleteItem: delete a dependent whose owners are gone or foreground-deleting, or drop those refs. */
function reconcileDependent(ctx: SimContext, resource: string, obj: StoredObject): void {
  const refs = obj.metadata.ownerReferences ?? [];
  if (!refs.length || isDeleting(obj)) return;
  const states = refs.map((r) => ownerState(ctx, obj, r));
  const gone = new Set(refs.filter((_, i) => states[i] !== "solid").map((r) => r.uid));
  if (!gone.size) return;
  if (states.includes("solid")) return removeOwnerRefs(ctx, resource, obj, gone);
  const opts: DeleteOptions = { preconditions: { uid: obj.metadata.uid } };
  // A dependent of a foreground-deleting owner that has dependents itself is deleted in foreground too.
  if (states.includes("waiting") && dependentsOf(ctx, obj).length) opts.propagationPolicy = "Foreground";
  ignoreGone(() => ctx.store.delete(resource, obj.metadata.namespace, obj.metadata.name!, opts));
}

/** An owner being deleted with the orphan or foreground policy. Returns true while it must wait. */
function reconcileDeletingOwner(ctx: SimContext, resource: string, obj: StoredObject): boolean {
  if (hasFinalizer(obj, ORPHAN)) {
    const uid = new Set([obj.metadata.uid!]);
    for (const d of dependentsOf(ctx, obj)) removeOwnerRefs(ctx, d.resource, d.obj, uid);
    removeFinalizer(ctx, resource, obj, ORPHAN);
    return false;
  }
  if (!hasFinalizer(obj, FOREGROUND)) return false;
  const dependents = dependentsOf(ctx, obj);
  for (const d of dependents) reconcileDependent(ctx, d.resource, d.obj);
  const blocking = dependentsOf(ctx, obj).filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion));
  if (blocking.length) return true;
  const latest = ctx.store.tryGet(resource, obj.metadata.namespace, obj.metadata.name!);
  if (latest && latest.metadata.uid === obj.metadata.uid) removeFinalizer(ctx, resource, latest, FOREGROUND);
  return false;
}

/** Keys one change concerns: the object itself, its dependents when it goes away, its owners when it changes. */
function keysFor(ctx: SimContext, resource: string, obj: StoredObject, type: string): string[] {
  const keys: string[] = [];
  const refs = obj.metadata.ownerReferences ?? [];
  if (type !== "DELETED" && (refs.length || isDeleting(obj))) keys.push(keyOf(refOf(resource, obj)));
  if (type === "DELETED" || (isDeleting(obj) && hasFinalizer(obj, FOREGROUND))) {
    for (const d of dependentsOf(ctx, obj)) keys.push(keyOf(refOf(d.resource, d.obj)));
  }
  for (const r of refs) {
    const at = ownerLocation(obj, r);
    if (at) keys.push(keyOf(at));
  }
  return keys;
}

export function startGarbageCollector(ctx: SimContext): RunningController {
  const graph = new OwnerGraph();
  graphs.set(ctx.store, graph);
  const controller = runController(ctx, {
    name: "garbage-collector",
    watches: WATCHED.map(({ key }) =>
      watchAny(key, (obj, type) => {
        // A Lease's renewal or a pod's status write leaves its owners as they were: nothing to do
        // (at speed 100, ten node Leases are renewed 100 times a second).
        const unchanged = type === "MODIFIED" && !isDeleting(obj) && graph.sameOwners(key, obj);
        const keys = unchanged ? [] : keysFor(ctx, key, obj, type);
        graph.observe(key, obj, type);
        return keys;
      }),
    ),
    reconcile(key) {
      const { resource, namespace, name } = parseKey(key);
      // Woken by every change of every owned object: look before copying.
      const seen = ctx.store.peek(resource, namespace, name);
      if (!seen || (!isDeleting(seen) && !(seen.metadata.ownerReferences ?? []).length)) return;
      const obj = ctx.store.tryGet(resource, namespace, name)!;
      if (isDeleting(obj) && reconcileDeletingOwner(ctx, resource, obj)) {
        // Also woken by its dependents' deletions; the timer covers references removed elsewhere.
        return { requeueAfter: 5_000 };
      }
      const latest = ctx.store.tryGet(resource, namespace, name);
      if (latest) reconcileDependent(ctx, resource, latest);
    },
  });
  return {
    ...controller,
    stop() {
      controller.stop();
      if (graphs.get(ctx.store) === graph) graphs.delete(ctx.store);
    },
  };
}
