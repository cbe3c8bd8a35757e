/**
 * kubepath generator randomness
 * =============================
 *
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the random-looking
 * strings Kubernetes itself makes: UIDs, pod-name suffixes, template hashes. The
 * generator never reads Math.random or the clock, so one seed gives one cluster.
 */

/** The alphabet of Kubernetes' utilrand.String: no vowels, no look-alike 0/1/3. */
const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * `stream` picks an independent sequence for the same seed, so each part of the
   * generator can draw without shifting what the other parts draw.
   */
  constructor(seed: number, stream = 0) {
    // Safe integers beyond 32 bits still change the state: fold the high word in.
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    let state = (low ^ Math.imul(high, 0x85ebca6b) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // sfc32's first outputs are weakly mixed; the reference implementation discards them.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: no items to pick from');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.float() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A standard normal variate (Box-Muller). */
  gaussian(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) would be -Infinity
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  chars(alphabet: string, length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(this.float() * alphabet.length)];
    return text;
  }

  /** A pod-name suffix as the API server's generateName makes it (`-x7k2p`). */
  suffix(length = 5): string {
    return this.chars(KUBE_ALPHABET, length);
  }

  /** A pod-template-hash or controller-revision-hash: 8 to 10 characters. */
  templateHash(): string {
    return this.chars(KUBE_ALPHABET, this.int(8, 10));
  }

  hex(length: number): string {
    return this.chars(HEX, length);
  }

  /** A version-4 UUID, the shape of metadata.uid. */
  uuid(): string {
    const variant = HEX[8 + this.int(0, 3)]!;
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** A new generator seeded from this one: for a part whose draws must not disturb the rest. */
  fork(stream = 0): Random {
    return new Random(this.uint32(), stream);
  }
}
