/**
 * `kubepath diff BEFORE AFTER` (src/paths/diff.ts): findings added and removed between
 * two inputs, each attributed to the objects that changed, and --fail-on on added ones.
 */
import {cpSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {changedObjects} from '../src/paths/diff.js';
import {loadInputs} from '../src/snapshot/load.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';

// The storefront's own account (its token is mounted, the pod is exposed) made cluster-admin.
const GRANT = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: storefront-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: storefront, namespace: shop}
`;
const NEW_FINDING = 'cluster-admin:pod:shop/storefront USES_TOKEN sa:shop/storefront';

let changed: string;
let same: string;
beforeAll(() => {
  changed = join(tempDir(), 'after');
  cpSync(EXAMPLE, changed, {recursive: true});
  writeFileSync(join(changed, 'zz-storefront-admin.yaml'), GRANT);
  same = join(tempDir(), 'same');
  cpSync(EXAMPLE, same, {recursive: true});
});

describe('kubepath diff', () => {
  it('a new binding: the finding it opens is added and attributed to it; --fail-on critical exits 3', () => {
    const result = runCli(['diff', EXAMPLE, changed, '-o', 'json', '--fail-on', 'critical']);
    expect(result.status, result.stderr).toBe(3);
    const diff = JSON.parse(result.stdout);
    expect(diff.removed).toEqual([]);
    const added = diff.added.find((f: {id: string}) => f.id === NEW_FINDING);
    expect(added).toMatchObject({severity: 'critical', changedObjects: [{object: 'ClusterRoleBinding/storefront-admin', change: 'added'}]});
    expect(diff.paths.added).toBeGreaterThan(0);
  });

  it('the reverse: the finding is removed, the binding removed; nothing added, so --fail-on passes', () => {
    const result = runCli(['diff', changed, EXAMPLE, '--fail-on', 'low']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^kubepath diff: 0 findings added, [1-9]\d* removed/);
    expect(result.stdout).toContain('ClusterRoleBinding/storefront-admin (removed)');
  });

  it('a deleted NetworkPolicy, which no evidence of the opened reach names, is found among the changes in the namespaces the path crosses', () => {
    const documents = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: vault, labels: {kubepath.io/crown-jewel: "true"}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: vault-0, namespace: vault, labels: {app: vault}}\nspec: {automountServiceAccountToken: false, containers: [{name: v, image: vault, ports: [{containerPort: 8200}]}]}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: front, labels: {app: web}}\nspec: {automountServiceAccountToken: false, containers: [{name: w, image: web, ports: [{containerPort: 80}]}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: front}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}',
    ];
    const deny =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: vault}\nspec: {podSelector: {}, policyTypes: [Ingress]}';
    const dir = tempDir();
    writeFileSync(join(dir, 'before.yaml'), [...documents, deny].join('\n---\n'));
    writeFileSync(join(dir, 'after.yaml'), documents.join('\n---\n'));
    const diff = JSON.parse(runCli(['diff', join(dir, 'before.yaml'), join(dir, 'after.yaml'), '-o', 'json']).stdout);
    expect(diff.added.map((f: {id: string}) => f.id)).toEqual(['marked:pod:front/web POD_NETWORK_REACH pod:vault/vault-0']);
    expect(diff.added[0].changedObjects).toEqual([{object: 'NetworkPolicy/vault/deny', change: 'removed'}]);
  });

  it('the same objects in other files: nothing changed, nothing added or removed', async () => {
    const [a, b] = [(await loadInputs([EXAMPLE])).snapshot, (await loadInputs([same])).snapshot];
    expect([...changedObjects(a, b)]).toEqual([]);
    expect(runCli(['diff', EXAMPLE, same]).stdout).toBe('kubepath diff: 0 findings added, 0 removed; 0 paths added, 0 removed\n');
  });
});
