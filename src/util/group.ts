/**
 * Appends a value to the list a map holds under a key, starting it when absent. The list
 * grows in place: copying it on every append is quadratic (20,000 pods of one namespace
 * took 43 s to group that way).
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Items by a key, each group in the items' order, groups in the order their keys first come. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) pushTo(groups, key(item), item);
  return groups;
}

/**
 * Items in runs of at most `size`, in order; with `weight`, also of at most `maxWeight`
 * in total (an item heavier than that alone is a run of its own).
 */
export function chunks<T>(items: readonly T[], size: number, weight?: (item: T) => number, maxWeight = Infinity): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let total = 0;
  for (const item of items) {
    const heft = weight ? weight(item) : 0;
    if (batch.length > 0 && (batch.length >= size || total + heft > maxWeight)) {
      batches.push(batch);
      batch = [];
      total = 0;
    }
    batch.push(item);
    total += heft;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
