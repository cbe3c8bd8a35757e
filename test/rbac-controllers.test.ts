/**
 * The `system:controller:*` part of the bootstrap policy (src/engines/rbac/bootstrap.ts):
 * the controller roles of Kubernetes v1.30, each bound to its kube-system ServiceAccount,
 * what those accounts may do through them, where the input wins, and that their
 * edges appear only when the snapshot holds the accounts.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {canReadSecret} from '../src/edges/can-read-secret.js';
import {createRuleContext} from '../src/engines/context.js';
import {ruleEdges} from '../src/edges/rule.js';
import {bootstrapPolicy, CONTROLLER_ROLE_PREFIX} from '../src/engines/rbac/bootstrap.js';
import {buildRbacEngine, type RbacEngine} from '../src/engines/rbac/engine.js';
import type {RbacRequest, ResourceRequest} from '../src/engines/rbac/request.js';
import {buildModel, type ClusterModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {tempDir} from './helpers/cli.js';

const yaml = (...documents: string[]): string => documents.join('\n---\n') + '\n';
const namespace = (name: string): string => `{apiVersion: v1, kind: Namespace, metadata: {name: ${name}}}`;
const account = (ns: string, name: string): string => `{apiVersion: v1, kind: ServiceAccount, metadata: {name: ${name}, namespace: ${ns}}}`;
const secret = (ns: string, name: string): string =>
  `{apiVersion: v1, kind: Secret, metadata: {name: ${name}, namespace: ${ns}}, type: Opaque}`;

/** The controllers whose ServiceAccounts the live-like snapshot holds. */
const ACCOUNTS = [
  'generic-garbage-collector',
  'daemon-set-controller',
  'clusterrole-aggregation-controller',
  'replicaset-controller',
  'namespace-controller',
  'legacy-service-account-token-cleaner',
];

const CLUSTERS = {
  // What a live collection of a kubeadm cluster holds: the controller manager's ServiceAccounts.
  live: yaml(namespace('shop'), namespace('kube-system'), ...ACCOUNTS.map((name) => account('kube-system', name)), secret('shop', 'db')),
  // Manifests from git: the same secret, none of those accounts.
  manifests: yaml(namespace('shop'), secret('shop', 'db')),
  overrides: yaml(
    namespace('kube-system'),
    account('kube-system', 'generic-garbage-collector'),
    account('kube-system', 'replicaset-controller'),
    account('kube-system', 'impostor'),
    `{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: "system:controller:generic-garbage-collector"}, rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]}`,
    `{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: "system:controller:replicaset-controller"}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:controller:replicaset-controller"}, subjects: [{kind: ServiceAccount, name: impostor, namespace: kube-system}]}`,
  ),
} as const;

type ClusterName = keyof typeof CLUSTERS;

const models = new Map<ClusterName, ClusterModel>();
const engines = new Map<string, RbacEngine>();
const engine = (cluster: ClusterName, bootstrap = true): RbacEngine => engines.get(`${cluster}/${bootstrap}`)!;

beforeAll(async () => {
  const dir = tempDir();
  for (const [name, text] of Object.entries(CLUSTERS) as Array<[ClusterName, string]>) {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    const model = buildModel((await loadInputs([file])).snapshot);
    models.set(name, model);
    engines.set(`${name}/true`, buildRbacEngine(model));
    engines.set(`${name}/false`, buildRbacEngine(model, {bootstrap: false}));
  }
});

const controller = (name: string): string => `sa:kube-system/${name}`;
const resource = (verb: string, res: string, extra: Partial<ResourceRequest> = {}): ResourceRequest => ({
  verb,
  group: '',
  resource: res,
  ...extra,
});
/** The (binding, role, rule index, scope) of each grant, as comparable strings. */
const grantsOf = (eng: RbacEngine, id: string, request: RbacRequest): string[] =>
  eng
    .can(id, request)
    .map((g) => (g.kind === 'rbac' ? `${g.binding} ${g.role}#${g.ruleIndex} ${g.scope}${g.bootstrap ? ' [bootstrap]' : ''}` : g.kind));
const via = (name: string, rule: number, scope = 'cluster'): string =>
  `ClusterRoleBinding/${CONTROLLER_ROLE_PREFIX}${name} ClusterRole/${CONTROLLER_ROLE_PREFIX}${name}#${rule} ${scope} [bootstrap]`;

describe('controller roles and bindings (Kubernetes v1.30)', () => {
  it('adds the roles of the golden files, with the v1.30 default feature gates', () => {
    const policy = bootstrapPolicy();
    // cluster-roles.yaml: 31 ClusterRoles; controller-roles.yaml: 33 with v1.30's default feature gates
    // (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata, read at
    // 025f2834 and a9de9a3d, and the v1.29/v1.31 copies around them; see docs/rbac.md).
    expect(policy.clusterRoles).toHaveLength(31 + 33);
    // cluster-role-bindings.yaml: 12; controller-role-bindings.yaml: one per controller role.
    expect(policy.clusterRoleBindings).toHaveLength(12 + 33);
    const controllerRoles = policy.clusterRoles.filter((r) => r.metadata.name.startsWith(CONTROLLER_ROLE_PREFIX));
    expect(controllerRoles).toHaveLength(33);
    // Those of gates off by default in v1.30 are not added.
    const names = new Set(policy.clusterRoles.map((r) => r.metadata.name));
    for (const gated of [
      'resource-claim-controller',
      'service-cidrs-controller',
      'storage-version-garbage-collector',
      'storage-version-migrator-controller',
      'volumeattributesclass-protection-controller',
    ]) {
      expect(names.has(CONTROLLER_ROLE_PREFIX + gated), gated).toBe(false);
    }
    // The golden file lists them by name; so does the data.
    const controllerNames = controllerRoles.map((r) => r.metadata.name);
    expect(controllerNames).toEqual([...controllerNames].sort());
    expect(controllerNames).toContain('system:controller:legacy-service-account-token-cleaner');
    expect(controllerNames).toContain('system:controller:validatingadmissionpolicy-status-controller');
  });

  it('binds each controller role, by its own name, to its ServiceAccount in kube-system', () => {
    const policy = bootstrapPolicy();
    const roles = policy.clusterRoles.filter((r) => r.metadata.name.startsWith(CONTROLLER_ROLE_PREFIX));
    const bindings = new Map(
      policy.clusterRoleBindings.filter((b) => b.metadata.name.startsWith(CONTROLLER_ROLE_PREFIX)).map((b) => [b.metadata.name, b]),
    );
    expect([...bindings.keys()].sort()).toEqual(roles.map((r) => r.metadata.name).sort());
    for (const role of roles) {
      const name = role.metadata.name;
      expect(role.metadata.labels).toEqual({'kubernetes.io/bootstrapping': 'rbac-defaults'});
      expect(bindings.get(name)).toMatchObject({
        kind: 'ClusterRoleBinding',
        metadata: {name, labels: {'kubernetes.io/bootstrapping': 'rbac-defaults'}},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name},
        subjects: [{kind: 'ServiceAccount', name: name.slice(CONTROLLER_ROLE_PREFIX.length), namespace: 'kube-system'}],
      });
    }
  });

  it('lets generic-garbage-collector read secrets and patch pods in every namespace, and nothing it lacks', () => {
    const eng = engine('live');
    const gc = controller('generic-garbage-collector');
    expect(grantsOf(eng, gc, resource('get', 'secrets', {namespace: 'shop', name: 'db'}))).toEqual([via('generic-garbage-collector', 0)]);
    expect(grantsOf(eng, gc, resource('get', 'secrets', {namespace: 'kube-system', name: 'any'}))).toEqual([
      via('generic-garbage-collector', 0),
    ]);
    expect(grantsOf(eng, gc, resource('list', 'secrets'))).toEqual([via('generic-garbage-collector', 0)]);
    expect(grantsOf(eng, gc, resource('patch', 'pods', {namespace: 'shop', name: 'web'}))).toEqual([via('generic-garbage-collector', 0)]);
    expect(grantsOf(eng, gc, resource('create', 'pods', {namespace: 'shop'}))).toEqual([]);
    expect(grantsOf(eng, gc, resource('deletecollection', 'secrets', {namespace: 'shop'}))).toEqual([]);
    expect(eng.identity(gc)).toMatchObject({source: 'input', kind: 'ServiceAccount'});
  });

  it('lets daemon-set-controller create pods (and bind them) in any namespace', () => {
    const eng = engine('live');
    const ds = controller('daemon-set-controller');
    expect(grantsOf(eng, ds, resource('create', 'pods', {namespace: 'shop'}))).toEqual([via('daemon-set-controller', 4)]);
    expect(grantsOf(eng, ds, resource('create', 'pods', {namespace: 'kube-system'}))).toEqual([via('daemon-set-controller', 4)]);
    expect(grantsOf(eng, ds, resource('create', 'pods', {subresource: 'binding', namespace: 'shop', name: 'web'}))).toEqual([
      via('daemon-set-controller', 5),
    ]);
    expect(
      grantsOf(eng, ds, resource('update', 'daemonsets', {group: 'extensions', subresource: 'status', namespace: 'shop', name: 'agent'})),
    ).toEqual([via('daemon-set-controller', 1)]);
    expect(grantsOf(eng, ds, resource('delete', 'daemonsets', {group: 'apps', namespace: 'shop', name: 'agent'}))).toEqual([]);
    expect(grantsOf(eng, ds, resource('get', 'secrets', {namespace: 'shop', name: 'db'}))).toEqual([]);
  });

  it('lets clusterrole-aggregation-controller escalate ClusterRoles, and no more', () => {
    const eng = engine('live');
    const agg = controller('clusterrole-aggregation-controller');
    const rbac = {group: 'rbac.authorization.k8s.io'};
    expect(grantsOf(eng, agg, resource('escalate', 'clusterroles', {...rbac, name: 'admin'}))).toEqual([
      via('clusterrole-aggregation-controller', 0),
    ]);
    expect(grantsOf(eng, agg, resource('update', 'clusterroles', {...rbac, name: 'admin'}))).toEqual([
      via('clusterrole-aggregation-controller', 0),
    ]);
    expect(grantsOf(eng, agg, resource('bind', 'clusterroles', {...rbac, name: 'cluster-admin'}))).toEqual([]);
    expect(grantsOf(eng, agg, resource('escalate', 'roles', {...rbac, namespace: 'shop', name: 'x'}))).toEqual([]);
    expect(grantsOf(eng, agg, resource('create', 'clusterrolebindings', rbac))).toEqual([]);
  });

  it('keeps replicaset-controller to replicasets and pods: no secrets', () => {
    const eng = engine('live');
    const rs = controller('replicaset-controller');
    expect(grantsOf(eng, rs, resource('get', 'secrets', {namespace: 'shop', name: 'db'}))).toEqual([]);
    expect(grantsOf(eng, rs, resource('list', 'secrets', {namespace: 'shop'}))).toEqual([]);
    expect(grantsOf(eng, rs, resource('create', 'pods', {namespace: 'shop'}))).toEqual([via('replicaset-controller', 3)]);
    expect(
      grantsOf(eng, rs, resource('update', 'replicasets', {group: 'apps', subresource: 'finalizers', namespace: 'shop', name: 'web'})),
    ).toEqual([via('replicaset-controller', 2)]);
    expect(grantsOf(eng, rs, resource('create', 'pods', {subresource: 'exec', namespace: 'shop', name: 'web'}))).toEqual([]);
  });

  it('gives namespace-controller deletecollection on everything, and the token cleaner one ConfigMap by name', () => {
    const eng = engine('live');
    expect(grantsOf(eng, controller('namespace-controller'), resource('deletecollection', 'secrets', {namespace: 'shop'}))).toEqual([
      via('namespace-controller', 2),
    ]);
    expect(grantsOf(eng, controller('namespace-controller'), resource('create', 'secrets', {namespace: 'shop'}))).toEqual([]);
    const cleaner = controller('legacy-service-account-token-cleaner');
    expect(grantsOf(eng, cleaner, resource('delete', 'secrets', {namespace: 'shop', name: 'old-token'}))).toEqual([
      via('legacy-service-account-token-cleaner', 1),
    ]);
    expect(grantsOf(eng, cleaner, resource('get', 'secrets', {namespace: 'shop', name: 'old-token'}))).toEqual([]);
    const tracking = {namespace: 'kube-system', name: 'kube-apiserver-legacy-service-account-token-tracking'};
    expect(grantsOf(eng, cleaner, resource('get', 'configmaps', tracking))).toEqual([via('legacy-service-account-token-cleaner', 0)]);
    expect(grantsOf(eng, cleaner, resource('get', 'configmaps', {...tracking, name: 'kubeadm-config'}))).toEqual([]);
  });

  it('keeps the golden rule order, so rule indexes match kubectl get clusterrole -o yaml', () => {
    const eng = engine('manifests');
    // Rules a default-on feature gate appended after the events rule stay last.
    expect(grantsOf(eng, controller('node-controller'), resource('get', 'pods', {namespace: 'shop', name: 'web'}))).toEqual([
      via('node-controller', 5),
    ]);
    expect(
      grantsOf(
        eng,
        controller('disruption-controller'),
        resource('update', 'pods', {subresource: 'status', namespace: 'shop', name: 'web'}),
      ),
    ).toEqual([via('disruption-controller', 8)]);
    expect(
      grantsOf(
        eng,
        controller('statefulset-controller'),
        resource('delete', 'persistentvolumeclaims', {namespace: 'shop', name: 'data-0'}),
      ),
    ).toEqual([via('statefulset-controller', 8)]);
    // The glusterfs rules v1.30 still carries (removed in v1.31).
    expect(grantsOf(eng, controller('persistent-volume-binder'), resource('create', 'services', {namespace: 'shop'}))).toEqual([
      via('persistent-volume-binder', 7),
    ]);
    expect(grantsOf(eng, controller('expand-controller'), resource('get', 'secrets', {namespace: 'shop', name: 'db'}))).toEqual([
      via('expand-controller', 5),
    ]);
    expect(
      grantsOf(
        eng,
        controller('horizontal-pod-autoscaler'),
        resource('update', 'deployments', {group: 'apps', subresource: 'scale', namespace: 'shop', name: 'web'}),
      ),
    ).toEqual([via('horizontal-pod-autoscaler', 2)]);
  });

  it('adds none of them with {bootstrap: false}', () => {
    const eng = engine('live', false);
    expect([...eng.policy.roles.keys()].filter((key) => key.includes(CONTROLLER_ROLE_PREFIX))).toEqual([]);
    expect(eng.policy.bindings.filter((b) => b.key.includes(CONTROLLER_ROLE_PREFIX))).toEqual([]);
    expect(eng.can(controller('generic-garbage-collector'), resource('get', 'secrets', {namespace: 'shop', name: 'db'}))).toEqual([]);
    expect(eng.can(controller('daemon-set-controller'), resource('create', 'pods', {namespace: 'shop'}))).toEqual([]);
    // With the bootstrap policy, all 33 are there and marked.
    const withBootstrap = [...engine('live').policy.roles.values()].filter((r) =>
      r.key.startsWith(`ClusterRole/${CONTROLLER_ROLE_PREFIX}`),
    );
    expect(withBootstrap).toHaveLength(33);
    expect(withBootstrap.every((r) => r.bootstrap)).toBe(true);
  });

  it('lets an input object of the same name win: a ClusterRole, and a ClusterRoleBinding', () => {
    const eng = engine('overrides');
    const gc = controller('generic-garbage-collector');
    expect(eng.policy.roles.get(`ClusterRole/${CONTROLLER_ROLE_PREFIX}generic-garbage-collector`)).toMatchObject({
      bootstrap: false,
      rules: [expect.anything()],
    });
    expect(eng.can(gc, resource('get', 'secrets', {namespace: 'shop', name: 'db'}))).toEqual([]);
    // The bootstrap binding still applies, to the input's role.
    expect(eng.can(gc, resource('get', 'pods', {namespace: 'shop', name: 'web'}))).toEqual([
      expect.objectContaining({
        binding: `ClusterRoleBinding/${CONTROLLER_ROLE_PREFIX}generic-garbage-collector`,
        bindingBootstrap: true,
        bootstrap: false,
        ruleIndex: 0,
      }),
    ]);
    // The input binding names someone else: the controller's own account holds nothing through it.
    const create = resource('create', 'pods', {namespace: 'shop'});
    expect(eng.can(controller('replicaset-controller'), create)).toEqual([]);
    expect(eng.can(controller('impostor'), create)).toEqual([
      expect.objectContaining({
        binding: `ClusterRoleBinding/${CONTROLLER_ROLE_PREFIX}replicaset-controller`,
        bindingBootstrap: false,
        bootstrap: true,
        ruleIndex: 3,
      }),
    ]);
  });

  it('lists the controller accounts the snapshot lacks as bootstrap identities, never as graph nodes', () => {
    const eng = engine('manifests');
    const gc = controller('generic-garbage-collector');
    expect(eng.identity(gc)).toMatchObject({source: 'bootstrap'});
    expect(eng.identity(controller('ttl-controller'))).toMatchObject({source: 'bootstrap'});
    expect(eng.whoCan(resource('get', 'secrets', {namespace: 'shop', name: 'db'})).map((e) => e.identity.id)).toContain(gc);
    expect(models.get('manifests')!.serviceAccounts.has(gc)).toBe(false);
  });

  it('draws their edges only when the snapshot holds the ServiceAccounts (a live collection)', () => {
    // CAN_READ_SECRET is asked per identity: its sources are the identities that have any edge.
    const secretReaders = (cluster: ClusterName) => {
      const context = createRuleContext(models.get(cluster)!);
      return {sources: canReadSecret.sources!(context), edges: ruleEdges(canReadSecret, context)};
    };
    const gc = controller('generic-garbage-collector');
    const live = secretReaders('live');
    expect(live.sources).toContain(gc);
    expect(live.sources).toContain(controller('namespace-controller'));
    // In the snapshot too, but without read access to secrets.
    expect(live.sources).not.toContain(controller('replicaset-controller'));
    expect(live.sources).not.toContain(controller('legacy-service-account-token-cleaner'));
    const edge = live.edges.find((e) => e.source === gc && e.target === 'secret:shop/db');
    expect(edge?.attributes).toMatchObject({type: 'CAN_READ_SECRET', certainty: 'definite'});
    expect(edge!.attributes.evidence).toEqual([
      expect.objectContaining({
        object: 'ServiceAccount/kube-system/generic-garbage-collector',
        note: expect.stringContaining(`the built-in binding ClusterRoleBinding/${CONTROLLER_ROLE_PREFIX}generic-garbage-collector`),
      }),
    ]);
    // From manifests, the same secret and the same bootstrap policy, but no controller account: no edge.
    const manifests = secretReaders('manifests');
    expect(manifests.sources.filter((id) => id.startsWith('sa:kube-system/'))).toEqual([]);
    expect(manifests.edges.filter((e) => e.source.startsWith('sa:kube-system/'))).toEqual([]);
  });
});

describe('the rest of the v1.30 data', () => {
  it('lets every ServiceAccount get the issuer discovery documents, with or without the trailing slash (since v1.28)', () => {
    const eng = engine('manifests');
    for (const url of ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/']) {
      const grants = eng.can('sa:shop/default', {verb: 'get', nonResourceURL: url});
      expect(
        grants.map((g) => g.kind === 'rbac' && `${g.binding}#${g.ruleIndex}`),
        url,
      ).toEqual(['ClusterRoleBinding/system:service-account-issuer-discovery#0']);
    }
    expect(eng.can('user:system:anonymous', {verb: 'get', nonResourceURL: '/openid/v1/jwks/'})).toEqual([]);
  });
});
