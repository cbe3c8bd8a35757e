/**
 * kubepath JSON documents
 * =======================
 *
 * JSON inputs as bytes, of any size: one value or several concatenated ones
 * (`kubectl get a -o json; kubectl get b -o json`). A `kubectl get pods -A -o json`
 * of a large cluster outgrows the longest string V8 can hold (about 512 MiB), so a
 * value larger than a chunk is split at its top level (array elements, object
 * members) and parsed piece by piece; every piece's byte offset is remembered, so an
 * error inside it can still name its line.
 */
import {LineCounter, parseDocument} from 'yaml';
import type {DocPath, InputDocument} from './documents.js';
import {InputError} from './errors.js';

/** Values up to this many bytes are parsed whole; larger ones are split. */
export const JSON_CHUNK_BYTES = 64 * 1024 * 1024;
/** Pieces up to this size get exact field lines, through a second, position-keeping parse. */
const EXACT_LINES_BYTES = 16 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && isSpace(bytes[at])) at++;
  return at;
}

/**
 * The end (exclusive) of the value starting at `at`: the first `,`, `:`-free closing
 * bracket or separator at depth zero. Quotes and backslashes are ASCII, so scanning
 * UTF-8 bytes is safe.
 */
function valueEnd(bytes: Uint8Array, at: number, end: number): number {
  let depth = 0;
  for (let i = at; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      for (i++; i < end && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
      if (depth === 0) return i + 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (byte === COMMA || isSpace(byte))) return i;
  }
  return end;
}

/** Byte ranges of the top-level values of a stream of concatenated JSON values. */
function topLevelRanges(bytes: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let at = skipSpace(bytes, 0, bytes.length);
  while (at < bytes.length) {
    const end = Math.max(valueEnd(bytes, at, bytes.length), at + 1);
    ranges.push([at, end]);
    at = skipSpace(bytes, end, bytes.length);
  }
  return ranges;
}

/** A problem at a byte offset; `reparse` when JSON.parse failed there and the exact spot is still to be found. */
class JsonRangeError extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly reparse = false,
  ) {
    super(message);
  }
}

/** Parses bytes[start, end); splits values larger than `chunk`, recording where each piece began. */
function parseRange(bytes: Buffer, start: number, end: number, chunk: number, offsets: WeakMap<object, number>): unknown {
  if (end - start <= chunk) {
    try {
      return JSON.parse(bytes.toString('utf8', start, end));
    } catch (error) {
      throw new JsonRangeError(start, (error as Error).message, true);
    }
  }
  const open = bytes[start];
  if (open !== OPEN_BRACKET && open !== OPEN_BRACE) throw new JsonRangeError(start, 'a single JSON value is too large to read');
  const close = open === OPEN_BRACKET ? CLOSE_BRACKET : CLOSE_BRACE;
  const result: unknown[] | Record<string, unknown> = open === OPEN_BRACKET ? [] : {};
  let at = skipSpace(bytes, start + 1, end);
  while (at < end && bytes[at] !== close) {
    let key: string | undefined;
    if (open === OPEN_BRACE) {
      const keyEnd = valueEnd(bytes, at, end);
      if (bytes[at] !== QUOTE) throw new JsonRangeError(at, 'expected a quoted member name');
      key = JSON.parse(bytes.toString('utf8', at, keyEnd)) as string;
      at = skipSpace(bytes, keyEnd, end);
      if (bytes[at] !== COLON) throw new JsonRangeError(at, "expected ':' after a member name");
      at = skipSpace(bytes, at + 1, end);
    }
    const valueStop = valueEnd(bytes, at, end);
    if (valueStop === at) throw new JsonRangeError(at, 'expected a value');
    const value = parseRange(bytes, at, valueStop, chunk, offsets);
    if (typeof value === 'object' && value !== null) offsets.set(value, at);
    if (key === undefined) (result as unknown[]).push(value);
    else (result as Record<string, unknown>)[key] = value;
    at = skipSpace(bytes, valueStop, end);
    if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1, end);
    else if (bytes[at] !== close) throw new JsonRangeError(at, `expected ',' or '${String.fromCharCode(close)}'`);
  }
  return result;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Where JSON.parse gave up, and why: V8's messages do not always carry a position,
 * so the first error is found again with a small grammar check over the bytes.
 */
function firstSyntaxError(bytes: Uint8Array, start: number, end: number): {offset: number; problem: string} {
  let at = start;
  const fail = (problem: string): never => {
    throw {offset: at, problem};
  };
  const describeAt = (): string => (at >= end ? 'the end of the input' : `'${String.fromCharCode(bytes[at]!)}'`);
  const space = (): void => {
    at = skipSpace(bytes, at, end);
  };
  const literal = (word: string): void => {
    for (let i = 0; i < word.length; i++, at++) if (bytes[at] !== word.charCodeAt(i)) fail(`expected ${word}, found ${describeAt()}`);
  };
  const string = (): void => {
    for (at++; at < end && bytes[at] !== QUOTE; at++) {
      if (bytes[at]! < 0x20) fail('control character in a string');
      if (bytes[at] === BACKSLASH) at++;
    }
    if (at >= end) fail('unterminated string');
    at++;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail('nested too deeply');
    space();
    const byte = bytes[at];
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      const close = byte === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      at++;
      space();
      if (bytes[at] === close) {
        at++;
        return;
      }
      for (;;) {
        if (close === CLOSE_BRACE) {
          space();
          if (bytes[at] !== QUOTE) fail(`expected a quoted member name, found ${describeAt()}`);
          string();
          space();
          if (bytes[at] !== COLON) fail(`expected ':', found ${describeAt()}`);
          at++;
        }
        value(depth + 1);
        space();
        if (bytes[at] === COMMA) at++;
        else if (bytes[at] === close) {
          at++;
          return;
        } else fail(`expected ',' or '${String.fromCharCode(close)}', found ${describeAt()}`);
      }
    }
    if (byte === QUOTE) return string();
    if (byte === 0x74) return literal('true');
    if (byte === 0x66) return literal('false');
    if (byte === 0x6e) return literal('null');
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(Buffer.from(bytes.subarray(at, Math.min(at + 64, end))).toString('latin1'));
    if (!number) fail(`expected a value, found ${describeAt()}`);
    at += number![0].length;
  };
  try {
    value(0);
    space();
    if (at < end) fail(`unexpected ${describeAt()} after the value`);
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as {offset: number; problem: string};
    throw error;
  }
  return {offset: start, problem: 'not valid JSON'}; // JSON.parse disagreed; say where the value starts
}

/**
 * Finds lines inside a parsed value: exactly, by parsing the text again with positions,
 * when the value is small; else at the nearest enclosing piece whose offset was recorded.
 */
function locator(bytes: Buffer, start: number, end: number, value: unknown, offsets: WeakMap<object, number>): (path: DocPath) => number {
  const startLine = lineAt(bytes, start);
  let exact: ((path: DocPath) => number) | undefined;
  return (path) => {
    if (end - start <= EXACT_LINES_BYTES) {
      if (!exact) {
        const counter = new LineCounter();
        const doc = parseDocument(bytes.toString('utf8', start, end), {version: '1.1', lineCounter: counter});
        exact = (at) => {
          for (let depth = at.length; depth >= 0; depth--) {
            const node = doc.getIn(at.slice(0, depth), true) as {range?: [number, number, number]} | undefined;
            if (node && typeof node === 'object' && node.range) return startLine + counter.linePos(node.range[0]).line - 1;
          }
          return startLine;
        };
      }
      return exact(path);
    }
    let offset = start;
    let current: unknown = value;
    for (const part of path) {
      if (typeof current !== 'object' || current === null) break;
      current = (current as Record<string | number, unknown>)[part];
      const found = typeof current === 'object' && current !== null ? offsets.get(current) : undefined;
      if (found !== undefined) offset = found;
    }
    return lineAt(bytes, offset);
  };
}

export function parseJsonBytes(file: string, bytes: Buffer, chunk = JSON_CHUNK_BYTES): InputDocument[] {
  const offsets = new WeakMap<object, number>();
  const document = (start: number, end: number, value: unknown): InputDocument => ({
    value,
    line: lineAt(bytes, start),
    lineOf: locator(bytes, start, end, value, offsets),
    cheapLines: false,
  });
  // The common case first: one value that fits in a chunk.
  if (bytes.length <= chunk) {
    try {
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      const start = skipSpace(bytes, 0, bytes.length);
      return [document(start, bytes.length, value)];
    } catch {
      // Several concatenated values, or a syntax error: read value by value below.
    }
  }
  return topLevelRanges(bytes).map(([start, end]) => {
    try {
      return document(start, end, parseRange(bytes, start, end, chunk, offsets));
    } catch (error) {
      if (!(error instanceof JsonRangeError)) throw error;
      const found = error.reparse ? firstSyntaxError(bytes, error.offset, valueEnd(bytes, error.offset, end)) : {offset: error.offset, problem: error.message};
      throw new InputError(file, lineAt(bytes, found.offset), `invalid JSON: ${found.problem}`);
    }
  });
}
