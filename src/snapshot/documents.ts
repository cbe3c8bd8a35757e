/**
 * kubepath documents
 * ==================
 *
 * Turns the bytes of one input (a file or stdin) into its top-level documents, one
 * at a time: each is parsed and checked as it comes, so memory follows the largest
 * document, not the input. Each document can say on which line any path inside it
 * starts, so errors and findings can point at the line a user wrote. YAML is read by
 * yaml.ts, JSON by json.ts; both refuse nesting deeper than kubepath keeps (nesting.ts).
 */
import type {Document} from 'yaml';
import {InputError} from './errors.js';
import {jsonDocuments} from './json.js';
import {yamlDocuments} from './yaml.js';

export type DocPath = ReadonlyArray<string | number>;

/** A stretch of an input: bytes [start, end), starting on `line`. */
export interface Span {
  start: number;
  end: number;
  line: number;
}

export interface InputDocument {
  /** The parsed value (any JSON value). */
  value: unknown;
  /** Line (1-based) on which this document starts. */
  line: number;
  /** Line on which the value at `path` (from the document's root) starts, or the document's line when unknown. */
  lineOf(path: DocPath): number;
  /**
   * True when lineOf is cheap enough to ask for every object: YAML keeps positions
   * while parsing; JSON has to be parsed again to find them.
   */
  cheapLines: boolean;
  /**
   * Set when the document was too large to hold whole (yaml.ts): its top-level `items`,
   * each entry a document of its own (its lineOf takes paths from this document's root),
   * read as they are asked for; `value` then has no `items`.
   */
  items?: Iterable<InputDocument>;
  /**
   * Set instead of `value` for a document that cannot be read but is known to hold no
   * Kubernetes object (yaml.ts: a large one laid out neither as a list nor as JSON, with
   * no `kind` at its top level): why it cannot be read. A file found in a folder that
   * holds no Kubernetes object is passed over; anywhere else this is the error.
   */
  unreadable?: InputError;
}

/** Parses bytes as JSON when they look like JSON (by name or first character), else as YAML. */
export function parseDocuments(file: string, bytes: Buffer): Iterable<InputDocument> {
  // kubectl ignores a UTF-8 byte order mark; so does kubepath.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (/\.json$/i.test(file)) return jsonDocuments(file, bytes);
  if (/\.ya?ml$/i.test(file) || !/^\s*[[{]/.test(bytes.toString('latin1', 0, 256))) return yamlDocuments(file, bytes);
  return jsonOrFlowYaml(file, bytes);
}

/**
 * Unnamed input that opens like JSON may still be flow-style YAML. Once two JSON values
 * have been read it is JSON (YAML cannot hold two flow collections without a `---`
 * between them), so only the first is held back until then. Read as YAML, an error
 * before the first document is the JSON one (the input was most likely meant as JSON).
 */
function* jsonOrFlowYaml(file: string, bytes: Buffer): Generator<InputDocument> {
  let first: InputDocument | undefined;
  let count = 0;
  try {
    for (const doc of jsonDocuments(file, bytes)) {
      if (++count === 1) {
        first = doc;
        continue;
      }
      if (first) yield first;
      first = undefined;
      yield doc;
    }
  } catch (jsonError) {
    if (!(jsonError instanceof InputError) || count > 1) throw jsonError;
    let yielded = false;
    try {
      for (const doc of yamlDocuments(file, bytes)) {
        yielded = true;
        yield doc;
      }
    } catch (yamlError) {
      throw yielded ? yamlError : jsonError;
    }
    return;
  }
  if (first) yield first;
}

/** Finds the line where the node at a path starts, walking up to the nearest node that has a position. */
export function lineLocator(doc: Document, lineAt: (offset: number) => number, fallback: number): (path: DocPath) => number {
  return (path) => {
    // Walk up the path until a node with a source range is found.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as {range?: [number, number, number]} | undefined;
      if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
    }
    return fallback;
  };
}
