/**
 * Escalation by binding (src/engines/rbac/escalation.ts): the bindings an identity could
 * write for itself, present only in the engine built with `{escalations: true}` (the one
 * rules read), never in what `who-can` answers.
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {buildRbacEngine} from '../src/engines/rbac/engine.js';
import {escalationBindings} from '../src/engines/rbac/escalation.js';
import {ROOT} from './helpers/cli.js';
import {loadAll, loadYaml} from './helpers/load.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'edges', 'CAN_READ_SECRET', 'positive.after-escalation.yaml');
const readVault = {verb: 'get', group: '', resource: 'secrets', namespace: 'vault', name: 'root-token'};

describe('escalation by binding', () => {
  it('create rolebindings plus bind on a ClusterRole: the role, in that namespace only, and only in the escalated engine', async () => {
    const {model} = await loadAll([FIXTURE]);
    const exact = buildRbacEngine(model);
    expect(exact.can('sa:ci/deployer', readVault)).toEqual([]);
    const escalated = buildRbacEngine(model, {escalations: true});
    const [grant] = escalated.can('sa:ci/deployer', readVault);
    expect(grant).toMatchObject({kind: 'rbac', role: 'ClusterRole/secret-reader', scope: 'vault'});
    expect(grant!.kind === 'rbac' && grant!.escalation?.grants.map((g) => g.kind === 'rbac' && g.role)).toEqual([
      'Role/vault/binder',
      'Role/vault/binder',
    ]);
    expect(escalated.can('sa:ci/deployer', {...readVault, namespace: 'default'})).toEqual([]);
  });

  it('cluster-wide: a non-admin ClusterRole is bound by ClusterRoleBinding; an admin-power one is left to CAN_ESCALATE; admins get none', async () => {
    const {model} = await loadYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [view, cluster-admin], verbs: [bind]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: binders}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: User, name: root, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: root-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: User, name: root, apiGroup: rbac.authorization.k8s.io}
`);
    const written = escalationBindings(model, buildRbacEngine(model));
    expect(written.map((b) => `${b.kind} ${b.roleKey} ${b.escalation!.by}`)).toEqual(['ClusterRoleBinding ClusterRole/view user:alice']);
    const escalated = buildRbacEngine(model, {escalations: true});
    expect(escalated.can('user:alice', {verb: 'list', group: 'apps', resource: 'deployments', namespace: 'any'})[0]).toMatchObject({
      role: 'ClusterRole/view',
      scope: 'cluster',
    });
  });
});
