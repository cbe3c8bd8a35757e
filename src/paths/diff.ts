/**
 * kubepath diff
 * =============
 *
 * What a change does to the attack paths: the findings of BEFORE and AFTER compared
 * by id (category and root cause, findings.ts). A finding only one side reports counts
 * as added or removed only if its path does not hold on the other side at all (search
 * keeps the cheapest paths, so a cheaper new path can push an old one out of the list
 * without removing it); paths are counted the same way. Each added or removed finding
 * is attributed to the objects that changed: those its
 * paths' evidence names, else changed objects in the namespaces its paths cross (a
 * deleted NetworkPolicy is named by no evidence of the reach it opens) and changed
 * cluster-scoped RBAC objects.
 */
import {namespaceOfId} from '../graph/ids.js';
import type {Snapshot} from '../snapshot/snapshot.js';
import {KINDS} from '../snapshot/kinds.js';
import type {ObjectMeta} from '../snapshot/schema.js';
import {objectKey, parseObjectKey} from '../snapshot/snapshot.js';
import {canonicalJson, compareStrings} from '../util/order.js';
import type {Finding} from './findings.js';
import type {AttackPath} from './search.js';

export type Change = 'added' | 'removed' | 'changed';

export interface ChangedObject {
  object: string;
  change: Change;
}

export interface FindingChange {
  finding: Finding;
  /** The changed objects it is attributed to, sorted. */
  changedObjects: ChangedObject[];
}

export interface FindingsDiff {
  added: FindingChange[];
  removed: FindingChange[];
  /** Findings in both whose severity moved. */
  severityChanged: Array<{id: string; before: Finding['severity']; after: Finding['severity']}>;
  paths: {added: number; removed: number};
}

/** Metadata that changes without changing what an object allows. */
const VOLATILE = ['resourceVersion', 'uid', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];

/** Each object by key, as canonical JSON without its status and volatile metadata. */
function objectsOf(snapshot: Snapshot): Map<string, string> {
  const objects = new Map<string, string>();
  for (const spec of KINDS) {
    const list: ReadonlyArray<{metadata: ObjectMeta; status?: unknown}> = snapshot.objects[spec.key];
    for (const object of list) {
      const {status: _status, metadata, ...rest} = object;
      const kept = Object.fromEntries(Object.entries(metadata).filter(([key]) => !VOLATILE.includes(key)));
      objects.set(objectKey(spec.kind, metadata.namespace, metadata.name), canonicalJson({...rest, metadata: kept}));
    }
  }
  return objects;
}

/** Objects added, removed or changed from one snapshot to the other, by key. */
export function changedObjects(before: Snapshot, after: Snapshot): Map<string, Change> {
  const [old, now] = [objectsOf(before), objectsOf(after)];
  const changed = new Map<string, Change>();
  for (const [key, text] of now) {
    const was = old.get(key);
    if (was === undefined) changed.set(key, 'added');
    else if (was !== text) changed.set(key, 'changed');
  }
  for (const key of old.keys()) if (!now.has(key)) changed.set(key, 'removed');
  return changed;
}

const pathKey = (path: AttackPath): string => [path.source, ...path.steps.map((s) => `${s.attributes.technique} ${s.to}`)].join(' | ');
const RBAC_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding']);

function attribute(finding: Finding, changed: ReadonlyMap<string, Change>): ChangedObject[] {
  const named = new Set(
    finding.allPaths.flatMap((path) => path.steps.flatMap((step) => step.attributes.evidence.map((item) => item.object))),
  );
  let objects = [...named].filter((object) => changed.has(object));
  if (objects.length === 0) {
    const namespaces = new Set(
      finding.allPaths.flatMap((path) => [path.source, ...path.steps.map((s) => s.to)]).flatMap((node) => namespaceOfId(node) ?? []),
    );
    objects = [...changed.keys()].filter((key) => {
      const {kind, namespace} = parseObjectKey(key);
      return RBAC_KINDS.has(kind) || (namespace !== undefined && namespaces.has(namespace));
    });
  }
  return objects.sort(compareStrings).map((object) => ({object, change: changed.get(object)!}));
}

/** Whether every step of a path holds on one side (AttackMoves.hasStep). */
export type PathHolds = (path: AttackPath) => boolean;

export function diffFindings(
  before: readonly Finding[],
  after: readonly Finding[],
  changed: ReadonlyMap<string, Change>,
  holds: {before: PathHolds; after: PathHolds},
): FindingsDiff {
  const [old, now] = [new Map(before.map((f) => [f.id, f])), new Map(after.map((f) => [f.id, f]))];
  const unique = (findings: readonly Finding[]) => [
    ...new Map(findings.flatMap((f) => f.allPaths.map((path) => [pathKey(path), path] as const))).values(),
  ];
  return {
    added: after
      .filter((f) => !old.has(f.id) && !holds.before(f.path))
      .map((finding) => ({finding, changedObjects: attribute(finding, changed)})),
    removed: before
      .filter((f) => !now.has(f.id) && !holds.after(f.path))
      .map((finding) => ({finding, changedObjects: attribute(finding, changed)})),
    severityChanged: after.flatMap((f) => {
      const was = old.get(f.id);
      return was && was.severity !== f.severity ? [{id: f.id, before: was.severity, after: f.severity}] : [];
    }),
    paths: {
      added: unique(after).filter((path) => !holds.before(path)).length,
      removed: unique(before).filter((path) => !holds.after(path)).length,
    },
  };
}

/** A PathHolds over one side's moves. */
export function pathHolds(moves: {hasStep(from: string, to: string, technique: string): boolean}): PathHolds {
  return (path) => path.steps.every((step) => moves.hasStep(step.from, step.to, step.attributes.technique));
}
