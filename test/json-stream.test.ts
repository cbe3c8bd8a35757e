/**
 * The streaming JSON writer every JSON output goes through: the bytes of
 * `JSON.stringify(value, null, 2)` and a newline, in chunks; lazy arrays written while
 * their items are made; DEL, C1 and invisible characters escaped to the same value.
 */
import {describe, expect, it} from 'vitest';
import {CHUNK_CHARACTERS} from '../src/output/chunks.js';
import {inertJson, jsonChunks, jsonItems, lazyArray} from '../src/output/json-stream.js';

const text = (value: unknown): string => [...jsonChunks(value)].join('');
const range = <T>(n: number, item: (i: number) => T): T[] => Array.from({length: n}, (_, i) => item(i));

describe('jsonChunks', () => {
  it("gives JSON.stringify's bytes for every kind of value", () => {
    const values: unknown[] = [
      1,
      'a',
      null,
      true,
      [],
      {},
      [[]],
      {a: [], b: {}},
      {a: undefined, b: () => 1, c: Symbol('c'), d: 1},
      [undefined, () => 1, Symbol('x'), null],
      {date: new Date(0), nan: NaN, infinite: -Infinity, zero: -0},
      [new Number(3), new String('x'), new Boolean(false)],
      {toJSON: () => ({replaced: true})},
      {a: {toJSON: (key: string) => `key ${key}`}},
      [{toJSON: (key: string) => `index ${key}`}],
      Object.create(null) as object,
      new Map([[1, 2]]),
      {'quote"key': 'line\nbreak\u0000\u001f', emoji: '😀', cjk: '漢字'},
      // Larger than what JSON.stringify writes whole: entry by entry, in runs.
      range(1000, (i) => (i % 3 === 0 ? {i, nested: range(i % 300, (j) => [j, {j}])} : i % 3 === 1 ? `s${i}` : undefined)),
      {
        a: range(600, (i) => ({i, f: i % 7 === 0 ? () => 1 : 'y', d: new Date(i)})),
        b: {c: {d: range(257, (i) => [i])}},
        e: range(513, () => ({})),
      },
      range(3, () => range(300, (i) => ({i, deeper: {list: range(300, (j) => j)}}))),
    ];
    for (const value of values) expect(text(value)).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('writes a lazy array as the array of its items, wherever it is', () => {
    const items = range(2000, (i) => ({src: `a/${i}[Pod]`, dst: `b/${i}[Pod]`, conn: i % 5 ? 'TCP 80' : {deep: range(i % 400, (j) => j)}}));
    expect(text(lazyArray(items))).toBe(`${JSON.stringify(items, null, 2)}\n`);
    expect(text({top: 1, lines: lazyArray(items), empty: lazyArray([])})).toBe(
      `${JSON.stringify({top: 1, lines: items, empty: []}, null, 2)}\n`,
    );
    expect(text([lazyArray(items.slice(0, 10)), lazyArray([])])).toBe(`${JSON.stringify([items.slice(0, 10), []], null, 2)}\n`);
  });

  it('yields its first chunk long before a long lazy array ends, and never a chunk much longer than the chunk size', () => {
    let made = 0;
    const lines = function* () {
      for (let i = 0; i < 1_000_000; i++) {
        made++;
        yield {src: `ns/source-${i}[Deployment]`, dst: `ns/destination-${i}[Deployment]`, conn: 'TCP 80,TCP 443'};
      }
    };
    const chunks = jsonChunks(lazyArray(lines()));
    const first = chunks.next();
    expect(first.done).toBe(false);
    expect(made).toBeLessThan(10_000);
    let longest = first.value!.length;
    for (const chunk of chunks) longest = Math.max(longest, chunk.length);
    expect(made).toBe(1_000_000);
    expect(longest).toBeLessThan(2 * CHUNK_CHARACTERS);
  });

  it('escapes DEL, C1, bidi and invisible characters as \\uXXXX: the same value, nothing a terminal acts on', () => {
    const hostile = {
      '\u202ekey': ['\u007f\u0085\u009b31m', '\u2066x\u2069\u200f\u061c', '\u200b\ufeff\u2028\u2029\u{e0041}', '\u001b]8;;x\u001b\\'],
    };
    const written = text(hostile);
    expect(written).not.toMatch(/(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    expect(written).toContain('"\\u202ekey"');
    expect(written).toContain('\\udb40\\udc41');
    expect(JSON.parse(written)).toEqual(hostile);
    expect(JSON.parse(inertJson(hostile))).toEqual(hostile);
    expect(inertJson(hostile)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('refuses a circular value, as JSON.stringify does', () => {
    const loop: Record<string, unknown> = {list: range(300, (i) => i)};
    (loop.list as unknown[]).push(loop);
    expect(() => text(loop)).toThrow(TypeError);
  });
});

describe('jsonItems', () => {
  it('writes one compact item per line, escaped', () => {
    expect(['[', ...jsonItems([{a: 1}, 'b\u202e', [2]]), '\n]'].join('')).toBe('[\n{"a":1},\n"b\\u202e",\n[2]\n]');
  });
});
