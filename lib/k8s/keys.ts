/**
 * How objects are keyed in every cache of the project (the browser's snapshot, the dashboard's
 * hub, the embedded cluster's store and controllers): client-go's cache.MetaNamespaceKeyFunc,
 * "namespace/name", or "name" alone for a cluster-scoped object.
 */

export function namespacedKey(namespace: string | undefined, name: string | undefined): string {
  return namespace ? `${namespace}/${name ?? ""}` : (name ?? "");
}

export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return namespacedKey(obj.metadata?.namespace, obj.metadata?.name);
}

/** cache.SplitMetaNamespaceKey: the inverse of objectKey. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
