/**
 * JSON of any size: values larger than a chunk are split and parsed piece by piece
 * (here with tiny chunks), with the same result as JSON.parse and errors that still
 * name their line.
 */
import {describe, expect, it} from 'vitest';
import {InputError} from '../src/snapshot/errors.js';
import {parseJsonBytes} from '../src/snapshot/json.js';

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: `web-${i}`, namespace: 'shop', labels: {'a{b': 'c]d', quote: 'say "hi", \\o/', ünï: 'çødé ✓'}},
  spec: {containers: [{name: 'c', image: 'nginx', args: ['{', '[', ',', '"']}]},
});

const list = {apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items: Array.from({length: 40}, (_, i) => pod(i))};

describe('parseJsonBytes', () => {
  it.each([32, 200, 5000, 1 << 30])('gives JSON.parse results with %i-byte chunks', (chunk) => {
    for (const text of [
      JSON.stringify(list),
      JSON.stringify(list, null, 2),
      JSON.stringify({objects: {pods: list.items, nodes: []}, version: 1}),
    ]) {
      const docs = parseJsonBytes('x.json', Buffer.from(text), chunk);
      expect(docs).toHaveLength(1);
      expect(docs[0]!.value).toEqual(JSON.parse(text));
    }
  });

  it('reads concatenated values, each with its starting line', () => {
    const text = `${JSON.stringify(pod(1), null, 2)}\n\n${JSON.stringify(pod(2))}\n[1, 2]`;
    for (const chunk of [64, 1 << 30]) {
      const docs = parseJsonBytes('x.json', Buffer.from(text), chunk);
      expect(docs.map((d) => d.value)).toEqual([pod(1), pod(2), [1, 2]]);
      const lineOf = (needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
      expect(docs.map((d) => d.line)).toEqual([1, lineOf(JSON.stringify(pod(2))), lineOf('[1, 2]')]);
    }
  });

  it('finds the line of an element when the list was split', () => {
    const text = JSON.stringify(list, null, 2);
    const [doc] = parseJsonBytes('x.json', Buffer.from(text), 300);
    const lines = text.split('\n');
    const line = doc!.lineOf(['items', 7, 'spec', 'containers']);
    // The nearest piece that was parsed on its own: the container list, or the pod around it.
    expect(lines[line - 1]).toMatch(/^\s+("containers": )?[[{]$/);
    expect(line).toBeGreaterThan(lines.findIndex((l) => l.includes('"web-7"')) - 5);
  });

  it('names the line of a syntax error inside a split list', () => {
    const items = Array.from({length: 10}, (_, i) => JSON.stringify(pod(i), null, 2));
    items[6] = items[6]!.replace('"image": "nginx"', '"image": nginx');
    const text = `{"kind": "List", "apiVersion": "v1", "items": [\n${items.join(',\n')}\n]}`;
    const badLine = text.split('\n').findIndex((l) => l.includes('"image": nginx')) + 1;
    for (const chunk of [100, 1 << 30]) {
      let error: unknown;
      try {
        parseJsonBytes('big.json', Buffer.from(text), chunk);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).file).toBe('big.json');
      expect((error as InputError).line).toBe(badLine);
      expect((error as InputError).detail).toBe("invalid JSON: expected null, found 'g'");
    }
  });

  it('reads a string longer than a chunk whole (strings are never split)', () => {
    const value = {notes: ['x'.repeat(500), 'y\\"'.repeat(300)], n: 1};
    expect(parseJsonBytes('x.json', Buffer.from(JSON.stringify(value)), 100)[0]!.value).toEqual(value);
  });
});
