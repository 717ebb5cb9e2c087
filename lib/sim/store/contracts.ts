import type { KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";
import type { FieldSelector, LabelSelector } from "./selectors";

/** The store's public shapes: what it holds, how it is asked, and the rules a resource gives it. */

/** Any stored object: apiVersion/kind/metadata plus whatever its spec and status hold. */
export type StoredObject = KubernetesObject & { metadata: V1ObjectMeta; [field: string]: unknown };

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One committed change. `previous` lets a filtered watch turn "no longer matches" into DELETED. */
export interface ChangeEvent {
  resource: string; // store key, see resourceKey()
  type: WatchEventType;
  object: StoredObject;
  previous?: StoredObject;
  resourceVersion: number;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string | LabelSelector;
  fieldSelector?: string | FieldSelector;
}

export interface WatchOptions extends ListOptions {
  /** Start after this resourceVersion; "" or "0" or undefined means "from now" (the caller lists first). */
  resourceVersion?: string;
  /** Deliver the store's own copy (read-only watchers, the informers): one clone per change, not per watcher. */
  shared?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * Per-resource rules the store applies, mirroring the API server's registry strategies.
 * `gracePeriod` decides graceful deletion (pods): undefined or 0 means delete at once.
 */
export interface Strategy<T extends StoredObject = StoredObject> {
  /** Fields whose change bumps metadata.generation (defaults to ["spec"]). */
  generationFields?: string[];
  gracePeriod?(obj: T, requested: number | undefined): number;
  /** Called before create/update is committed; throw a StatusError (Invalid) to refuse. */
  validate?(obj: T, old: T | undefined): void;
  /** Fills defaults on create (like the API server's defaulting). */
  defaults?(obj: T): void;
  /** Validating admission of a create, after validate (resource quota). */
  admit?(obj: T): void;
}

export interface StoreSnapshot {
  resourceVersion: number;
  objects: Record<string, StoredObject[]>;
}

