/**
 * kubepath documents
 * ==================
 *
 * Turns the text of one input (a file or stdin) into its top-level documents, each
 * able to say on which line any path inside it starts, so errors and findings can
 * point at the line a user wrote. YAML is read with YAML 1.1 rules, as the API
 * server's decoder reads it; JSON is read by json.ts.
 */
import {LineCounter, parseAllDocuments, type Document} from 'yaml';
import {InputError} from './errors.js';
import {parseJsonBytes} from './json.js';

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

/** Parses bytes as JSON when they look like JSON (by name or first character), else as YAML. */
export function parseDocuments(file: string, bytes: Buffer): InputDocument[] {
  const looksLikeJson = /\.json$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^\s*[[{]/.test(bytes.toString('latin1', 0, 256)));
  return looksLikeJson ? parseJsonBytes(file, bytes) : parseYaml(file, bytes.toString('utf8'));
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

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
