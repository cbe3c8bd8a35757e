/**
 * kubepath list bounds
 * ====================
 *
 * What one list may cost before the collector gives it up: a deadline for the whole
 * list (every page, retry and restart, and each answer still arriving), and caps on
 * its pages, objects and bytes, and on the size of any one object in it. Without them
 * a server that hands back a continue token twice, hands out fresh ones forever,
 * trickles its answer, keeps throttling or sends millions of items in one page holds
 * the collection forever, or exhausts its memory. A bound hit ends the list with an
 * ApiError whose failure is the coverage gap's reason (`timeout`, `too-large`,
 * `continue-loop`) and whose message names the bound and the flag that raises it. The
 * same deadline bounds /version and discovery, and the whole collection has one of its
 * own: each list ends at whichever of the two comes first.
 */
import {createHash} from 'node:crypto';
import {ApiError} from './api-client.js';
import {UsageError} from '../snapshot/errors.js';

export interface ListBounds {
  /** The whole collection: /version, discovery and every list. */
  collectTimeoutMs: number;
  /** The whole list, every page, retry and restart included. */
  timeoutMs: number;
  maxPages: number;
  maxObjects: number;
  /** Bytes of every answer of the list, as they arrive. */
  maxBytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Far beyond a 150,000-pod cluster (its largest list in the bench, pods: 150,000 objects
 * in 300 pages of 500, about 270 MB, read in seconds; the whole collection in about 17 s;
 * docs/collect.md), near enough to end a list, or a collection, that never would.
 */
export const DEFAULT_LIST_BOUNDS: ListBounds = {
  collectTimeoutMs: 900_000,
  timeoutMs: 600_000,
  maxPages: 10_000,
  maxObjects: 1_000_000,
  maxBytes: 4 * GiB,
};

/**
 * The most bytes one object (an item of a list, or any other answer) may take as JSON.
 * etcd stores at most 1.5 MiB a value unless told otherwise, so no real object comes
 * near; parsed, a hostile one of tiny values may take some 15 times its size.
 */
export const MAX_OBJECT_BYTES = 16 * MiB;

/** The flag that raises each bound, named where one is hit. */
export const BOUND_FLAGS: Readonly<Record<keyof ListBounds, string>> = {
  collectTimeoutMs: '--collect-timeout',
  timeoutMs: '--list-timeout',
  maxPages: '--max-list-pages',
  maxObjects: '--max-list-objects',
  maxBytes: '--max-list-bytes',
};

/** The failures a bound hit ends a list with; each is also the reason of the gap left. */
export const BOUND_FAILURES = ['timeout', 'too-large', 'continue-loop'] as const;
export type BoundFailure = (typeof BOUND_FAILURES)[number];

const DURATION_UNITS: Record<string, number> = {'': 1000, s: 1000, m: 60_000, h: 3_600_000};
const SIZE_UNITS: Record<string, number> = {'': 1, Ki: KiB, KiB, Mi: MiB, MiB, Gi: GiB, GiB};

/** A positive whole number with one of `units` (by its multiplier); a UsageError naming the flag otherwise. */
function quantity(flag: string, text: string, units: Record<string, number>, expected: string): number {
  const match = /^(\d+)([A-Za-z]*)$/.exec(text.trim());
  const unit = match ? units[match[2]!] : undefined;
  const value = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} ${text}: expected ${expected}`);
  return value;
}

/** The live commands' flags for the bounds, as given. */
export interface ListBoundFlags {
  'collect-timeout'?: string | undefined;
  'list-timeout'?: string | undefined;
  'max-list-pages'?: number | undefined;
  'max-list-objects'?: number | undefined;
  'max-list-bytes'?: string | undefined;
}

/** The bounds the flags set, the others at their defaults. A time is seconds or has a unit (`90s`, `10m`, `1h`); a size is bytes or has one (`512Mi`, `4GiB`). */
export function listBoundsOf(flags: ListBoundFlags): ListBounds {
  const duration = (bound: 'collectTimeoutMs' | 'timeoutMs', text: string | undefined): number =>
    text === undefined
      ? DEFAULT_LIST_BOUNDS[bound]
      : quantity(BOUND_FLAGS[bound], text, DURATION_UNITS, 'a positive number of seconds, or of s, m or h (90s, 10m)');
  const bytes = flags['max-list-bytes'];
  return {
    collectTimeoutMs: duration('collectTimeoutMs', flags['collect-timeout']),
    timeoutMs: duration('timeoutMs', flags['list-timeout']),
    maxPages: flags['max-list-pages'] ?? DEFAULT_LIST_BOUNDS.maxPages,
    maxObjects: flags['max-list-objects'] ?? DEFAULT_LIST_BOUNDS.maxObjects,
    maxBytes:
      bytes === undefined
        ? DEFAULT_LIST_BOUNDS.maxBytes
        : quantity(BOUND_FLAGS.maxBytes, bytes, SIZE_UNITS, 'a positive number of bytes, or of Ki, Mi or Gi (512Mi, 4Gi)'),
  };
}

export const formatDuration = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ] as const)
    if (bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/**
 * What one list has spent of its bounds; the collector, the API client and the list
 * reader count into it, and it throws the error that ends the list.
 */
export class ListBudget {
  private readonly deadline: number;
  private pages = 0;
  private objects = 0;
  private bytes = 0;
  /** Digests of the continue tokens handed out so far (a hostile token may be long). */
  private readonly tokens = new Set<string>();

  constructor(
    private readonly bounds: ListBounds,
    /** `the list of pods in namespace shop`, for messages. */
    readonly what: string,
    /** When the whole collection must end (ms since 1970). */
    private readonly collectionDeadline: number,
  ) {
    this.deadline = Date.now() + bounds.timeoutMs;
  }

  /** Time left before the nearer deadline, the list's or the collection's. */
  remainingMs(): number {
    return Math.min(this.deadline, this.collectionDeadline) - Date.now();
  }

  /** The list read again from its start (its continue token expired): the counts start again, the clock does not. */
  restart(): void {
    this.pages = 0;
    this.objects = 0;
    this.bytes = 0;
    this.tokens.clear();
  }

  /** The error that ends the list when its time (or the collection's) is up; `why` says what was under way. */
  timeout(why: string): ApiError {
    const deadline =
      this.collectionDeadline < this.deadline
        ? `the collection's deadline, ${formatDuration(this.bounds.collectTimeoutMs)} (${BOUND_FLAGS.collectTimeoutMs}`
        : `its deadline, ${formatDuration(this.bounds.timeoutMs)} (${BOUND_FLAGS.timeoutMs}`;
    return new ApiError('timeout', undefined, `${this.what} was cut off at ${deadline} raises it): ${why}`);
  }

  /** Counts the bytes of an answer as they arrive. */
  received(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.bounds.maxBytes) throw this.tooLarge(`is larger than ${formatSize(this.bounds.maxBytes)}`, 'maxBytes');
  }

  /** Checks the `count`th item of the page under way before it is read: throws when the list would hold more objects than its bound. */
  item(count: number): void {
    if (this.objects + count > this.bounds.maxObjects)
      throw this.tooLarge(`has more than ${this.bounds.maxObjects.toLocaleString('en-US')} objects`, 'maxObjects');
  }

  /** Checks the size of one object (or value) still arriving: no object may be larger than MAX_OBJECT_BYTES. */
  objectBytes(bytes: number): void {
    if (bytes > MAX_OBJECT_BYTES) {
      throw new ApiError(
        'too-large',
        undefined,
        `${this.what} holds an object larger than ${formatSize(MAX_OBJECT_BYTES)}, which no API server stores (etcd's own limit is 1.5 MiB unless raised)`,
      );
    }
  }

  /** Counts a page and the continue token it hands back (undefined on the last page); throws when the list must stop here. */
  page(items: number, token: string | undefined): void {
    this.pages++;
    this.item(items);
    this.objects += items;
    if (token === undefined) return;
    if (this.pages >= this.bounds.maxPages)
      throw this.tooLarge(`has more than ${this.bounds.maxPages.toLocaleString('en-US')} pages`, 'maxPages');
    const digest = createHash('sha256').update(token).digest('base64');
    if (this.tokens.has(digest)) {
      throw new ApiError(
        'continue-loop',
        undefined,
        `${this.what} would never end: page ${this.pages} hands back a continue token the API server already gave in this list`,
      );
    }
    this.tokens.add(digest);
  }

  private tooLarge(what: string, bound: keyof ListBounds): ApiError {
    return new ApiError('too-large', undefined, `${this.what} ${what} (${BOUND_FLAGS[bound]} raises it)`);
  }
}
