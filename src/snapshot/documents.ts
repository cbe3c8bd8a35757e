/**
 * kubepath documents
 * ==================
 *
 * Turns the text of one input (a file or stdin) into its top-level documents, each
 * able to say on which line any path inside it starts, so errors and findings can
 * point at the line a user wrote. YAML is read with YAML 1.1 rules, as the API
 * server's decoder reads it; JSON is read by json.ts.
 */
import {LineCounter, parseAllDocuments, type Document, type ErrorCode, type Tags} from 'yaml';
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

/**
 * YAML 1.1 as go-yaml v2 (kubectl, the API server) reads it into Kubernetes objects:
 * `yes` is a boolean and `0644` octal, but timestamps and `12:30` stay strings.
 */
export const YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: (tags: Tags) => tags.filter((tag) => typeof tag === 'string' || (tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp')),
} as const;

/**
 * What each YAML error code means, said without quoting the input: the parser's own
 * messages repeat the text near the error, which may be a secret value.
 */
const YAML_PROBLEMS: Partial<Record<ErrorCode, string>> = {
  BAD_ALIAS: 'an alias (*name) that refers to no anchor',
  BAD_DQ_ESCAPE: 'a bad escape in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_SCALAR_START: 'a plain value that cannot start with this character',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block used as a key',
  BLOCK_IN_FLOW: 'a block inside a flow collection ([...] or {...})',
  DUPLICATE_KEY: 'a key that appears twice in one mapping',
  MISSING_CHAR: 'a missing closing quote or bracket',
  MULTILINE_IMPLICIT_KEY: 'a key that spans lines',
  RESOURCE_EXHAUSTION: 'too many alias expansions',
  TAB_AS_INDENT: 'a tab used as indentation',
  UNEXPECTED_TOKEN: 'an unexpected character',
};

function yamlProblem(code: ErrorCode): string {
  return `${YAML_PROBLEMS[code] ?? 'a syntax error'} (${code})`;
}

/** Parses bytes as JSON when they look like JSON (by name or first character), else as YAML. */
export function parseDocuments(file: string, bytes: Buffer): InputDocument[] {
  // kubectl ignores a UTF-8 byte order mark; so does kubepath.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (/\.json$/i.test(file)) return parseJsonBytes(file, bytes);
  if (/\.ya?ml$/i.test(file) || !/^\s*[[{]/.test(bytes.toString('latin1', 0, 256))) return parseYaml(file, bytes.toString('utf8'));
  // Unnamed input that opens like JSON may still be flow-style YAML.
  try {
    return parseJsonBytes(file, bytes);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    try {
      return parseYaml(file, bytes.toString('utf8'));
    } catch {
      throw error;
    }
  }
}

/** Finds the line where the node at a path starts, walking up to the nearest node that has a position. */
export function lineLocator(doc: Document, counter: LineCounter, fallback: number): (path: DocPath) => number {
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
      throw new InputError(file, counter.linePos(problem.pos[0]).line, `invalid YAML: ${yamlProblem(problem.code)}`);
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = counter.linePos(start).line;
    let value: unknown;
    try {
      value = doc.toJS({maxAliasCount: 1000});
    } catch {
      throw new InputError(file, line, `invalid YAML: ${yamlProblem('RESOURCE_EXHAUSTION')}`);
    }
    if (hasCycle(value)) throw new InputError(file, line, 'invalid YAML: an alias that contains itself');
    if (value === null || value === undefined) continue; // an empty document between `---` markers
    result.push({value, line, lineOf: lineLocator(doc, counter, line), cheapLines: true});
  }
  return result;
}

/** Aliases can make a document contain itself, which no Kubernetes object does. */
function hasCycle(value: unknown, ancestors = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const found = Object.values(value).some((child) => hasCycle(child, ancestors));
  ancestors.delete(value);
  return found;
}
