/**
 * kubepath min-heap
 * =================
 *
 * A binary min-heap of items by a numeric priority, then a tie-breaker, then insertion
 * order, so a search that pushes in sorted order pops in a deterministic one.
 */
export class MinHeap<T> {
  private readonly items: Array<Entry<T>> = [];
  private pushed = 0;

  get size(): number {
    return this.items.length;
  }

  push(priority: number, item: T, tie = 0): void {
    const entry = {priority, tie, order: this.pushed++, item};
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

  /** The item with the lowest priority (then the lowest tie, then first pushed), or undefined when empty. */
  pop(): Entry<T> | undefined {
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
    return top;
  }

  private before(a: Entry<T>, b: Entry<T>): boolean {
    return a.priority < b.priority || (a.priority === b.priority && (a.tie < b.tie || (a.tie === b.tie && a.order < b.order)));
  }
}

interface Entry<T> {
  priority: number;
  tie: number;
  order: number;
  item: T;
}
