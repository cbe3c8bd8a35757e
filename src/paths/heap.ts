/**
 * kubepath min-heap
 * =================
 *
 * A binary min-heap of items by a numeric priority, ties kept in insertion order, so
 * a search that pushes in sorted order pops in a deterministic one.
 */
export class MinHeap<T> {
  private readonly items: Array<{priority: number; order: number; item: T}> = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  push(priority: number, item: T): void {
    const entry = {priority, order: this.pushed++, item};
    const items = this.items;
    let i = items.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(entry, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = entry;
  }

  /** The item with the lowest priority (first pushed among equals), or undefined when empty. */
  pop(): {priority: number; item: T} | undefined {
    const items = this.items;
    const top = items[0];
    if (!top) return undefined;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && this.before(items[right]!, items[left]!) ? right : left;
        if (!this.before(items[child]!, last)) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return {priority: top.priority, item: top.item};
  }

  private before(a: {priority: number; order: number}, b: {priority: number; order: number}): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.order < b.order);
  }
}
