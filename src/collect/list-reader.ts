/**
 * kubepath list answers, item by item
 * ===================================
 *
 * A list answer is one JSON object, `{"kind":...,"metadata":{...},"items":[...]}`, which
 * can be as large as the list's byte bound: a server that ignores `limit`, the
 * whole-list read after expired continue tokens, or a hostile server with 80 million
 * empty items in 240 MB. Parsed whole, it is held three times (bytes, string, objects)
 * by one synchronous JSON.parse that no deadline can cut, and tiny items take some 15
 * times their bytes. So the answer is scanned as its bytes arrive, and each item is
 * parsed on its own once it is complete: an item past the list's object bound ends the
 * list before it is read, no item (nor any other member) may be larger than
 * MAX_OBJECT_BYTES, and between chunks the list's deadline can fire. Memory holds what
 * the caller keeps of the items and the one item under way.
 *
 * The scan needs no full JSON grammar: it finds where each value ends (quotes and
 * backslashes are ASCII, so UTF-8 is scanned as bytes, strings crossed with the native
 * indexOf), and JSON.parse checks each value it cuts out.
 */
import type {ListBudget} from './bounds.js';
import {BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, isSpace, OPEN_BRACE, OPEN_BRACKET, QUOTE} from '../snapshot/json.js';

type Json = Record<string, unknown>;

/** What the caller does with a list's items, one reader (one answer) at a time. */
export interface ItemSink {
  /** The members that came before `items` (kind, apiVersion, metadata, as the API server writes them); may throw to refuse the answer unread. */
  begin(members: Json): void;
  /** Each item, parsed, in order. */
  item(value: unknown): void;
}

/** Where the reader is in `{"key": value, ..., "items": [item, ...], ...}`; `value` and `item` wait for a value's first byte. */
type Place = 'start' | 'key' | 'next-key' | 'colon' | 'value' | 'after-value' | 'items' | 'first-item' | 'item' | 'after-item' | 'end';

/** A value whose bytes are arriving: what is needed to find its end, and its bytes so far. */
interface Scan {
  parts: Buffer[];
  bytes: number;
  depth: number;
  inString: boolean;
  /** Backslashes just before where the string goes on in the next chunk. */
  backslashes: number;
  /** What the value is: a member name, a member's value, an item. */
  role: 'key' | 'member' | 'item';
}

/** Reads one list answer as its chunks arrive; `end` says what it held besides the items, which went to `sink`. */
export class ListReader {
  private place: Place = 'start';
  private scan: Scan | undefined;
  private key = '';
  private readonly members = new Map<string, unknown>();
  private items = -1;

  constructor(
    private readonly sink: ItemSink,
    private readonly budget: ListBudget,
    /** The error for an answer that is not a JSON list (`why` says what is wrong). */
    private readonly malformed: (why: string) => Error,
  ) {}

  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.scan) {
        const end = this.scanTo(chunk, at, this.scan);
        this.keep(chunk.subarray(at, end < 0 ? chunk.length : end));
        if (end < 0) return;
        at = end;
        this.complete();
        continue;
      }
      const byte = chunk[at]!;
      if (isSpace(byte)) {
        at++;
        continue;
      }
      if (this.structure(byte) === 'moved') {
        at++;
        continue;
      }
      const role = this.place === 'item' ? 'item' : this.place === 'value' ? 'member' : 'key';
      if (role === 'item') this.budget.item(this.items + 1);
      this.scan = {parts: [], bytes: 0, depth: 0, inString: false, backslashes: 0, role};
    }
  }

  /** The list's members but its items, and how many items it had; throws when the answer is incomplete or not a list. */
  end(): {list: Json; items: number} {
    if (this.place !== 'end')
      throw this.malformed(
        this.place === 'start' ? "the API server's answer is empty" : "the API server's answer ends before its JSON does",
      );
    if (this.items < 0) throw this.malformed("the API server's answer is not a list (it has no items)");
    return {list: Object.fromEntries(this.members), items: this.items};
  }

  /**
   * Takes a byte between values (a bracket, a brace, a colon, a comma) and moves on
   * ('moved'), or says that a value starts here ('value'); throws on anything else.
   */
  private structure(byte: number): 'value' | 'moved' {
    const unexpected = (): Error => this.malformed(`the API server's answer is not JSON (unexpected '${String.fromCharCode(byte)}')`);
    const move = (to: Place): 'moved' => {
      this.place = to;
      return 'moved';
    };
    switch (this.place) {
      case 'start':
        if (byte !== OPEN_BRACE) throw this.malformed("the API server's answer is not a JSON object");
        return move('key');
      case 'key':
      case 'next-key':
        if (byte === QUOTE) return 'value';
        if (byte === CLOSE_BRACE && this.place === 'key') return move('end');
        throw unexpected();
      case 'colon':
        if (byte !== COLON) throw unexpected();
        if (this.key !== 'items') return move('value');
        if (this.items >= 0 || this.members.has('items')) throw this.malformed("the API server's answer has items twice");
        return move('items');
      case 'items':
        if (byte !== OPEN_BRACKET) {
          this.place = 'value'; // not an array: `end` will say the answer has no items
          return 'value';
        }
        this.items = 0;
        this.sink.begin(Object.fromEntries(this.members));
        return move('first-item');
      case 'first-item':
        if (byte === CLOSE_BRACKET) return move('after-value');
        this.place = 'item';
        return 'value';
      case 'item':
      case 'value':
        return 'value';
      case 'after-item':
        if (byte === COMMA) return move('item');
        if (byte === CLOSE_BRACKET) return move('after-value');
        throw unexpected();
      case 'after-value':
        if (byte === COMMA) return move('next-key');
        if (byte === CLOSE_BRACE) return move('end');
        throw unexpected();
      case 'end':
        throw this.malformed("the API server's answer goes on after its JSON ends");
    }
  }

  /** Keeps the next bytes of the value under way, up to MAX_OBJECT_BYTES. */
  private keep(bytes: Buffer): void {
    const scan = this.scan!;
    scan.bytes += bytes.length;
    this.budget.objectBytes(scan.bytes);
    scan.parts.push(bytes);
  }

  /** The value under way is complete: parses it and passes it on. */
  private complete(): void {
    const {parts, role} = this.scan!;
    this.scan = undefined;
    let value: unknown;
    try {
      value = JSON.parse((parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8'));
    } catch (error) {
      throw this.malformed(`the API server's answer is not JSON (${(error as Error).message})`);
    }
    if (role === 'key') {
      this.key = value as string;
      this.place = 'colon';
    } else if (role === 'member') {
      this.members.set(this.key, value);
      this.place = 'after-value';
    } else {
      this.items++;
      this.sink.item(value);
      this.place = 'after-item';
    }
  }

  /** Where the value under way ends in `chunk` (exclusive), scanning from `at`; -1 when it goes on in the next chunk. */
  private scanTo(chunk: Buffer, at: number, scan: Scan): number {
    let i = at;
    while (i < chunk.length) {
      if (scan.inString) {
        const quote = closingQuote(chunk, i, scan);
        if (quote < 0) return -1;
        scan.inString = false;
        i = quote + 1;
        if (scan.depth === 0) return i;
        continue;
      }
      const byte = chunk[i]!;
      if (byte === QUOTE) {
        scan.inString = true;
        scan.backslashes = 0;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        scan.depth++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (scan.depth === 0) return i;
        if (--scan.depth === 0) return i + 1;
      } else if (scan.depth === 0 && (byte === COMMA || isSpace(byte))) {
        return i;
      }
      i++;
    }
    return -1;
  }
}

/**
 * The quote that ends the string under way, searching `chunk` from `at`, or -1; a quote
 * after an odd run of backslashes is escaped (a run may begin in the previous chunk,
 * and one this chunk ends with is carried to the next).
 */
function closingQuote(chunk: Buffer, at: number, scan: Scan): number {
  const runBefore = (end: number): number => {
    let run = 0;
    while (end - run - 1 >= at && chunk[end - run - 1] === BACKSLASH) run++;
    return end - run === at ? run + scan.backslashes : run;
  };
  for (let quote = chunk.indexOf(QUOTE, at); quote >= 0; quote = chunk.indexOf(QUOTE, quote + 1)) {
    if (runBefore(quote) % 2 === 0) return quote;
  }
  scan.backslashes = runBefore(chunk.length);
  return -1;
}
