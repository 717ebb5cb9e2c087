import type { SimContext } from "../../context";
import type { StoredObject, WatchEventType } from "../../store/store";
import type { ResourceKey, Stored } from "../../store/types";
import { WorkQueue } from "./workqueue";
import { simLog } from "../../log";

/** What a controller watches and how a change maps to the keys it reconciles, for one resource. */
interface WatchOf<R extends string> {
  resource: R; // store key: "pods", "statefulsets.apps", ...
  /** Keys to enqueue for this object (e.g. a pod maps to its owning StatefulSet's key). Read `obj`, never modify it. */
  keys(obj: Readonly<Stored<R>>, type: WatchEventType): string[];
}

/** A watch of any resource: the resource key types the object `keys` gets (`{ resource: "pods", keys: (pod) => … }`). */
export type WatchSpec = { [R in ResourceKey]: WatchOf<R> }[ResourceKey];

/**
 * A watch of a resource chosen at run time (the garbage collector and resource quota watch a list
 * of them): its `keys` reads any stored object, which every resource's object is.
 */
export function watchAny(resource: string, keys: (obj: Readonly<StoredObject>, type: WatchEventType) => string[]): WatchSpec {
  return { resource, keys } as WatchSpec;
}

export interface ControllerSpec {
  name: string;
  watches: WatchSpec[];
  /**
   * Brings the world closer to the desired state for one key. Return `{ requeueAfter }` (ms,
   * already scaled by the caller when needed) to look again later; throw to retry with back-off.
   */
  reconcile(key: string): void | { requeueAfter?: number };
  /** Re-enqueue every key of the first watched resource this often (ms), as informers resync. */
  resyncMs?: number;
}

export interface RunningController {
  name: string;
  queue: WorkQueue;
  stop(): void;
}

/**
 * Runs a reconcile loop: every watched change enqueues keys, the queue de-duplicates them, and
 * reconcile runs once per key. Existing objects are enqueued at start (the informer's initial list).
 */
export function runController(ctx: SimContext, spec: ControllerSpec): RunningController {
  const queue = new WorkQueue(
    ctx.clock,
    (key) => {
      const result = spec.reconcile(key);
      queue.forget(key);
      if (result && result.requeueAfter !== undefined) queue.addAfter(key, Math.max(1, result.requeueAfter));
    },
    (key, err) => {
      simLog.error(spec.name, `reconcile ${key} failed (retrying with back-off)`, err);
    },
  );
  // The loop only hands each watch's own objects back to it; `keys` of any resource takes a stored object.
  const watches: WatchOf<string>[] = spec.watches;
  const unsubscribers = watches.map((w) => {
    for (const obj of ctx.store.view(w.resource)) for (const k of w.keys(obj, "ADDED")) queue.add(k);
    // Informers read: the watch hands them the store's copy (keys() must not modify it).
    return ctx.store.watch(w.resource, { shared: true }, (type, obj) => {
      for (const k of w.keys(obj, type)) queue.add(k);
    });
  });
  let resyncHandle: unknown;
  const resync = () => {
    const first = watches[0];
    if (first) for (const obj of ctx.store.view(first.resource)) for (const k of first.keys(obj, "MODIFIED")) queue.add(k);
    resyncHandle = ctx.clock.setTimeout(resync, spec.resyncMs!);
  };
  if (spec.resyncMs) resyncHandle = ctx.clock.setTimeout(resync, spec.resyncMs);
  return {
    name: spec.name,
    queue,
    stop() {
      unsubscribers.forEach((u) => u());
      if (resyncHandle !== undefined) ctx.clock.clearTimeout(resyncHandle);
      queue.stop();
    },
  };
}
