/**
 * kubepath snapshot builder
 * =========================
 *
 * Where every object enters a snapshot, whether it was read from a file (load.ts)
 * or listed from a live API server (src/collect): `admitObject` redacts it, fills in
 * what the API server would (a namespace, a generated name) and checks it against
 * its kind's schema and the nesting bound; `SnapshotBuilder` keeps the objects by key
 * and builds one sorted snapshot with its coverage (skipped kinds, gaps).
 */
import {KINDS, type KindSpec} from './kinds.js';
import {MAX_OBJECT_NESTING, nestingProblem, tooDeepDetail} from './nesting.js';
import {isRecord, redactObject} from './redact.js';
import {SNAPSHOT_API_VERSION, SNAPSHOT_KIND, SNAPSHOT_VERSION} from './schema.js';
import {compareStrings} from '../util/order.js';
import {
  objectKey,
  snapshotObjects,
  type CoverageGap,
  type InputRecord,
  type Location,
  type Snapshot,
  type SnapshotSource,
} from './snapshot.js';

type Json = Record<string, unknown>;
const MAX_DUPLICATE_WARNINGS = 10;

/** `spec.containers[1].image`: a path inside an object, as users write it. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${String(part)}`;
  return text;
}

/** `Pod shop/web-0`, `ClusterRole admin`: an object named in a message. */
export function describe(kind: string, metadata: unknown): string {
  const meta = isRecord(metadata) ? metadata : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : '(unnamed)';
  return typeof meta.namespace === 'string' ? `${kind} ${meta.namespace}/${name}` : `${kind} ${name}`;
}

/** What is wrong with an object: where inside it, and what. */
export interface ObjectProblem {
  at: Array<string | number>;
  detail: string;
}

/**
 * The object as the snapshot may hold it (redacted, namespace and name filled in),
 * or the first thing its kind's schema refuses. The input is not modified.
 */
export function admitObject(spec: KindSpec, raw: Json): {object: Json} | {problem: ObjectProblem; metadata: unknown} {
  const object = redactObject(raw);
  if (isRecord(object.metadata) && !object.metadata.name && typeof object.metadata.generateName === 'string') {
    // `kubectl create` objects: the API server would add a random suffix; the prefix stands for it.
    object.metadata = {...object.metadata, name: object.metadata.generateName};
  }
  if (isRecord(object.metadata)) {
    const namespace = object.metadata.namespace;
    if (spec.namespaced && (namespace === undefined || namespace === null || namespace === '')) {
      // As `kubectl apply` without -n: a manifest without a namespace lands in `default`.
      object.metadata = {...object.metadata, namespace: 'default'};
    } else if (!spec.namespaced && namespace !== undefined) {
      const {namespace: _ignored, ...rest} = object.metadata;
      object.metadata = rest;
    }
  }
  const checked = spec.schema.safeParse(object);
  if (checked.success) {
    // Kept objects are serialized (JSON.stringify recurses): deep ones are refused, from files and live alike.
    const tooDeep = nestingProblem(object, 0, MAX_OBJECT_NESTING);
    if (tooDeep) return {problem: {at: tooDeep, detail: tooDeepDetail(MAX_OBJECT_NESTING)}, metadata: object.metadata};
    return {object}; // as read: zod's copy adds nothing and would double the memory
  }
  const issue = checked.error.issues[0]!;
  const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const detail = issue.message
    .replace(/^Invalid input: (expected \w+), received undefined$/, 'missing ($1)')
    .replace(/^Invalid input: /, '');
  return {problem: {at, detail}, metadata: object.metadata};
}

/** Accumulates objects from every input, then builds one sorted snapshot. */
export class SnapshotBuilder {
  private readonly byKind = new Map<string, Map<string, unknown>>(KINDS.map((k) => [k.kind, new Map()]));
  private readonly locations = new Map<string, Location>();
  private readonly skipped = new Map<string, number>();
  private readonly gaps = new Map<string, CoverageGap>();
  readonly inputs: InputRecord[] = [];
  readonly warnings: string[] = [];
  /** The source recorded in a saved snapshot, kept when that snapshot is the only input. */
  savedSource: SnapshotSource | undefined;
  /** Set by the live collector: the cluster the objects were listed from. */
  liveSource: SnapshotSource | undefined;
  private duplicates = 0;

  /** Keeps an admitted object; `location` is where a file held it (live objects have none). */
  add(spec: KindSpec, object: Json, location?: Location): void {
    const metadata = object.metadata as {name: string; namespace?: string};
    const key = objectKey(spec.kind, metadata.namespace, metadata.name);
    const objects = this.byKind.get(spec.kind)!;
    if (objects.has(key) && ++this.duplicates <= MAX_DUPLICATE_WARNINGS) {
      const first = this.locations.get(key);
      const where = first ? ` (first in ${first.file}${first.line ? `:${first.line}` : ''})` : '';
      const here = location ? `${location.file}${location.line ? `:${location.line}` : ''}: ` : '';
      this.warnings.push(`${here}${describe(spec.kind, metadata)} appears again${where}; the later one is used`);
    }
    objects.set(key, object);
    if (location) this.locations.set(key, location);
  }

  skip(apiVersion: string, kind: string, count = 1): void {
    const key = `${apiVersion}\u0000${kind}`;
    this.skipped.set(key, (this.skipped.get(key) ?? 0) + count);
  }

  gap(gap: CoverageGap): void {
    this.gaps.set(`${gap.kind}\u0000${gap.namespace ?? ''}\u0000${gap.reason}`, gap);
  }

  build(): Snapshot {
    if (this.duplicates > MAX_DUPLICATE_WARNINGS) {
      this.warnings.push(`${this.duplicates - MAX_DUPLICATE_WARNINGS} more objects appear more than once; the later one is used each time`);
    }
    const objects = snapshotObjects((spec) =>
      [...this.byKind.get(spec.kind)!.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, object]) => object),
    );
    const locations: Record<string, Location> = {};
    for (const key of [...this.locations.keys()].sort()) locations[key] = this.locations.get(key)!;
    const skipped = [...this.skipped.entries()]
      .map(([key, count]) => {
        const [apiVersion, kind] = key.split('\u0000') as [string, string];
        return {apiVersion, kind, count};
      })
      .sort((a, b) => (a.kind === b.kind ? compareStrings(a.apiVersion, b.apiVersion) : compareStrings(a.kind, b.kind)));
    const gaps = [...this.gaps.values()].sort((a, b) => compareStrings(`${a.kind}/${a.namespace ?? ''}`, `${b.kind}/${b.namespace ?? ''}`));
    const source: SnapshotSource =
      this.liveSource ?? (this.savedSource && this.inputs.length === 1 ? this.savedSource : {mode: 'offline', inputs: this.inputs});
    return {
      apiVersion: SNAPSHOT_API_VERSION,
      kind: SNAPSHOT_KIND,
      version: SNAPSHOT_VERSION,
      source,
      coverage: {gaps, skipped},
      objects,
      locations,
    };
  }
}
