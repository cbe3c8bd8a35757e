/**
 * kubepath YAML documents
 * =======================
 *
 * YAML inputs as bytes, of any size, read as YAML 1.1 as the API server's decoder reads
 * it, one document at a time. The input is cut at its `---` lines first: a document
 * with nothing in it is passed over without parsing, and the others are parsed,
 * checked and handed on one by one, so memory follows the largest document, not the
 * input (20 MB of `---` lines are five million documents). Small documents next to
 * each other are parsed by one parser, 16 KiB at a time: a parser for each of three
 * million tiny documents cost most of the time.
 *
 * A `kubectl get -A -o yaml` of a large cluster is one document larger than the longest
 * string V8 can hold (about 512 MiB). A document over a chunk that opens with `{` or `[`
 * is JSON (kubectl -o json saved as .yaml) and read as JSON is (json.ts); any other is
 * read the way kubectl writes a list: top-level keys at column 0, the `items:` entries
 * as `- ` lines (at column 0, or at any one indentation), parsed a few entries at a
 * time, each piece keeping the line it starts on. What cannot be read that way (an
 * alias to an anchor in another piece, a document that is not such a list) is refused,
 * never misread.
 *
 * Aliases share one value in memory, but every output writes each copy out: the
 * documents of an input that use aliases may expand to at most ten times their own
 * text, plus 1 MiB.
 */
import {Composer, Parser, Schema, visit, type CST, type Document, type ErrorCode, type Tags} from 'yaml';
import {lineLocator, type DocPath, type InputDocument, type Span} from './documents.js';
import {InputError} from './errors.js';
import {MAX_NESTING, nestingProblem, tooDeep} from './nesting.js';
import {JSON_CHUNK_BYTES, jsonDocuments} from './json.js';

/** Entries of a large document are parsed together up to about this many bytes. */
const ENTRIES_PART_BYTES = 1024 * 1024;
/**
 * Small documents next to each other are parsed together up to about this many bytes:
 * one parser serves many tiny documents, yet dies young in V8's heap (2,000 tiny
 * documents allocate about 30 MB while they are parsed, within the 64 MiB young
 * generation bin/run.js asks for). What outlives the young generation is moved to the
 * old one, and there piles up as garbage until a full collection.
 */
const DOCUMENTS_GROUP_BYTES = 16 * 1024;
/** Empty documents between two others that are parsed with them, rather than passed over. */
const MAX_EMPTY_IN_GROUP = 16;
/** Aliases one document may expand (the YAML library's bound against alias bombs). */
const MAX_ALIAS_COUNT = 1000;
/**
 * How far the documents of one input that use aliases may expand: ten times their own
 * text, plus 1 MiB. Manifests written by hand alias labels, a selector or an env list
 * a few times (two to five times their text at most); kubectl never writes aliases.
 */
const ALIAS_EXPANSION_FACTOR = 10;
const ALIAS_EXPANSION_ALLOWANCE = 1024 * 1024;

/**
 * YAML 1.1 as go-yaml v2 (kubectl, the API server) reads it into Kubernetes objects:
 * `yes` is a boolean and `0644` octal, but timestamps and `12:30` stay strings. One
 * schema serves every document (each would otherwise build its own).
 */
const YAML_OPTIONS = {
  version: '1.1',
  uniqueKeys: true,
  prettyErrors: false,
  schema: new Schema({
    schema: 'yaml-1.1',
    resolveKnownTags: false,
    merge: true,
    customTags: (tags: Tags) =>
      tags.filter((tag) => typeof tag === 'string' || (tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp')),
  }),
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

/**
 * The JSON size of a value, each alias counted as the copy every output writes, without
 * writing it: each shared object is measured once. The value nests at most MAX_NESTING
 * deep and contains no cycle (checked before).
 */
function expandedSize(value: unknown, measured = new Map<object, number>()): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object' || value === null) return String(value).length;
  const known = measured.get(value);
  if (known !== undefined) return known;
  let size = 2;
  if (Array.isArray(value)) for (const item of value) size += expandedSize(item, measured) + 1;
  else for (const [key, item] of Object.entries(value)) size += key.length + 4 + expandedSize(item, measured);
  measured.set(value, size);
  return size;
}

/** How much the documents of one input that use aliases have expanded, against their own text. */
class AliasExpansion {
  private text = 0;
  private expanded = 0;

  /** Counts a document that uses aliases; the problem once the input's documents expand past the bound. */
  add(value: unknown, textChars: number): string | undefined {
    const size = expandedSize(value);
    this.text += textChars;
    this.expanded += size;
    if (this.expanded <= ALIAS_EXPANSION_FACTOR * this.text + ALIAS_EXPANSION_ALLOWANCE) return undefined;
    return `aliases expand this document to ${megabytes(size)} from ${megabytes(textChars)} of text, past what kubepath reads (the documents of an input that use aliases may expand to ${ALIAS_EXPANSION_FACTOR} times their text plus ${mebibytes(ALIAS_EXPANSION_ALLOWANCE)}: every output writes each copy out)`;
  }
}

function megabytes(chars: number): string {
  return chars < 100_000 ? `${(chars / 1000).toFixed(1)} kB` : `${(chars / 1_000_000).toFixed(1)} MB`;
}

/**
 * The lines of a text, found as they are asked for: forward from the offset asked last
 * (documents, and the objects in them, are asked for in order), else through an index
 * of line starts built the first time an offset further back is asked for. (The
 * parser's own line counter grows an array with every line, which millions of tiny
 * documents turned into old-generation garbage.)
 */
class TextLines {
  private offset = 0;
  private line = 1;
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** The line (1-based) of an offset. */
  at(offset: number): number {
    if (offset < this.offset) return this.before(offset);
    for (
      let newline = this.text.indexOf('\n', this.offset);
      newline >= 0 && newline < offset;
      newline = this.text.indexOf('\n', newline + 1)
    )
      this.line++;
    this.offset = offset;
    return this.line;
  }

  private before(offset: number): number {
    if (!this.starts) {
      this.starts = [0];
      for (let newline = this.text.indexOf('\n'); newline >= 0; newline = this.text.indexOf('\n', newline + 1))
        this.starts.push(newline + 1);
    }
    // The last line that starts at or before the offset.
    let [low, high] = [0, this.starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}

/** The documents of one YAML text, each checked as the parser completes it. */
function* parseText(file: string, text: string, placement: Placement, expansion: AliasExpansion): Generator<InputDocument> {
  const lines = new TextLines(text);
  const lineAt = (offset: number): number => placement.line(lines.at(offset));
  const parser = new Parser();
  const composer = new Composer(YAML_OPTIONS);
  // Where the documents that hold an alias start: aliases can nest a value deeper than
  // its text, make it contain itself, or multiply its size.
  const aliased = new Set<number>();
  const checked = (doc: Document.Parsed): InputDocument | undefined => {
    const hasAliases = aliased.delete(doc.range[0]);
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
    if (hasAliases) {
      const found = nestingProblem(value, placement.depth, MAX_NESTING, true);
      if (found === 'cycle') throw new InputError(file, line, 'invalid YAML: an alias that contains itself');
      if (found) throw tooDeep(file, lineOf(found), true);
      const expanded = expansion.add(value, doc.range[2] - doc.range[0]);
      if (expanded) throw new InputError(file, line, expanded);
    }
    return {value, line, lineOf, cheapLines: true};
  };
  for (const token of parser.parse(text)) {
    // The composer recurses once per level: nesting is bounded before it runs.
    const scanned = scanTokens(token, placement.depth);
    if (scanned.tooDeepAt !== undefined) throw tooDeep(file, lineAt(scanned.tooDeepAt));
    if (scanned.aliases) aliased.add(token.offset);
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
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

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
 * The stretches of an input to parse: small documents together, up to about
 * DOCUMENTS_GROUP_BYTES (with the few empty ones between them), a document over `chunk`
 * on its own. Other empty documents are passed over, and a document with directives
 * (`%YAML`) starts a stretch, as directives may only open a stream.
 */
function* parseGroups(bytes: Buffer, chunk: number): Generator<Span & {large: boolean}> {
  let group: (Span & {large: boolean}) | undefined;
  let emptyDocuments = 0;
  for (const span of documentSpans(bytes)) {
    if (!span.content) {
      if (group && ++emptyDocuments > MAX_EMPTY_IN_GROUP) {
        yield group;
        group = undefined;
      }
      continue;
    }
    emptyDocuments = 0;
    const large = span.end - span.start > chunk;
    if (group && (large || span.end - group.start > DOCUMENTS_GROUP_BYTES || bytes[span.start] === PERCENT)) {
      yield group;
      group = undefined;
    }
    if (large) yield {start: span.start, end: span.end, line: span.line, large};
    else if (group) group.end = span.end;
    else group = {start: span.start, end: span.end, line: span.line, large};
  }
  if (group) yield group;
}

/**
 * Every document of a YAML input, parsed and checked as it is asked for; one over
 * `chunk` bytes (JSON's chunk) is read as JSON or as a list, entry by entry.
 */
export function* yamlDocuments(file: string, bytes: Buffer, chunk = JSON_CHUNK_BYTES): Generator<InputDocument> {
  const expansion = new AliasExpansion();
  for (const group of parseGroups(bytes, chunk)) {
    if (group.large) {
      yield* largeDocument(file, bytes, group, chunk, expansion);
      continue;
    }
    yield* parseText(file, bytes.toString('utf8', group.start, group.end), {line: (l) => group.line + l - 1, depth: 0}, expansion);
  }
}

/** Where the content of a document starts (past directives, comments and its `---`), if it has any. */
function contentStart(bytes: Buffer, span: Span): {at: number; line: number} | undefined {
  for (let at = span.start, line = span.line; at < span.end; line++) {
    const next = nextLine(bytes, at, span.end);
    let from = isDocumentStart(bytes, at, next) ? at + 3 : bytes[at] === PERCENT ? next : at;
    while (from < next && (bytes[from] === SPACE || bytes[from] === TAB)) from++;
    if (!isBlankFrom(bytes, from, next)) return {at: from, line};
    at = next;
  }
  return undefined;
}

/**
 * A document over a chunk: JSON when it opens with `{` or `[` (as kubectl's decoder
 * decides), else a list read entry by entry. One that is neither is refused; in a folder
 * it is passed over, as a file without Kubernetes objects, when its top level cannot
 * hold a `kind`.
 */
function* largeDocument(file: string, bytes: Buffer, span: Span, chunk: number, expansion: AliasExpansion): Generator<InputDocument> {
  const content = contentStart(bytes, span);
  if (content && (bytes[content.at] === OPEN_BRACE || bytes[content.at] === OPEN_BRACKET)) {
    yield* jsonDocument(file, bytes, {start: content.at, end: span.end, line: content.line}, chunk);
    return;
  }
  const layout = listLayout(bytes, span, chunk);
  if (layout === undefined) {
    const refusal = new InputError(
      file,
      span.line,
      `a YAML document over ${mebibytes(chunk)} is read a few list items at a time, which needs it laid out as kubectl writes a list (top-level keys at column 0, then \`items:\` and its \`- \` entries) or as JSON; this one is neither, so it cannot be read`,
    );
    if (mayHoldKind(bytes, span)) throw refusal;
    yield {value: undefined, unreadable: refusal, line: span.line, lineOf: () => span.line, cheapLines: true};
    return;
  }
  yield readList(file, bytes, span, layout, chunk, expansion);
}

/** The one JSON value of a large YAML document, read by the JSON reader, its problems said to be the document's. */
function* jsonDocument(file: string, bytes: Buffer, span: Span, chunk: number): Generator<InputDocument> {
  let values = 0;
  try {
    for (const doc of jsonDocuments(file, bytes, chunk, span)) {
      if (++values > 1) throw new InputError(file, doc.line, 'a second JSON value in one YAML document');
      yield doc;
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      error.file,
      error.line,
      `${error.detail} (a YAML document over ${mebibytes(chunk)} that opens with { or [ is read as JSON)`,
    );
  }
}

/** Lines at column 0 of a block mapping that are not its keys: comments, blank lines, entries of a sequence under a key. */
const NOT_A_KEY = /^(?:[#\r\n]|-(?:[ \t\r\n]|$)|$)/;
/** Keys at column 0 that are plain and are not `kind` (nor a `<<` merge or a `...` end that could bring one in). */
const NOT_KIND = /^(?!(?:kind|<<)[ \t]*:|\.\.\.)[\w./$-]/;

/**
 * Whether a large document's top level may hold a `kind`, telling from its lines alone:
 * it holds none when it is a block mapping at column 0 (as Helm values are) whose keys,
 * its lines at column 0, are all plain and none is `kind`. Anything else (a sequence,
 * flow, a quoted, aliased or merged key) may.
 */
function mayHoldKind(bytes: Buffer, span: Span): boolean {
  const content = contentStart(bytes, span);
  if (!content || content.at !== lineStart(bytes, content.at) || isEntryAt(bytes, content.at, span.end, 0)) return true;
  for (let at = content.at; at < span.end;) {
    const next = nextLine(bytes, at, span.end);
    if (bytes[at] !== SPACE && bytes[at] !== TAB) {
      const head = bytes.toString('latin1', at, Math.min(next, at + 16));
      if (!NOT_A_KEY.test(head) && !NOT_KIND.test(head)) return true;
    }
    at = next;
  }
  return false;
}

function lineStart(bytes: Buffer, at: number): number {
  return at === 0 ? 0 : bytes.lastIndexOf(NEWLINE, at - 1) + 1;
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
function readList(
  file: string,
  bytes: Buffer,
  span: Span,
  layout: ListLayout | {tooLarge: number},
  chunk: number,
  expansion: AliasExpansion,
): InputDocument {
  if ('tooLarge' in layout)
    throw new InputError(
      file,
      layout.tooLarge,
      `a single list item over ${mebibytes(chunk)}, too large to read (the API server stores objects of at most 1.5 MiB)`,
    );
  const head = `${bytes.toString('utf8', span.start, layout.itemsLineEnd)}${bytes.toString('utf8', layout.entriesEnd, span.end)}`;
  // Lines of the head past the `items:` line come after the entries in the input.
  let headLines = 1;
  for (let i = span.start; i < layout.itemsLineEnd; i++) if (bytes[i] === NEWLINE) headLines++;
  const placement: Placement = {line: (l) => span.line + l - 1 + (l >= headLines ? layout.entriesLines : 0), depth: 0, pieceOf: chunk};
  const [header, ...more] = parseText(file, head, placement, expansion);
  const itemsLine = placement.line(headLines - 1);
  // The parser must see the same top level: one mapping whose `items` is on the line found.
  if (!header || more.length > 0 || !isMapping(header.value) || header.value.items !== null || header.lineOf(['items']) !== itemsLine) {
    throw new InputError(
      file,
      span.line,
      'a YAML document too large to read whole, whose top level is not one mapping with `items:` at column 0',
    );
  }
  const {items: _entries, ...value} = header.value;
  return {
    value,
    line: header.line,
    lineOf: (path) => (path[0] === 'items' ? layout.parts[0]!.line : header.lineOf(path)),
    cheapLines: true,
    items: listEntries(file, bytes, layout.parts, chunk, expansion),
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a large list, one document each, parsed a part at a time. */
function* listEntries(
  file: string,
  bytes: Buffer,
  parts: ListLayout['parts'],
  chunk: number,
  expansion: AliasExpansion,
): Generator<InputDocument> {
  let index = 0;
  for (const part of parts) {
    const placement: Placement = {line: (l) => part.line + l - 1, depth: 1, pieceOf: chunk};
    const [parsed, ...more] = parseText(file, bytes.toString('utf8', part.start, part.end), placement, expansion);
    if (!parsed || more.length > 0 || !Array.isArray(parsed.value) || parsed.value.length !== part.entries) {
      throw new InputError(
        file,
        part.line,
        'list items that cannot be read apart from each other (a document too large to read whole is read a few items at a time)',
      );
    }
    const entries = parsed.value as unknown[];
    for (let k = 0; k < entries.length; k++, index++) {
      const at = index;
      const lineOf = (path: DocPath): number =>
        path[0] === 'items' && path[1] === at ? parsed.lineOf([k, ...path.slice(2)]) : parsed.lineOf([k]);
      yield {value: entries[k], line: parsed.lineOf([k]), lineOf, cheapLines: true};
    }
  }
}
