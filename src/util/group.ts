/** Items by a key, each group in the items' order, groups in the order their keys first come. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
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
