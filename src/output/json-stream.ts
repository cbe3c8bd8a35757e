/**
 * kubepath streaming JSON
 * =======================
 *
 * The commands' JSON outputs are written through here. `jsonChunks(value)` gives the bytes of
 * `JSON.stringify(value, null, 2)` and a newline, in chunks, so no output is ever one
 * string; a `lazyArray` inside the value is written as an array while its items are
 * made, so a list as long as the output (every connection `reach` finds) is never held.
 * `jsonItems` writes one compact item per line (`graph -o json`, the OpenGraph export).
 * All of it goes through `safeJson`: DEL, C1 controls, bidi and other invisible characters,
 * which JSON.stringify leaves raw, become `\uXXXX` escapes of the same JSON value, so
 * printing a JSON output is as inert as printing a text one.
 */
import {joined} from './chunks.js';
import {safeJson} from './escape.js';

/** Items written as a JSON array as they are made, by `jsonChunks`. */
export class LazyArray {
  constructor(readonly items: Iterable<unknown>) {}
}

export const lazyArray = (items: Iterable<unknown>): LazyArray => new LazyArray(items);

/** One value as compact JSON, with what JSON.stringify leaves raw escaped. */
export const inertJson = (value: unknown): string => safeJson(JSON.stringify(value));

/** JSON text made elsewhere (a saved snapshot), with what JSON.stringify leaves raw escaped piece by piece: such characters only stand inside strings. */
export function* inertChunks(chunks: Iterable<string>): Generator<string> {
  for (const chunk of chunks) yield safeJson(chunk);
}

/** `[` then `\n{...}` items separated by commas, then `\n]`: one item per line, pieces to be joined. */
export function* jsonItems(items: Iterable<unknown>): Generator<string> {
  let first = true;
  for (const item of items) {
    yield `${first ? '' : ','}\n${inertJson(item)}`;
    first = false;
  }
}

/** Containers this small are written by JSON.stringify itself, and array items in runs of up to this many: far faster than entry by entry. */
const SMALL = 256;

interface Frame {
  container: object;
  /** The indentation of its closing line, and of its entries. */
  prefix: string;
  inner: string;
  written: number;
  /** An array's or a lazy array's items. */
  items?: Iterator<unknown>;
  /** An object's keys, and the next one's index. */
  keys?: string[];
  key?: number;
}

/** JSON.stringify's view of a value: after `toJSON`, and undefined for what it leaves out (undefined, functions, symbols). */
function prepared(value: unknown, key: string): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof LazyArray) &&
    typeof (value as {toJSON?: unknown}).toJSON === 'function'
  ) {
    value = (value as {toJSON: (key: string) => unknown}).toJSON(key);
  }
  return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
}

/** What remains of `budget` after a value's entries, all plain (no `toJSON`, no lazy array); below 0 when it holds more, or anything not plain. */
function budgetLeft(value: unknown, budget: number): number {
  if (value === null || typeof value !== 'object') return budget;
  if (value instanceof LazyArray || typeof (value as {toJSON?: unknown}).toJSON === 'function') return -1;
  const entries = Array.isArray(value) ? value : Object.values(value);
  budget -= entries.length;
  for (let i = 0; i < entries.length && budget >= 0; i++) budget = budgetLeft(entries[i], budget);
  return budget;
}

const isSmall = (value: unknown): boolean => budgetLeft(value, SMALL) >= 0;

/** JSON.stringify's text of a value, indented to sit at `prefix`. */
const indented = (value: unknown, gap: string, prefix: string): string => {
  const text = JSON.stringify(value, null, gap) ?? 'null';
  return prefix === '' ? text : text.replaceAll('\n', `\n${prefix}`);
};

/**
 * The bytes of `JSON.stringify(value, null, 2) + '\n'`, in chunks of about 64 KiB,
 * with `lazyArray`s written as arrays; memory holds a chunk and the path to the current
 * item, not the output.
 */
export function* jsonChunks(value: unknown): Generator<string> {
  for (const chunk of joined(jsonPieces(value, '  '))) yield safeJson(chunk);
}

/** The pieces of `jsonChunks`: small values whole, large containers opened, their entries (array items in runs), and closed. */
function* jsonPieces(value: unknown, gap: string): Generator<string> {
  const stack: Frame[] = [];
  /** A small value's JSON, or a large container's opening (its entries follow). */
  const open = (item: unknown, prefix: string): string => {
    if (isSmall(item)) return indented(item, gap, prefix);
    const container = item as object;
    if (stack.some((frame) => frame.container === container)) throw new TypeError('Converting circular structure to JSON');
    const frame: Frame = {container, prefix, inner: prefix + gap, written: 0};
    if (container instanceof LazyArray) frame.items = container.items[Symbol.iterator]();
    else if (Array.isArray(container)) frame.items = container.values();
    else [frame.keys, frame.key] = [Object.keys(container), 0];
    stack.push(frame);
    return frame.items ? '[' : '{';
  };
  /** An entry's separator and indentation. */
  const entry = (frame: Frame): string => `${frame.written++ > 0 ? ',' : ''}\n${frame.inner}`;
  const top = prepared(value, '');
  if (top === undefined) return;
  yield open(top, '');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    let ended = false;
    if (frame.keys) {
      if (frame.key! < frame.keys.length) {
        const key = frame.keys[frame.key!++]!;
        const item = prepared((frame.container as Record<string, unknown>)[key], key);
        if (item !== undefined) yield `${entry(frame)}${JSON.stringify(key)}: ${open(item, frame.inner)}`;
      } else ended = true;
    } else {
      // A run of small items is one JSON.stringify of them as an array, without its brackets.
      const run: unknown[] = [];
      let large: unknown;
      let step: IteratorResult<unknown>;
      while (run.length < SMALL && !(step = frame.items!.next()).done) {
        const item = prepared(step.value, String(frame.written + run.length));
        if (isSmall(item)) run.push(item);
        else {
          large = item;
          break;
        }
      }
      ended = run.length < SMALL && large === undefined;
      if (run.length > 0) {
        yield `${frame.written > 0 ? ',' : ''}${indented(run, gap, frame.prefix).slice(1, -(frame.prefix.length + 2))}`;
        frame.written += run.length;
      }
      if (large !== undefined) yield `${entry(frame)}${open(large, frame.inner)}`;
    }
    if (ended) {
      stack.pop();
      yield `${frame.written > 0 ? `\n${frame.prefix}` : ''}${frame.items ? ']' : '}'}`;
    }
  }
  yield '\n';
}
