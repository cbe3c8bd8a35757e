/**
 * kubepath JSON documents
 * =======================
 *
 * JSON inputs as bytes, of any size: one value or several concatenated ones
 * (`kubectl get a -o json; kubectl get b -o json`). A `kubectl get pods -A -o json`
 * of a large cluster outgrows the longest string V8 can hold (about 512 MiB), so a
 * value larger than a chunk is split at its top level (array elements, object
 * members) and parsed piece by piece; every piece's byte offset is remembered, so an
 * error inside it can still name its line. Values come one at a time, each checked
 * before the next is read; the scan that finds where a value ends also refuses one
 * nested deeper than MAX_NESTING.
 */
import {LineCounter, parseDocument} from 'yaml';
import {lineLocator, type DocPath, type InputDocument, type Span} from './documents.js';
import {InputError} from './errors.js';
import {MAX_NESTING, tooDeep} from './nesting.js';

/** Values up to this many bytes are parsed whole; larger ones are split. */
export const JSON_CHUNK_BYTES = 64 * 1024 * 1024;
/** Pieces up to this size get exact field lines, through a second, position-keeping parse. */
const EXACT_LINES_BYTES = 16 * 1024 * 1024;

// The bytes JSON's structure is made of (shared with the live collector's list reader).
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

export function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Buffer, at: number, end: number): number {
  while (at < end && isSpace(bytes[at])) at++;
  return at;
}

/**
 * The end (exclusive) of the value starting at `at`, or -1 when it runs past `limit`;
 * throws JsonTooDeep where it nests more than `levels` deep. Quotes and backslashes are
 * ASCII, so scanning UTF-8 bytes is safe; strings, most of the bytes, are crossed with
 * the native indexOf.
 */
function valueEnd(bytes: Buffer, at: number, end: number, limit = end, levels = Infinity): number {
  let depth = 0;
  const stop = Math.min(end, limit);
  for (let i = at; i < stop; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      let quote = bytes.indexOf(QUOTE, i + 1);
      while (quote >= 0 && quote < end && isEscaped(bytes, quote)) quote = bytes.indexOf(QUOTE, quote + 1);
      if (quote < 0 || quote >= end) return end; // unterminated: JSON.parse will say so
      i = quote;
      if (depth === 0) return i + 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > levels) throw new JsonTooDeep(i);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (byte === COMMA || isSpace(byte))) return i;
  }
  return stop === end ? end : -1;
}

/** True when the quote at `at` is preceded by an odd number of backslashes. */
function isEscaped(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; bytes[i] === BACKSLASH; i--) backslashes++;
  return backslashes % 2 === 1;
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

/** A value nested more than MAX_NESTING deep, at the bracket that went one level too far. */
class JsonTooDeep extends JsonRangeError {
  constructor(offset: number) {
    super(offset, 'nested too deeply');
  }
}

/**
 * Parses the value at `at`, inside `depth` arrays and objects: whole when it ends within
 * a chunk, else member by member (recording where each piece began). Returns the value
 * and where it stopped.
 */
function parseAt(
  bytes: Buffer,
  at: number,
  end: number,
  chunk: number,
  offsets: WeakMap<object, number>,
  depth: number,
): [unknown, number] {
  const stop = valueEnd(bytes, at, end, at + chunk, MAX_NESTING - depth);
  if (stop === at) throw new JsonRangeError(at, 'expected a value');
  if (stop >= 0) {
    try {
      return [JSON.parse(bytes.toString('utf8', at, stop)), stop];
    } catch (error) {
      throw new JsonRangeError(at, (error as Error).message, true);
    }
  }
  const open = bytes[at];
  if (open !== OPEN_BRACKET && open !== OPEN_BRACE) throw new JsonRangeError(at, 'a single JSON value is too large to read');
  const close = open === OPEN_BRACKET ? CLOSE_BRACKET : CLOSE_BRACE;
  const result: unknown[] | Record<string, unknown> = open === OPEN_BRACKET ? [] : {};
  at = skipSpace(bytes, at + 1, end);
  while (bytes[at] !== close) {
    if (at >= end) throw new JsonRangeError(at, `expected '${String.fromCharCode(close)}', found the end of the input`);
    let key: string | undefined;
    if (open === OPEN_BRACE) {
      if (bytes[at] !== QUOTE) throw new JsonRangeError(at, 'expected a quoted member name');
      const keyEnd = valueEnd(bytes, at, end);
      try {
        key = JSON.parse(bytes.toString('utf8', at, keyEnd)) as string;
      } catch (error) {
        throw new JsonRangeError(at, (error as Error).message, true);
      }
      at = skipSpace(bytes, keyEnd, end);
      if (bytes[at] !== COLON) throw new JsonRangeError(at, "expected ':' after a member name");
      at = skipSpace(bytes, at + 1, end);
    }
    const [value, valueStop] = parseAt(bytes, at, end, chunk, offsets, depth + 1);
    if (typeof value === 'object' && value !== null) offsets.set(value, at);
    if (key === undefined) (result as unknown[]).push(value);
    else (result as Record<string, unknown>)[key] = value;
    at = skipSpace(bytes, valueStop, end);
    if (bytes[at] === COMMA) {
      at = skipSpace(bytes, at + 1, end);
      if (bytes[at] === close) throw new JsonRangeError(at, `expected a value before '${String.fromCharCode(close)}'`);
    } else if (bytes[at] !== close) throw new JsonRangeError(at, `expected ',' or '${String.fromCharCode(close)}'`);
  }
  return [result, at + 1];
}

/** The line of a byte offset inside a span. */
function lineAt(bytes: Uint8Array, span: Span, offset: number): number {
  let line = span.line;
  for (let i = span.start; i < offset && i < span.end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Where JSON.parse gave up, and why: V8's messages do not always carry a position,
 * so the first error is found again with a small grammar check over the bytes.
 */
function firstSyntaxError(bytes: Buffer, start: number, end: number): {offset: number; problem: string} {
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
    if (depth > MAX_NESTING) fail('nested too deeply');
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
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
      Buffer.from(bytes.subarray(at, Math.min(at + 64, end))).toString('latin1'),
    );
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
function locator(
  bytes: Buffer,
  span: Span,
  start: number,
  end: number,
  startLine: number,
  value: unknown,
  offsets: WeakMap<object, number>,
): (path: DocPath) => number {
  let exact: ((path: DocPath) => number) | undefined;
  return (path) => {
    if (end - start <= EXACT_LINES_BYTES) {
      if (!exact) {
        const counter = new LineCounter();
        const parsed = parseDocument(bytes.toString('utf8', start, end), {version: '1.1', lineCounter: counter});
        exact = lineLocator(parsed, (offset) => startLine + counter.linePos(offset).line - 1, startLine);
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
    return lineAt(bytes, span, offset);
  };
}

/** Every value of a JSON input, read whole (see jsonDocuments). */
export function parseJsonBytes(file: string, bytes: Buffer, chunk = JSON_CHUNK_BYTES): InputDocument[] {
  return [...jsonDocuments(file, bytes, chunk)];
}

/**
 * The values of a JSON input (JSON Lines can hold many), or of one span of it (a large
 * YAML document that is JSON), each parsed and checked as it is asked for.
 */
export function* jsonDocuments(
  file: string,
  bytes: Buffer,
  chunk = JSON_CHUNK_BYTES,
  span: Span = {start: 0, end: bytes.length, line: 1},
): Generator<InputDocument> {
  const offsets = new WeakMap<object, number>();
  const {end} = span;
  // Documents come in order: count lines onwards from the previous one.
  let countedTo = span.start;
  let countedLine = span.line;
  for (let at = skipSpace(bytes, span.start, end); at < end; at = skipSpace(bytes, at, end)) {
    let value: unknown;
    let stop: number;
    try {
      [value, stop] = parseAt(bytes, at, end, chunk, offsets, 0);
    } catch (error) {
      if (error instanceof JsonTooDeep) throw tooDeep(file, lineAt(bytes, span, error.offset));
      if (!(error instanceof JsonRangeError)) throw error;
      const found = error.reparse
        ? firstSyntaxError(bytes, error.offset, valueEnd(bytes, error.offset, end))
        : {offset: error.offset, problem: error.message};
      throw new InputError(file, lineAt(bytes, span, found.offset), `invalid JSON: ${found.problem}`);
    }
    for (; countedTo < at; countedTo++) if (bytes[countedTo] === 0x0a) countedLine++;
    yield {value, line: countedLine, lineOf: locator(bytes, span, at, stop, countedLine, value, offsets), cheapLines: false};
    at = stop;
  }
}
