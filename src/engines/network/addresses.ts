/**
 * kubepath address ranges
 * =======================
 *
 * IPv4 blocks as inclusive [first, last] integer ranges, ipBlock `cidr` minus
 * `except`, and the cut of the whole address space into atoms at every block
 * boundary, so that each atom is either wholly inside or wholly outside every block.
 * IPv6 blocks are recognised and kept apart: they never contain an IPv4 atom.
 */
export type AddressRange = readonly [number, number];

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
export const ALL_ADDRESSES: AddressRange = [0, 2 ** 32 - 1];

/** The range of an IPv4 CIDR; null for an IPv6 one; throws on text that is neither. */
export function parseCidr(cidr: string): AddressRange | null {
  const match = IPV4.exec(cidr.trim());
  if (!match) {
    if (cidr.includes(':') && /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(cidr.trim())) return null;
    throw new Error(`not a CIDR: ${JSON.stringify(cidr)}`);
  }
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) throw new Error(`not a CIDR: ${JSON.stringify(cidr)}`);
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return [first, first + size - 1];
}

/** An ipBlock: its cidr less its excepts, as sorted disjoint ranges. */
export function blockRanges(cidr: string, except: readonly string[] = []): AddressRange[] {
  const whole = parseCidr(cidr);
  if (!whole) return [];
  let ranges: AddressRange[] = [whole];
  for (const [i, hole] of except.map(parseCidr).entries()) {
    if (!hole) continue;
    if (hole[0] < whole[0] || hole[1] > whole[1])
      throw new Error(`except ${JSON.stringify(except[i])} is not inside cidr ${JSON.stringify(cidr)}`);
    ranges = ranges.flatMap(([first, last]): AddressRange[] => {
      if (hole[1] < first || hole[0] > last) return [[first, last]];
      const pieces: AddressRange[] = [];
      if (hole[0] > first) pieces.push([first, hole[0] - 1]);
      if (hole[1] < last) pieces.push([hole[1] + 1, last]);
      return pieces;
    });
  }
  return ranges;
}

/** Sorted ranges with overlapping and touching ones joined: 2,000 node addresses in a row are one range. */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const merged: Array<[number, number]> = [];
  for (const [first, last] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** The address space cut at every boundary of the given ranges. */
export function addressAtoms(blocks: ReadonlyArray<readonly AddressRange[]>): AddressRange[] {
  const cuts = new Set<number>([ALL_ADDRESSES[0], ALL_ADDRESSES[1] + 1]);
  for (const ranges of blocks) {
    for (const [first, last] of ranges) {
      cuts.add(first);
      cuts.add(last + 1);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  return points.slice(0, -1).map((first, i): AddressRange => [first, points[i + 1]! - 1]);
}

/** An IPv4 address as a number; undefined for anything else (IPv6, empty, malformed). */
export function parseIPv4(text: string | null | undefined): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text ?? '');
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.some((o) => o > 255) ? undefined : octets.reduce((value, octet) => value * 256 + octet, 0);
}

function dotted(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** `a.b.c.d-e.f.g.h`, as netpol-analyzer prints external peers. */
export function formatAtom([first, last]: AddressRange): string {
  return `${dotted(first)}-${dotted(last)}`;
}
