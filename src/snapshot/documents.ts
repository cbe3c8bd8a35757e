/**
 * kubepath documents
 * ==================
 *
 * Turns the text of one input (a file or stdin) into its top-level documents, each
 * able to say on which line any path inside it starts, so errors and findings can
 * point at the line a user wrote. YAML is read with YAML 1.1 rules, as the API
 * server's decoder reads it; JSON may be one value or several concatenated ones
 * (`kubectl get a -o json; kubectl get b -o json`).
 */
import {LineCounter, parseAllDocuments, parseDocument, type Document} from 'yaml';
import {InputError} from './errors.js';

export type DocPath = ReadonlyArray<string | number>;

export interface InputDocument {
  /** The parsed value (any JSON value). */
  value: unknown;
  /** Line (1-based) on which this document starts. */
  line: number;
  /** Line on which the value at `path` starts, or the document's line when unknown. */
  lineOf(path: DocPath): number;
  /**
   * True when lineOf is cheap enough to ask for every object: YAML keeps positions
   * while parsing; JSON has to be parsed again to find them.
   */
  cheapLines: boolean;
}

const YAML_OPTIONS = {version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false} as const;

/** Parses text as JSON when it looks like JSON (by name or first character), else as YAML. */
export function parseDocuments(file: string, text: string): InputDocument[] {
  const looksLikeJson = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^\s*[[{]/.test(text));
  return looksLikeJson ? parseJson(file, text) : parseYaml(file, text);
}

function lineLocator(doc: Document, counter: LineCounter, fallback: number): (path: DocPath) => number {
  return (path) => {
    // Walk up the path until a node with a source range is found.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as {range?: [number, number, number]} | undefined;
      if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
    }
    return fallback;
  };
}

function parseYaml(file: string, text: string): InputDocument[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, {...YAML_OPTIONS, lineCounter: counter});
  // parseAllDocuments returns an EmptyStream (an array) when there is nothing to read.
  const result: InputDocument[] = [];
  for (const doc of docs) {
    const problem = doc.errors[0];
    if (problem) {
      throw new InputError(file, counter.linePos(problem.pos[0]).line, `invalid YAML: ${firstLine(problem.message)}`);
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = counter.linePos(start).line;
    let value: unknown;
    try {
      value = doc.toJS({maxAliasCount: 1000});
    } catch (error) {
      throw new InputError(file, line, `invalid YAML: ${firstLine((error as Error).message)}`);
    }
    if (value === null || value === undefined) continue; // an empty document between `---` markers
    result.push({value, line, lineOf: lineLocator(doc, counter, line), cheapLines: true});
  }
  return result;
}

interface JsonSegment {
  text: string;
  offset: number;
}

/** Splits a text into its top-level JSON values without parsing them. */
function splitJsonStream(text: string): JsonSegment[] {
  const segments: JsonSegment[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (start < 0) start = i;
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    if (depth <= 0 && (c === 125 || c === 93)) {
      segments.push({text: text.slice(start, i + 1), offset: start});
      start = -1;
      depth = 0;
    }
  }
  if (start >= 0) segments.push({text: text.slice(start), offset: start});
  return segments;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function parseJson(file: string, text: string): InputDocument[] {
  const segments = splitJsonStream(text);
  return segments.map((segment) => {
    const line = lineAt(text, segment.offset);
    let value: unknown;
    try {
      value = JSON.parse(segment.text);
    } catch (error) {
      throw new InputError(file, line + jsonErrorLine(segment.text) - 1, `invalid JSON: ${firstLine((error as Error).message)}`);
    }
    // Lines inside JSON are found only when asked (for an error or a finding): the
    // YAML parser reads JSON and keeps positions, and is too slow to run on every file.
    let located: ((path: DocPath) => number) | undefined;
    const lineOf = (path: DocPath): number => {
      if (!located) {
        const counter = new LineCounter();
        const doc = parseDocument(segment.text, {...YAML_OPTIONS, lineCounter: counter});
        located = doc.errors.length > 0 ? () => 1 : lineLocator(doc, counter, 1);
      }
      return line + located(path) - 1;
    };
    return {value, line, lineOf, cheapLines: false};
  });
}

/** The line of a JSON syntax error inside a segment, found through the YAML parser. */
function jsonErrorLine(segmentText: string): number {
  const counter = new LineCounter();
  const doc = parseDocument(segmentText, {...YAML_OPTIONS, lineCounter: counter});
  const problem = doc.errors[0];
  return problem ? counter.linePos(problem.pos[0]).line : 1;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
