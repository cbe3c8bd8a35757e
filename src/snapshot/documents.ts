/**
 * kubepath documents
 * ==================
 *
 * The top-level documents of one input (a file or stdin), as the JSON and YAML readers
 * (json.ts, yaml.ts) hand them on, one at a time (parse.ts picks the reader). Each
 * document can say on which line any path inside it starts, so errors and findings
 * can point at the line a user wrote.
 */
import type {Document} from 'yaml';
import type {InputError} from './errors.js';

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
