/**
 * kubepath snapshot document
 * ==========================
 *
 * One versioned JSON document: the objects by kind, where they came from, what could
 * not be read (coverage gaps) and what was skipped. Serialization is deterministic:
 * objects are sorted, and an offline snapshot carries no clock time, so the same
 * inputs give the same bytes.
 */
import {z} from 'zod';
import {KINDS, type KindKey, type KindSpec} from './kinds.js';
import {SNAPSHOT_API_VERSION, SNAPSHOT_KIND, SNAPSHOT_VERSION} from './schema.js';

/** The objects of a snapshot, a list per kind, each typed by its kind's schema (kinds.ts). */
export type SnapshotObjects = {[K in KindSpec as K['key']]: Array<z.infer<K['schema']>>};

export const coverageGapSchema = z.strictObject({
  kind: z.string(),
  namespace: z.string().optional(),
  // timeout, too-large, continue-loop: a list the collector gave up at one of its bounds (docs/collect.md).
  reason: z.enum(['forbidden', 'not-served', 'error', 'timeout', 'too-large', 'continue-loop']),
  message: z.string(),
});
export type CoverageGap = z.infer<typeof coverageGapSchema>;

export const skippedKindSchema = z.strictObject({apiVersion: z.string(), kind: z.string(), count: z.number().int()});
export type SkippedKind = z.infer<typeof skippedKindSchema>;

export const inputRecordSchema = z.strictObject({path: z.string(), objects: z.number().int()});
export type InputRecord = z.infer<typeof inputRecordSchema>;

export const locationSchema = z.strictObject({file: z.string(), line: z.number().int().optional()});
export type Location = z.infer<typeof locationSchema>;

export const sourceSchema = z.strictObject({
  mode: z.enum(['offline', 'live']),
  inputs: z.array(inputRecordSchema),
  cluster: z.string().optional(),
  context: z.string().optional(),
  server: z.string().optional(),
  /** The API server's gitVersion (`v1.30.4`), when it told us. */
  serverVersion: z.string().optional(),
  collectedAt: z.string().optional(),
});
export type SnapshotSource = z.infer<typeof sourceSchema>;

/** The envelope; the objects inside are checked kind by kind (see load.ts). */
export const snapshotEnvelopeSchema = z.strictObject({
  apiVersion: z.literal(SNAPSHOT_API_VERSION),
  kind: z.literal(SNAPSHOT_KIND),
  version: z.literal(SNAPSHOT_VERSION),
  source: sourceSchema,
  coverage: z.strictObject({gaps: z.array(coverageGapSchema), skipped: z.array(skippedKindSchema)}),
  objects: z.partialRecord(z.enum(KINDS.map((k) => k.key) as [KindKey, ...KindKey[]]), z.array(z.unknown())),
  locations: z.record(z.string(), locationSchema),
});

export interface Snapshot {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: typeof SNAPSHOT_KIND;
  version: typeof SNAPSHOT_VERSION;
  source: SnapshotSource;
  coverage: {gaps: CoverageGap[]; skipped: SkippedKind[]};
  objects: SnapshotObjects;
  /** Where each object was read from, by objectKey, for manifest inputs. */
  locations: Record<string, Location>;
}

/** `Pod/shop/web-0`, `Node/worker-1`: the key of an object within a snapshot. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** The parts of an objectKey: Kubernetes names and kinds hold no `/`, so the key splits back unambiguously. */
export function parseObjectKey(key: string): {kind: string; namespace?: string; name: string} {
  const [kind = '', ...rest] = key.split('/');
  return rest.length === 2 ? {kind, namespace: rest[0]!, name: rest[1]!} : {kind, name: rest.join('/')};
}

/**
 * A snapshot's objects from a list per kind. The one place untyped objects take their
 * kind's type: each list must hold only objects its kind's schema admitted (builder.ts).
 */
export function snapshotObjects(listOf: (spec: KindSpec) => unknown[]): SnapshotObjects {
  const objects: Partial<Record<KindKey, unknown[]>> = {};
  for (const spec of KINDS) objects[spec.key] = listOf(spec);
  return objects as SnapshotObjects;
}

/**
 * Stable JSON in pieces: one object per line, so large snapshots never become one
 * giant string and two snapshots diff line by line. Objects are already sorted.
 */
export function* serializeSnapshot(snapshot: Snapshot): Generator<string> {
  const {objects, locations, ...head} = snapshot;
  const headJson = JSON.stringify(head, null, 1);
  yield `${headJson.slice(0, -2)},\n "objects": {`;
  let firstKind = true;
  for (const {key} of KINDS) {
    const list = objects[key];
    yield `${firstKind ? '' : ','}\n  ${JSON.stringify(key)}: [`;
    firstKind = false;
    for (let i = 0; i < list.length; i++) yield `${i === 0 ? '' : ','}\n   ${JSON.stringify(list[i])}`;
    yield list.length === 0 ? ']' : '\n  ]';
  }
  yield '\n },\n "locations": {';
  const keys = Object.keys(locations).sort();
  for (let i = 0; i < keys.length; i++) {
    yield `${i === 0 ? '' : ','}\n  ${JSON.stringify(keys[i])}: ${JSON.stringify(locations[keys[i]!])}`;
  }
  yield keys.length === 0 ? '}\n}\n' : '\n }\n}\n';
}
