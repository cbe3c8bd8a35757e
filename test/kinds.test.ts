/**
 * The input kinds table (src/snapshot/kinds.ts): one row per kind, from which the
 * snapshot's fields, the collector's lists and the coverage notes are all read. The
 * types make every row give each of those; this checks what types cannot: that rows
 * do not collide, that each row's schema is its own kind's, and that the docs list
 * what the collector asks for.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {LIST_RESOURCES} from '../src/collect/resources.js';
import {gapNote} from '../src/paths/coverage.js';
import {SnapshotBuilder} from '../src/snapshot/builder.js';
import {KINDS, kindNamed} from '../src/snapshot/kinds.js';
import {objectKey, parseObjectKey} from '../src/snapshot/snapshot.js';
import {ROOT} from './helpers/cli.js';

const distinct = (values: readonly string[]): string[] => [...new Set(values)];

describe('KINDS', () => {
  it('names each kind, snapshot field and served resource once', () => {
    expect(distinct(KINDS.map((k) => k.kind))).toHaveLength(KINDS.length);
    expect(distinct(KINDS.map((k) => k.key))).toHaveLength(KINDS.length);
    expect(distinct(KINDS.map((k) => `${k.groups[0]}/${k.served.resource}`))).toHaveLength(KINDS.length);
    for (const spec of KINDS) expect(kindNamed(spec.kind)).toBe(spec);
  });

  it("pairs each kind with its own schema, which refuses every other kind's objects", () => {
    for (const spec of KINDS) {
      const kindIssues = (kind: string) =>
        (spec.schema.safeParse({kind}).error?.issues ?? []).filter((issue) => issue.path.join('.') === 'kind');
      expect(kindIssues(spec.kind), spec.kind).toEqual([]);
      for (const other of KINDS) if (other !== spec) expect(kindIssues(other.kind), `${spec.kind} schema on ${other.kind}`).not.toEqual([]);
    }
  });

  it('gives every kind a field of a snapshot, a list for the collector and its own coverage note', () => {
    const snapshot = new SnapshotBuilder().build();
    expect(Object.keys(snapshot.objects)).toEqual(KINDS.map((k) => k.key));
    expect(LIST_RESOURCES.map((r) => r.spec)).toEqual([...KINDS]);
    for (const spec of KINDS) {
      expect(spec.hides, spec.kind).toMatch(/^[a-z].*[a-z)]$/);
      expect(gapNote({kind: spec.kind, reason: 'forbidden', message: ''}).effect).toBe(spec.hides);
    }
  });

  it("matches docs/collect.md's table of what the collector lists", () => {
    const doc = readFileSync(join(ROOT, 'docs', 'collect.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## What it lists'), doc.indexOf('- **Discovery first.**'));
    const documented = [...table.matchAll(/^\| (\S+) \| ([a-z, ]+) \| (.+) \|$/gm)]
      .filter(([, group]) => group !== 'group')
      .flatMap(([, group, resources]) => resources!.split(', ').map((resource) => `${group === 'core' ? '' : group}/${resource}`));
    expect(documented.sort()).toEqual(LIST_RESOURCES.map((r) => `${r.group}/${r.resource}`).sort());
  });
});

describe('objectKey', () => {
  it('splits back into the kind, namespace and name it was made of', () => {
    for (const [kind, namespace, name] of [
      ['Pod', 'shop', 'web-0'],
      ['Node', undefined, 'worker-1'],
      ['ClusterRole', undefined, 'system:aggregate-to-edit'],
      ['Role', 'kube-system', 'extension-apiserver-authentication-reader'],
    ] as const) {
      expect(parseObjectKey(objectKey(kind, namespace, name))).toEqual(namespace === undefined ? {kind, name} : {kind, namespace, name});
    }
  });
});
