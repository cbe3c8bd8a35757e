/**
 * kubepath class sets
 * ===================
 *
 * Sets of network classes (small integers `0..size-1`) as bitsets: one bit per class,
 * 32 to a word, so that "every class this rule admits, AND every class that policy
 * selects" costs size/32 word operations instead of one test per pod pair.
 */
export class ClassSet {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`class set size must be a non-negative integer, not ${size}`);
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  static of(size: number, members: Iterable<number>): ClassSet {
    const set = new ClassSet(size);
    for (const member of members) set.add(member);
    return set;
  }

  static all(size: number): ClassSet {
    const set = new ClassSet(size);
    set.addRange(0, size);
    return set;
  }

  add(member: number): void {
    this.words[member >>> 5]! |= 1 << (member & 31);
  }

  /** Adds members first..end-1. */
  addRange(first: number, end: number): void {
    for (let member = first; member < end; member++) {
      if ((member & 31) === 0 && member + 32 <= end) {
        this.words[member >>> 5] = 0xffffffff;
        member += 31;
      } else this.add(member);
    }
  }

  has(member: number): boolean {
    return (this.words[member >>> 5]! & (1 << (member & 31))) !== 0;
  }

  /** this |= a & b */
  unionWithIntersection(a: ClassSet, b: ClassSet): void {
    const words = this.words;
    for (let i = 0; i < words.length; i++) words[i]! |= a.words[i]! & b.words[i]!;
  }

  intersects(other: ClassSet): boolean {
    for (let i = 0; i < this.words.length; i++) if ((this.words[i]! & other.words[i]!) !== 0) return true;
    return false;
  }

  isEmpty(): boolean {
    for (const word of this.words) if (word !== 0) return false;
    return true;
  }

  count(): number {
    let total = 0;
    for (let word of this.words) {
      word -= (word >>> 1) & 0x55555555;
      word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
      total += (((word + (word >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }

  /** Members in increasing order. */
  *members(): IterableIterator<number> {
    for (let i = 0; i < this.words.length; i++) {
      let word = this.words[i]!;
      while (word !== 0) {
        const low = word & -word;
        yield i * 32 + (31 - Math.clz32(low));
        word ^= low;
      }
    }
  }
}
