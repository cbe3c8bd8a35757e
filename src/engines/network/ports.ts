/**
 * kubepath port sets
 * ==================
 *
 * Sets of connections as sorted, disjoint, inclusive port ranges per protocol (TCP,
 * UDP, SCTP: the three that NetworkPolicy defines). Immutable values; every
 * operation returns a new set. `format` prints netpol-analyzer's CONN text.
 */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive [first, last] ranges, sorted and never touching. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

export class PortSet {
  static readonly NONE = new PortSet({TCP: [], UDP: [], SCTP: []});
  static readonly ALL = new PortSet({TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]], SCTP: [[MIN_PORT, MAX_PORT]]});

  private constructor(readonly ranges: Readonly<Record<Protocol, Ranges>>) {}

  /** Ports first..last of one protocol; an empty or inverted range gives the empty set. */
  static range(protocol: Protocol, first: number, last: number = first): PortSet {
    const from = Math.max(first, MIN_PORT);
    const to = Math.min(last, MAX_PORT);
    if (from > to) return PortSet.NONE;
    return new PortSet({...PortSet.NONE.ranges, [protocol]: [[from, to]]});
  }

  static protocol(protocol: Protocol): PortSet {
    return PortSet.range(protocol, MIN_PORT, MAX_PORT);
  }

  isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.ranges[p].length === 0);
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const r = this.ranges[p];
      return r.length === 1 && r[0]![0] === MIN_PORT && r[0]![1] === MAX_PORT;
    });
  }

  equals(other: PortSet): boolean {
    return PROTOCOLS.every((p) => {
      const a = this.ranges[p];
      const b = other.ranges[p];
      return a.length === b.length && a.every((r, i) => r[0] === b[i]![0] && r[1] === b[i]![1]);
    });
  }

  union(other: PortSet): PortSet {
    if (other.isEmpty() || this.isAll()) return this;
    if (this.isEmpty() || other.isAll()) return other;
    return this.combine(other, (a, b) => a || b);
  }

  intersect(other: PortSet): PortSet {
    if (this.isEmpty() || other.isAll()) return this;
    if (other.isEmpty() || this.isAll()) return other;
    return this.combine(other, (a, b) => a && b);
  }

  subtract(other: PortSet): PortSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    return this.combine(other, (a, b) => a && !b);
  }

  /** Sweeps the boundaries of both sets and keeps the stretches where `keep` holds. */
  private combine(other: PortSet, keep: (inThis: boolean, inOther: boolean) => boolean): PortSet {
    const result = {} as Record<Protocol, Ranges>;
    for (const protocol of PROTOCOLS) {
      const cuts = new Set<number>([MIN_PORT, MAX_PORT + 1]);
      for (const [first, last] of [...this.ranges[protocol], ...other.ranges[protocol]]) {
        cuts.add(first);
        cuts.add(last + 1);
      }
      const points = [...cuts].sort((a, b) => a - b);
      const ranges: Array<[number, number]> = [];
      for (let i = 0; i + 1 < points.length; i++) {
        const first = points[i]!;
        const last = points[i + 1]! - 1;
        if (!keep(contains(this.ranges[protocol], first), contains(other.ranges[protocol], first))) continue;
        const previous = ranges[ranges.length - 1];
        if (previous && previous[1] + 1 === first) previous[1] = last;
        else ranges.push([first, last]);
      }
      result[protocol] = ranges;
    }
    return new PortSet(result);
  }

  /**
   * netpol-analyzer's CONN text: `All Connections` when all three protocols are fully
   * open, else `PROTO ranges` items (ranges `a-b` or `a`, joined by `,`), sorted as strings.
   */
  format(): string {
    if (this.isAll()) return 'All Connections';
    return PROTOCOLS.filter((p) => this.ranges[p].length > 0)
      .map((p) => `${p} ${this.ranges[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
      .sort()
      .join(',');
  }
}

function contains(ranges: Ranges, port: number): boolean {
  for (const [first, last] of ranges) {
    if (port < first) return false;
    if (port <= last) return true;
  }
  return false;
}
