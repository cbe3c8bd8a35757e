/**
 * Fixes and choke points (src/paths/fixes.ts): each step names the single changes that
 * remove its edge, written from the README's account of path P2 of the example; an edge
 * two bindings grant has no single fix; and ranking counts paths truly cut.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {chokePoints, findings} from '../src/paths/findings.js';
import {fixesFor, rankFixes} from '../src/paths/fixes.js';
import type {AttackMoves} from '../src/paths/moves.js';
import {cheapestPaths} from '../src/paths/search.js';
import {EXAMPLE, tempDir} from './helpers/cli.js';
import {attackMovesOf} from './helpers/load.js';

let example: AttackMoves;
beforeAll(async () => {
  example = await attackMovesOf(EXAMPLE);
});

const OPTIONS = {maxPaths: 10, maxDepth: 12, definiteOnly: false};

describe('the fixes each step names', () => {
  it('P2: the Service, automount on the controller, the two ClusterRoleBindings and the legacy token Secret', () => {
    const p2 = cheapestPaths(example, ['internet'], new Set(['cluster-admin']), OPTIONS).find(
      (path) => path.steps[0]!.to === 'pod:ingress-nginx/ingress-nginx-controller',
    )!;
    expect(p2.steps.map((step) => fixesFor(step).map((fix) => fix.id))).toEqual([
      ['unexpose:Service/ingress-nginx/ingress-nginx-controller'],
      ['automount:Deployment/ingress-nginx/ingress-nginx-controller'],
      ['delete:ClusterRoleBinding/ingress-nginx'],
      ['delete:Secret/platform-ops/cluster-operator-token'],
      ['delete:ClusterRoleBinding/cluster-operator'],
    ]);
  });

  it('escapes name the Pod Security baseline of the pod namespace; network reach a default-deny in the target namespace', () => {
    const [path] = cheapestPaths(example, ['pod:monitoring/prometheus'], new Set(['node:<unscheduled>']), {...OPTIONS, maxPaths: 1});
    const ids = path!.steps.flatMap((step) => fixesFor(step).map((fix) => fix.id));
    expect(ids.some((id) => id.startsWith('deny-ingress:'))).toBe(true);
    expect(ids.some((id) => id.startsWith('baseline:'))).toBe(true);
  });

  it('an edge two bindings grant has no single fix', async () => {
    const file = join(tempDir(), 'two.yaml');
    const binding = (name: string) =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ${name}, namespace: a}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view-secrets}\nsubjects: [{kind: ServiceAccount, name: reader, namespace: a}]`;
    writeFileSync(
      file,
      [
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: reader, namespace: a}',
        'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: view-secrets}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]',
        binding('one'),
        binding('two'),
      ].join('\n---\n'),
    );
    const moves = await attackMovesOf(file);
    const [path] = cheapestPaths(moves, ['sa:a/reader'], new Set(['secret:a/s']), OPTIONS);
    expect(path!.steps.map((step) => step.attributes.type)).toEqual(['CAN_READ_SECRET']);
    expect(fixesFor(path!.steps[0]!)).toEqual([]);
  });
});

describe('ranking', () => {
  it('each ranked fix cuts exactly the paths it claims, most first', () => {
    const paths = cheapestPaths(example, ['internet'], new Set(['cluster-admin']), OPTIONS);
    const ranked = rankFixes(paths, 100);
    expect(ranked.length).toBeGreaterThan(0);
    for (let i = 0; i < ranked.length; i++) {
      const fix = ranked[i]!;
      if (i > 0) expect(fix.paths).toBeLessThanOrEqual(ranked[i - 1]!.paths);
      const cut = paths.filter((path) => path.steps.some((step) => fixesFor(step).some((f) => f.id === fix.id)));
      expect(cut.length, fix.id).toBe(fix.paths);
    }
  });

  it('the cluster choke points come from every finding path', () => {
    const found = findings(example, {assumeBreach: [], crownJewels: [], pathsPerEntry: 5, search: {maxDepth: 12, definiteOnly: false}});
    const total = found.reduce((sum, finding) => sum + finding.allPaths.length, 0);
    const [top] = chokePoints(found);
    expect(top!.paths).toBeGreaterThan(1);
    expect(top!.paths).toBeLessThanOrEqual(total);
    for (const finding of found) for (const fix of finding.fixes) expect(fix.paths).toBeLessThanOrEqual(finding.paths);
  });
});
