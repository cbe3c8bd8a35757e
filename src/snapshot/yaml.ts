/**
 * kubepath YAML documents
 * =======================
 *
 * YAML inputs as bytes, of any size, read as YAML 1.1 as the API server's decoder reads
 * it, one document at a time. The input is cut at its `---` lines first: a document
 * with nothing in it is passed over without parsing, and each other one is parsed,
 * checked and handed on before the next is read, so memory follows the largest
 * document, not the input (20 MB of `---` lines are five million documents).
 *
 * A `kubectl get -A -o yaml` of a large cluster is one document larger than the longest
 * string V8 can hold (about 512 MiB). A document over a chunk is read the way kubectl
 * writes a list: top-level keys at column 0, the `items:` entries as `- ` lines (at
 * column 0, or at any one indentation), parsed a few entries at a time, each piece
 * keeping the line it starts on. What cannot be read that way (an alias to an anchor in
 * another piece, a document that is not such a list) is refused, never misread.
 */
import {Composer, LineCounter, Parser, visit, type CST, type Document, type ErrorCode, type Tags} from 'yaml';
import {lineLocator, type DocPath, type InputDocument} from './documents.js';
import {InputError} from './errors.js';
import {MAX_NESTING, nestingProblem, tooDeep} from './nesting.js';
import {JSON_CHUNK_BYTES} from './json.js';

/** Entries of a large document are parsed together up to about this many bytes. */
const ENTRIES_PART_BYTES = 1024 * 1024;
/** Aliases one document may expand (the YAML library's bound against alias bombs). */
const MAX_ALIAS_COUNT = 1000;

/**
 * YAML 1.1 as go-yaml v2 (kubectl, the API server) reads it into Kubernetes objects:
 * `yes` is a boolean and `0644` octal, but timestamps and `12:30` stay strings.
 */
const YAML_OPTIONS = {
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

function yamlProblem(code: ErrorCode, placement: Placement): string {
  if (code === 'BAD_ALIAS' && placement.pieceOf !== undefined) {
    return `an alias (*name) that refers to no anchor in its part of the document (a document over ${mebibytes(placement.pieceOf)} is read a few list items at a time, and an alias cannot reach an anchor in another item)`;
  }
  return `${YAML_PROBLEMS[code] ?? 'a syntax error'} (${code})`;
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** Where a text parsed on its own sits in the input: its lines, and how deep its root is. */
interface Placement {
  /** The input's line for a line (1-based) of the text. */
  line(textLine: number): number;
  /** Mappings and sequences around the text's root. */
  depth: number;
  /** Set for a piece of a document read in pieces: the size above which documents are read so. */
  pieceOf?: number;
}

/** A document of a text, parsed and checked. */
interface ParsedYaml {
  value: unknown;
  line: number;
  lineOf(path: DocPath): number;
}

/** The documents of one YAML text, each checked as the parser completes it. */
function* parseText(file: string, text: string, placement: Placement): Generator<ParsedYaml> {
  const counter = new LineCounter();
  const lineAt = (offset: number): number => placement.line(counter.linePos(offset).line);
  const parser = new Parser(counter.addNewLine);
  const composer = new Composer(YAML_OPTIONS);
  // Aliases can nest a value deeper than its text, or make it contain itself.
  let aliases = false;
  const checked = (doc: Document.Parsed): ParsedYaml | undefined => {
    const problem = doc.errors[0];
    if (problem) throw new InputError(file, lineAt(problem.pos[0]), `invalid YAML: ${yamlProblem(problem.code, placement)}`);
    const line = lineAt(doc.contents?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT});
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      const alias = unresolvedAlias(doc);
      if (alias !== undefined) throw new InputError(file, lineAt(alias), `invalid YAML: ${yamlProblem('BAD_ALIAS', placement)}`);
      throw new InputError(file, line, `invalid YAML: ${yamlProblem('RESOURCE_EXHAUSTION', placement)}`);
    }
    if (value === null || value === undefined) return undefined; // an empty document between `---` markers
    const lineOf = lineLocator(doc, lineAt, line);
    if (aliases) {
      const found = nestingProblem(value, placement.depth, MAX_NESTING, true);
      if (found === 'cycle') throw new InputError(file, line, 'invalid YAML: an alias that contains itself');
      if (found) throw tooDeep(file, lineOf(found), true);
    }
    return {value, line, lineOf};
  };
  for (const token of parser.parse(text)) {
    // The composer recurses once per level: nesting is bounded before it runs.
    const scanned = scanTokens(token, placement.depth);
    if (scanned.tooDeepAt !== undefined) throw tooDeep(file, lineAt(scanned.tooDeepAt));
    aliases ||= scanned.aliases;
    for (const doc of composer.next(token)) {
      const parsed = checked(doc);
      if (parsed) yield parsed;
    }
  }
  for (const doc of composer.end()) {
    const parsed = checked(doc);
    if (parsed) yield parsed;
  }
}

/** Where the first alias whose anchor is not above it starts, if any. */
function unresolvedAlias(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc)) return undefined;
      found = alias.range?.[0] ?? doc.range[0];
      return visit.BREAK;
    },
  });
  return found;
}

/** Walks a parsed token without recursion: where it first nests too deep, and whether it holds an alias. */
function scanTokens(token: CST.Token, depth: number): {tooDeepAt?: number; aliases: boolean} {
  let aliases = false;
  const stack: Array<[CST.Token, number]> = [[token, depth]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, level] = next;
    if (node.type === 'document') {
      if (node.value) stack.push([node.value, level]);
    } else if (node.type === 'alias') aliases = true;
    else if (node.type === 'block-map' || node.type === 'block-seq' || node.type === 'flow-collection') {
      if (level + 1 > MAX_NESTING) return {tooDeepAt: node.offset, aliases};
      for (const item of node.items) {
        if (item.key) stack.push([item.key, level + 1]);
        if (item.value) stack.push([item.value, level + 1]);
      }
    }
  }
  return {aliases};
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const DASH = 0x2d;
const PERCENT = 0x25;

/** The end of the line starting at `at` (after its newline), at most `end`. */
function nextLine(bytes: Buffer, at: number, end: number): number {
  const newline = bytes.indexOf(NEWLINE, at);
  return newline < 0 || newline >= end ? end : newline + 1;
}

function isLineEnd(bytes: Buffer, at: number, end: number): boolean {
  return at >= end || bytes[at] === NEWLINE || bytes[at] === CARRIAGE_RETURN;
}

function isSeparator(bytes: Buffer, at: number, end: number): boolean {
  return isLineEnd(bytes, at, end) || bytes[at] === SPACE || bytes[at] === TAB;
}

/** True when the rest of the line from `at` holds nothing but spaces and maybe a comment. */
function isBlankFrom(bytes: Buffer, at: number, end: number): boolean {
  while (at < end && (bytes[at] === SPACE || bytes[at] === TAB)) at++;
  return isLineEnd(bytes, at, end) || bytes[at] === HASH;
}

/** `---` at the start of a line: where a YAML document starts. */
function isDocumentStart(bytes: Buffer, at: number, end: number): boolean {
  return bytes[at] === DASH && bytes[at + 1] === DASH && bytes[at + 2] === DASH && isSeparator(bytes, at + 3, end);
}

/** A `- ` sequence entry whose dash is at column `indent`. */
function isEntryAt(bytes: Buffer, at: number, end: number, indent: number): boolean {
  for (let i = 0; i < indent; i++) if (bytes[at + i] !== SPACE) return false;
  return bytes[at + indent] === DASH && isSeparator(bytes, at + indent + 1, end);
}

/** A stretch of the input: bytes [start, end), starting on `line`. */
interface Span {
  start: number;
  end: number;
  line: number;
}

/**
 * The documents of an input, cut before each `---` line (and the directives, `%...`,
 * just above it, which belong to the document it starts), with whether each holds
 * anything but blank lines, comments and markers.
 */
function* documentSpans(bytes: Buffer): Generator<Span & {content: boolean}> {
  let piece = {start: 0, line: 1};
  let content = false;
  let directives: {start: number; line: number} | undefined;
  let line = 1;
  for (let at = 0; at < bytes.length; line++) {
    const next = nextLine(bytes, at, bytes.length);
    if (isDocumentStart(bytes, at, next)) {
      const cut = directives ?? {start: at, line};
      if (cut.start > piece.start) yield {start: piece.start, end: cut.start, line: piece.line, content};
      piece = cut;
      content = directives !== undefined || !isBlankFrom(bytes, at + 3, next);
      directives = undefined;
    } else if (bytes[at] === PERCENT) {
      directives ??= {start: at, line};
      content = true;
    } else if (!isBlankFrom(bytes, at, next)) {
      directives = undefined;
      content = true;
    }
    at = next;
  }
  if (bytes.length > piece.start) yield {start: piece.start, end: bytes.length, line: piece.line, content};
}

/**
 * Every document of a YAML input, parsed and checked as it is asked for; one over
 * `chunk` bytes (JSON's chunk) is read as a list, entry by entry.
 */
export function* yamlDocuments(file: string, bytes: Buffer, chunk = JSON_CHUNK_BYTES): Generator<InputDocument> {
  for (const span of documentSpans(bytes)) {
    if (!span.content) continue;
    if (span.end - span.start <= chunk) {
      for (const parsed of parseText(file, bytes.toString('utf8', span.start, span.end), {line: (l) => span.line + l - 1, depth: 0})) {
        yield {...parsed, cheapLines: true};
      }
    } else yield readLargeDocument(file, bytes, span, chunk);
  }
}

/** How a large document is laid out as a list: the `items:` line, the entries below it, and the parts they are parsed in. */
interface ListLayout {
  /** The end of the `items:` line. */
  itemsLineEnd: number;
  /** Where the entries end and the other top-level keys resume. */
  entriesEnd: number;
  /** Lines the entries span. */
  entriesLines: number;
  /** Consecutive entries parsed together, in order. */
  parts: Array<Span & {entries: number}>;
}

/**
 * Finds the top-level `items:` line of a large document and the `- ` entries below it,
 * grouped into parts; undefined when the document is not laid out as a list.
 */
function listLayout(bytes: Buffer, span: Span, chunk: number): ListLayout | {tooLarge: number} | undefined {
  let line = span.line;
  let at = span.start;
  let sawKey = false;
  // The top-level keys above `items:`.
  for (; ; line++) {
    if (at >= span.end) return undefined;
    const next = nextLine(bytes, at, span.end);
    const first = bytes[at];
    if (isBlankFrom(bytes, at, next) || first === PERCENT) {
      // a comment, a blank line or a directive
    } else if (isDocumentStart(bytes, at, next)) {
      if (sawKey || !isBlankFrom(bytes, at + 3, next)) return undefined; // content on the `---` line
    } else if (first === SPACE || first === TAB) {
      if (!sawKey) return undefined; // the document is not a mapping at column 0
    } else if (/^items:[ \t]*(#.*)?\r?\n?$/.test(bytes.toString('latin1', at, Math.min(next, at + 256)))) {
      at = next;
      line++;
      break;
    } else if (/[-[{&*!|>?'"@`]/.test(String.fromCharCode(first!))) {
      return undefined; // not a plain key: a sequence, a flow collection, an anchor, a scalar
    } else sawKey = true;
    at = next;
  }
  const itemsLineEnd = at;
  const entriesLine = line;
  // The entries: every line down to the next one at column 0 that starts none.
  let indent: number | undefined;
  const parts: ListLayout['parts'] = [];
  let part: (Span & {entries: number}) | undefined;
  let entryStart = -1;
  let entryLine = 0;
  const closeEntry = (end: number): {tooLarge: number} | undefined => {
    if (entryStart < 0) return undefined;
    if (end - entryStart > chunk) return {tooLarge: entryLine};
    if (part && end - part.start > Math.min(ENTRIES_PART_BYTES, chunk) && part.entries > 0) {
      part.end = entryStart;
      parts.push(part);
      part = undefined;
    }
    part ??= {start: entryStart, end, line: entryLine, entries: 0};
    part.entries++;
    part.end = end;
    return undefined;
  };
  for (; at < span.end; line++) {
    const next = nextLine(bytes, at, span.end);
    const first = bytes[at];
    if (indent === undefined && !isBlankFrom(bytes, at, next)) {
      let spaces = 0;
      while (bytes[at + spaces] === SPACE) spaces++;
      if (!isEntryAt(bytes, at, next, spaces)) break; // `items:` holds no block sequence
      indent = spaces;
    }
    if (indent !== undefined && isEntryAt(bytes, at, next, indent)) {
      const problem = closeEntry(at);
      if (problem) return problem;
      entryStart = at;
      entryLine = line;
    } else if (first !== SPACE && first !== TAB && !isBlankFrom(bytes, at, next)) break; // the next top-level key
    at = next;
  }
  const problem = closeEntry(at);
  if (problem) return problem;
  if (part) parts.push(part);
  if (parts.length === 0) return undefined;
  return {itemsLineEnd, entriesEnd: at, entriesLines: line - entriesLine, parts};
}

/**
 * A document over a chunk, read as a list: its other top-level keys parsed together
 * (the entries cut out, line numbers kept), its entries read part by part as the
 * loader asks for them.
 */
function readLargeDocument(file: string, bytes: Buffer, span: Span, chunk: number): InputDocument {
  const layout = listLayout(bytes, span, chunk);
  if (layout === undefined) {
    throw new InputError(
      file,
      span.line,
      `a YAML document over ${mebibytes(chunk)} is read a few list items at a time, which needs it laid out as kubectl writes a list (top-level keys at column 0, then \`items:\` and its \`- \` entries); this one is not, so it cannot be read`,
    );
  }
  if ('tooLarge' in layout) throw new InputError(file, layout.tooLarge, `a single list item over ${mebibytes(chunk)}, too large to read (the API server stores objects of at most 1.5 MiB)`);
  const head = `${bytes.toString('utf8', span.start, layout.itemsLineEnd)}${bytes.toString('utf8', layout.entriesEnd, span.end)}`;
  // Lines of the head past the `items:` line come after the entries in the input.
  let headLines = 1;
  for (let i = span.start; i < layout.itemsLineEnd; i++) if (bytes[i] === NEWLINE) headLines++;
  const placement: Placement = {line: (l) => span.line + l - 1 + (l >= headLines ? layout.entriesLines : 0), depth: 0, pieceOf: chunk};
  const [header, ...more] = parseText(file, head, placement);
  const itemsLine = placement.line(headLines - 1);
  // The parser must see the same top level: one mapping whose `items` is on the line found.
  if (!header || more.length > 0 || !isMapping(header.value) || header.value.items !== null || header.lineOf(['items']) !== itemsLine) {
    throw new InputError(file, span.line, 'a YAML document too large to read whole, whose top level is not one mapping with `items:` at column 0');
  }
  const {items: _entries, ...value} = header.value;
  return {
    value,
    line: header.line,
    lineOf: (path) => (path[0] === 'items' ? layout.parts[0]!.line : header.lineOf(path)),
    cheapLines: true,
    items: listEntries(file, bytes, layout.parts, chunk),
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a large list, one document each, parsed a part at a time. */
function* listEntries(file: string, bytes: Buffer, parts: ListLayout['parts'], chunk: number): Generator<InputDocument> {
  let index = 0;
  for (const part of parts) {
    const placement: Placement = {line: (l) => part.line + l - 1, depth: 1, pieceOf: chunk};
    const [parsed, ...more] = parseText(file, bytes.toString('utf8', part.start, part.end), placement);
    if (!parsed || more.length > 0 || !Array.isArray(parsed.value) || parsed.value.length !== part.entries) {
      throw new InputError(file, part.line, 'list items that cannot be read apart from each other (a document too large to read whole is read a few items at a time)');
    }
    const entries = parsed.value as unknown[];
    for (let k = 0; k < entries.length; k++, index++) {
      const at = index;
      const lineOf = (path: DocPath): number => (path[0] === 'items' && path[1] === at ? parsed.lineOf([k, ...path.slice(2)]) : parsed.lineOf([k]));
      yield {value: entries[k], line: parsed.lineOf([k]), lineOf, cheapLines: true};
    }
  }
}
