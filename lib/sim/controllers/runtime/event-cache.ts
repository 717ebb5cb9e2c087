import type { Store } from "../../store/store";

/**
 * client-go's EventCorrelator keeps the events it recorded in an LRU cache keyed by the
 * aggregation key (involved object, reason, message, source, type), so aggregating a repeat costs
 * one lookup rather than a list of every Event. The same here, one cache per store (the
 * recorders of all components share it, as they share the store). Size as client-go's
 * maxLruCacheEntries.
 */
const MAX_ENTRIES = 4096;
const caches = new WeakMap<Store, Map<string, string>>();

function cacheOf(store: Store): Map<string, string> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  return cache;
}

/** The name of the Event recorded under `key`, if it is still cached (most recently used last). */
export function cachedEventName(store: Store, key: string): string | undefined {
  const cache = cacheOf(store);
  const name = cache.get(key);
  if (name !== undefined) {
    cache.delete(key);
    cache.set(key, name);
  }
  return name;
}

export function rememberEvent(store: Store, key: string, name: string): void {
  const cache = cacheOf(store);
  cache.delete(key);
  cache.set(key, name);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}
