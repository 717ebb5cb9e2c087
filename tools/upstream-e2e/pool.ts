/** Maps every item with at most `width` calls running at once; results keep the items' order. */
export async function inPool<T, R>(items: readonly T[], width: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/**
 * As inPool, but the items `alone` picks run one at a time after all the others, with nothing
 * beside them: upstream's parallel Ginkgo runs `[Serial]` specs that way, since they change what
 * every spec shares (nodes, the cluster's volumes). Results keep the items' order.
 */
export async function inPoolSerialLast<T, R>(items: readonly T[], width: number, alone: (item: T) => boolean, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const indexes = items.map((_, i) => i);
  const shared = indexes.filter((i) => !alone(items[i]));
  const serial = indexes.filter((i) => alone(items[i]));
  const results: R[] = new Array(items.length);
  await inPool(shared, width, async (i) => (results[i] = await run(items[i], i)));
  await inPool(serial, 1, async (i) => (results[i] = await run(items[i], i)));
  return results;
}
