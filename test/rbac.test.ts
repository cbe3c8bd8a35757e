/**
 * The RBAC engine against the API server's semantics (docs/rbac.md):
 * one table of cases, each an identity, a request and whether RBAC allows it, over a
 * few small clusters; the same table through `kubepath who-can` as a real process,
 * which must agree with the evaluator grant for grant; and the pieces (request
 * checks, resource names, aggregation order, bootstrap policy, identities).
 */
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {buildRbacEngine, type Grant, type RbacEngine} from '../src/engines/rbac/engine.js';
import {identityFromId} from '../src/engines/rbac/identities.js';
import {describeRequest, normalizeRequest, type RbacRequest} from '../src/engines/rbac/request.js';
import {parseWhoCanArguments} from '../src/engines/rbac/resources.js';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {ROOT, runCli, type CliResult} from './helpers/cli.js';
import {writeFiles} from './helpers/load.js';

const rbacObject = (kind: string, meta: string, body: string): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: ${meta}\n${body}`;
const clusterRole = (name: string, rules: string, options: {labels?: string; aggregate?: string} = {}): string =>
  rbacObject(
    'ClusterRole',
    `{name: ${name}${options.labels ? `, labels: ${options.labels}` : ''}}`,
    `rules: ${rules}${options.aggregate ? `\naggregationRule: {clusterRoleSelectors: [${options.aggregate}]}` : ''}`,
  );
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: string, subjects: string): string =>
  rbacObject(
    kind,
    kind === 'RoleBinding' ? `{name: ${name.split('/')[1]}, namespace: ${name.split('/')[0]}}` : `{name: ${name}}`,
    `roleRef: {apiGroup: rbac.authorization.k8s.io, ${roleRef}}\nsubjects: ${subjects}`,
  );
const user = (name: string): string => `[{kind: User, name: "${name}", apiGroup: rbac.authorization.k8s.io}]`;
const group = (name: string): string => `[{kind: Group, name: "${name}", apiGroup: rbac.authorization.k8s.io}]`;
const account = (namespace: string, name: string): string =>
  `{apiVersion: v1, kind: ServiceAccount, metadata: {name: ${name}, namespace: ${namespace}}}`;
const yaml = (...documents: string[]): string => documents.join('\n---\n') + '\n';

/** Small clusters, one per theme; the cases below name them. */
const CLUSTERS: Record<string, string> = {
  scopes: yaml(
    `{apiVersion: v1, kind: Namespace, metadata: {name: shop}}`,
    `{apiVersion: v1, kind: Namespace, metadata: {name: dev}}`,
    clusterRole('pod-reader', '[{apiGroups: [""], resources: [pods], verbs: [get, list]}]'),
    binding('RoleBinding', 'shop/alice-reads', 'kind: ClusterRole, name: pod-reader', user('alice')),
    binding('ClusterRoleBinding', 'erin-reads', 'kind: ClusterRole, name: pod-reader', user('erin')),
    rbacObject('Role', '{name: secret-reader, namespace: dev}', 'rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]'),
    binding('RoleBinding', 'shop/names-a-role-of-dev', 'kind: Role, name: secret-reader', user('bob')),
    binding('RoleBinding', 'dev/carol-secrets', 'kind: Role, name: secret-reader', user('carol')),
    binding('ClusterRoleBinding', 'refers-to-a-role', 'kind: Role, name: secret-reader', user('dave')),
    clusterRole('url-reader', '[{nonResourceURLs: [/metrics, /logs/*], verbs: [get]}]'),
    binding('RoleBinding', 'shop/urls-through-rolebinding', 'kind: ClusterRole, name: url-reader', user('frank')),
    binding('ClusterRoleBinding', 'urls-through-clusterrolebinding', 'kind: ClusterRole, name: url-reader', user('grace')),
    clusterRole('namespace-patcher', '[{apiGroups: [""], resources: [namespaces], verbs: [patch, list]}]'),
    binding('RoleBinding', 'shop/patches-its-namespace', 'kind: ClusterRole, name: namespace-patcher', user('heidi')),
    binding('RoleBinding', 'shop/dangling', 'kind: ClusterRole, name: not-created-yet', user('ivan')),
  ),
  subjects: yaml(
    account('shop', 'web'),
    account('backend', 'api'),
    account('batch', 'worker'),
    account('ops', 'agent'),
    clusterRole('secret-reader', '[{apiGroups: [""], resources: [secrets], verbs: [get]}]'),
    binding(
      'RoleBinding',
      'shop/account-without-namespace',
      'kind: ClusterRole, name: secret-reader',
      '[{kind: ServiceAccount, name: web}]',
    ),
    binding(
      'ClusterRoleBinding',
      'accounts-cluster-wide',
      'kind: ClusterRole, name: secret-reader',
      '[{kind: ServiceAccount, name: api}, {kind: ServiceAccount, name: api, namespace: backend}]',
    ),
    binding(
      'RoleBinding',
      'shop/account-of-another-namespace',
      'kind: ClusterRole, name: secret-reader',
      '[{kind: ServiceAccount, name: worker, namespace: batch}]',
    ),
    clusterRole('node-reader', '[{apiGroups: [""], resources: [nodes], verbs: [get]}]'),
    binding('ClusterRoleBinding', 'account-as-user', 'kind: ClusterRole, name: node-reader', user('system:serviceaccount:ops:agent')),
    clusterRole('configmap-reader', '[{apiGroups: [""], resources: [configmaps], verbs: [get]}]'),
    binding('RoleBinding', 'shop/accounts-of-shop', 'kind: ClusterRole, name: configmap-reader', group('system:serviceaccounts:shop')),
    clusterRole('lease-reader', '[{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get]}]'),
    binding('RoleBinding', 'shop/all-accounts', 'kind: ClusterRole, name: lease-reader', group('system:serviceaccounts')),
    clusterRole('event-lister', '[{apiGroups: [""], resources: [events], verbs: [list]}]'),
    binding('ClusterRoleBinding', 'authenticated-events', 'kind: ClusterRole, name: event-lister', group('system:authenticated')),
    binding('ClusterRoleBinding', 'alice-events', 'kind: ClusterRole, name: event-lister', user('alice')),
    clusterRole('anonymous-url', '[{nonResourceURLs: [/anonymous], verbs: [get]}]'),
    binding('ClusterRoleBinding', 'anonymous-url', 'kind: ClusterRole, name: anonymous-url', group('system:unauthenticated')),
    binding('ClusterRoleBinding', 'names-anonymous', 'kind: ClusterRole, name: node-reader', user('system:anonymous')),
  ),
  rules: yaml(
    clusterRole(
      'named-secret',
      '[{apiGroups: [""], resources: [secrets], resourceNames: [db-password], verbs: [get, list, watch, create, update, deletecollection]}]',
    ),
    binding('ClusterRoleBinding', 'u-names', 'kind: ClusterRole, name: named-secret', user('u-names')),
    clusterRole('pods-only', '[{apiGroups: [""], resources: [pods], verbs: ["*"]}]'),
    binding('ClusterRoleBinding', 'u-pods', 'kind: ClusterRole, name: pods-only', user('u-pods')),
    clusterRole('core-everything-get', '[{apiGroups: [""], resources: ["*"], verbs: [get]}]'),
    binding('ClusterRoleBinding', 'u-core-star', 'kind: ClusterRole, name: core-everything-get', user('u-core-star')),
    clusterRole('scale-anything', '[{apiGroups: ["*"], resources: ["*/scale"], verbs: [update]}]'),
    binding('ClusterRoleBinding', 'u-scale', 'kind: ClusterRole, name: scale-anything', user('u-scale')),
    clusterRole('exec-only', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]'),
    binding('ClusterRoleBinding', 'u-exec', 'kind: ClusterRole, name: exec-only', user('u-exec')),
    clusterRole(
      'literal-stars',
      '[{apiGroups: [""], resources: ["pods/*"], verbs: [get]}, {apiGroups: [""], resources: [secrets], resourceNames: ["*"], verbs: [get]}]',
    ),
    binding('ClusterRoleBinding', 'u-literal', 'kind: ClusterRole, name: literal-stars', user('u-literal')),
    clusterRole('apps-deployments', '[{apiGroups: [apps], resources: [deployments], verbs: [get]}]'),
    binding('ClusterRoleBinding', 'u-apps', 'kind: ClusterRole, name: apps-deployments', user('u-apps')),
  ),
  aggregation: yaml(
    clusterRole('top', '[{apiGroups: [""], resources: [nodes], verbs: [delete]}]', {aggregate: '{matchLabels: {agg: top}}'}),
    clusterRole('middle', '[]', {labels: '{agg: top}', aggregate: '{matchLabels: {agg: middle}}'}),
    clusterRole('leaf-a', '[{apiGroups: [""], resources: [configmaps], verbs: [get]}]', {labels: '{agg: middle}'}),
    clusterRole('leaf-b', '[{apiGroups: [""], resources: [secrets], verbs: [get]}]', {labels: '{agg: top}'}),
    clusterRole(
      'leaf-c',
      '[{apiGroups: [""], resources: [configmaps], verbs: [get]}, {apiGroups: [""], resources: [services], verbs: [get]}]',
      {labels: '{agg: middle}'},
    ),
    clusterRole('ring-1', 'null', {labels: '{ring: "2"}', aggregate: '{matchLabels: {ring: "1"}}'}),
    clusterRole('ring-2', 'null', {labels: '{ring: "1"}', aggregate: '{matchLabels: {ring: "2"}}'}),
    clusterRole('ring-base', '[{apiGroups: [""], resources: [endpoints], verbs: [get]}]', {labels: '{ring: "1"}'}),
    clusterRole('widgets-edit', '[{apiGroups: [example.com], resources: [widgets], verbs: [get, create]}]', {
      labels: '{rbac.authorization.k8s.io/aggregate-to-edit: "true"}',
    }),
    clusterRole('by-expression', '[]', {aggregate: '{matchExpressions: [{key: tier, operator: In, values: [gold]}]}'}),
    clusterRole('gold', '[{apiGroups: [""], resources: [pods/log], verbs: [get]}]', {labels: '{tier: gold}'}),
    binding('ClusterRoleBinding', 'u-top', 'kind: ClusterRole, name: top', user('u-top')),
    binding('ClusterRoleBinding', 'u-middle', 'kind: ClusterRole, name: middle', user('u-middle')),
    binding('ClusterRoleBinding', 'u-ring', 'kind: ClusterRole, name: ring-1', user('u-ring')),
    binding('ClusterRoleBinding', 'u-expression', 'kind: ClusterRole, name: by-expression', user('u-expression')),
    binding('RoleBinding', 'shop/u-edit', 'kind: ClusterRole, name: edit', user('u-edit')),
    binding('RoleBinding', 'shop/u-admin', 'kind: ClusterRole, name: admin', user('u-admin')),
    binding('RoleBinding', 'shop/u-view', 'kind: ClusterRole, name: view', user('u-view')),
  ),
  bootstrap: yaml(
    account('shop', 'web'),
    `{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: shop}, spec: {serviceAccountName: web, containers: [{name: web}]}}`,
  ),
  overrides: yaml(
    account('shop', 'web'),
    clusterRole('view', '[{apiGroups: [""], resources: [pods], verbs: [get]}]'),
    binding('RoleBinding', 'shop/viewers', 'kind: ClusterRole, name: view', user('vic')),
    binding('ClusterRoleBinding', 'system:basic-user', 'kind: ClusterRole, name: system:basic-user', group('reviewers')),
  ),
};

interface Case {
  cluster: keyof typeof CLUSTERS;
  identity: string;
  request: RbacRequest;
  allowed: boolean;
  why: string;
  /** Expected (binding, role, rule index) of the first grant, when allowed. */
  via?: string;
  bootstrap?: false;
  /** An identity no binding names: whoCan does not list it. */
  unlisted?: true;
}

const get = (resource: string, namespace?: string, extra: Partial<RbacRequest> = {}): RbacRequest =>
  ({verb: 'get', group: '', resource, ...(namespace ? {namespace} : {}), ...extra}) as RbacRequest;

const CASES: Case[] = [
  // Scope: a RoleBinding grants in its own namespace only, whatever role it names.
  {
    cluster: 'scopes',
    identity: 'user:alice',
    request: get('pods', 'shop'),
    allowed: true,
    why: 'RoleBinding to a ClusterRole grants in its namespace',
    via: 'RoleBinding/shop/alice-reads',
  },
  {
    cluster: 'scopes',
    identity: 'user:alice',
    request: get('pods', 'dev'),
    allowed: false,
    why: 'a ClusterRole bound by a RoleBinding does not reach other namespaces',
  },
  {
    cluster: 'scopes',
    identity: 'user:alice',
    request: {verb: 'list', group: '', resource: 'pods'},
    allowed: false,
    why: 'nor cluster-wide requests',
  },
  {
    cluster: 'scopes',
    identity: 'user:erin',
    request: {verb: 'list', group: '', resource: 'pods'},
    allowed: true,
    why: 'a ClusterRoleBinding grants cluster-wide',
    via: 'ClusterRoleBinding/erin-reads',
  },
  {cluster: 'scopes', identity: 'user:erin', request: get('pods', 'dev'), allowed: true, why: 'and in every namespace'},
  {
    cluster: 'scopes',
    identity: 'user:bob',
    request: get('secrets', 'dev'),
    allowed: false,
    why: 'a Role roleRef is not resolved in another namespace',
  },
  {
    cluster: 'scopes',
    identity: 'user:bob',
    request: get('secrets', 'shop'),
    allowed: false,
    why: 'and the binding namespace holds no such Role',
  },
  {
    cluster: 'scopes',
    identity: 'user:carol',
    request: get('secrets', 'dev'),
    allowed: true,
    why: 'a Role roleRef resolves in the binding namespace',
    via: 'RoleBinding/dev/carol-secrets',
  },
  {
    cluster: 'scopes',
    identity: 'user:dave',
    request: get('secrets', 'dev'),
    allowed: false,
    why: 'a ClusterRoleBinding cannot reference a Role',
  },
  {
    cluster: 'scopes',
    identity: 'user:frank',
    request: {verb: 'get', nonResourceURL: '/metrics'},
    allowed: false,
    why: 'nonResourceURLs through a RoleBinding are ignored',
  },
  {
    cluster: 'scopes',
    identity: 'user:grace',
    request: {verb: 'get', nonResourceURL: '/metrics'},
    allowed: true,
    why: 'nonResourceURLs through a ClusterRoleBinding, exact',
    via: 'ClusterRoleBinding/urls-through-clusterrolebinding',
  },
  {
    cluster: 'scopes',
    identity: 'user:grace',
    request: {verb: 'get', nonResourceURL: '/logs/kubelet/x.log'},
    allowed: true,
    why: 'a trailing * is a prefix',
  },
  {
    cluster: 'scopes',
    identity: 'user:grace',
    request: {verb: 'get', nonResourceURL: '/logs'},
    allowed: false,
    why: 'the prefix is /logs/, not /logs',
  },
  {
    cluster: 'scopes',
    identity: 'user:grace',
    request: {verb: 'post', nonResourceURL: '/metrics'},
    allowed: false,
    why: 'verbs still count',
  },
  {
    cluster: 'scopes',
    identity: 'user:heidi',
    request: {verb: 'patch', group: '', resource: 'namespaces', name: 'shop'},
    allowed: true,
    why: 'a request on namespace N is in N',
    via: 'RoleBinding/shop/patches-its-namespace',
  },
  {
    cluster: 'scopes',
    identity: 'user:heidi',
    request: {verb: 'patch', group: '', resource: 'namespaces', name: 'dev'},
    allowed: false,
    why: 'but not another namespace',
  },
  {
    cluster: 'scopes',
    identity: 'user:heidi',
    request: {verb: 'list', group: '', resource: 'namespaces'},
    allowed: false,
    why: 'listing namespaces is cluster-wide',
  },
  {cluster: 'scopes', identity: 'user:ivan', request: get('pods', 'shop'), allowed: false, why: 'a dangling roleRef grants nothing (yet)'},
  // Subjects and groups.
  {
    cluster: 'subjects',
    identity: 'sa:shop/web',
    request: get('secrets', 'shop'),
    allowed: true,
    why: 'an SA subject without namespace in a RoleBinding means the binding namespace',
    via: 'RoleBinding/shop/account-without-namespace',
  },
  {
    cluster: 'subjects',
    identity: 'sa:backend/api',
    request: get('secrets'),
    allowed: true,
    why: 'an SA subject with its namespace in a ClusterRoleBinding',
    via: 'ClusterRoleBinding/accounts-cluster-wide',
  },
  {
    cluster: 'subjects',
    identity: 'sa:default/api',
    request: get('secrets'),
    allowed: false,
    why: 'an SA subject without namespace in a ClusterRoleBinding matches nothing',
    unlisted: true,
  },
  {
    cluster: 'subjects',
    identity: 'sa:batch/worker',
    request: get('secrets', 'shop'),
    allowed: true,
    why: 'a RoleBinding may name an SA of another namespace',
    via: 'RoleBinding/shop/account-of-another-namespace',
  },
  {
    cluster: 'subjects',
    identity: 'sa:batch/worker',
    request: get('secrets', 'batch'),
    allowed: false,
    why: 'which gets rights in the binding namespace only',
  },
  {
    cluster: 'subjects',
    identity: 'sa:ops/agent',
    request: get('nodes'),
    allowed: true,
    why: 'a User subject system:serviceaccount:<ns>:<name> is that SA',
    via: 'ClusterRoleBinding/account-as-user',
  },
  {
    cluster: 'subjects',
    identity: 'sa:shop/web',
    request: get('configmaps', 'shop'),
    allowed: true,
    why: 'system:serviceaccounts:<ns> holds the namespace SAs',
    via: 'RoleBinding/shop/accounts-of-shop',
  },
  {cluster: 'subjects', identity: 'sa:batch/worker', request: get('configmaps', 'shop'), allowed: false, why: 'and no others'},
  {
    cluster: 'subjects',
    identity: 'sa:batch/worker',
    request: get('leases', 'shop', {group: 'coordination.k8s.io'}),
    allowed: true,
    why: 'system:serviceaccounts holds every SA',
    via: 'RoleBinding/shop/all-accounts',
  },
  {
    cluster: 'subjects',
    identity: 'user:alice',
    request: {verb: 'list', group: '', resource: 'events'},
    allowed: true,
    why: 'users are in system:authenticated',
    via: 'ClusterRoleBinding/alice-events',
  },
  {
    cluster: 'subjects',
    identity: 'sa:shop/web',
    request: {verb: 'list', group: '', resource: 'events'},
    allowed: true,
    why: 'SAs are in system:authenticated',
    via: 'ClusterRoleBinding/authenticated-events',
  },
  {
    cluster: 'subjects',
    identity: 'user:system:anonymous',
    request: {verb: 'list', group: '', resource: 'events'},
    allowed: false,
    why: 'system:anonymous is not authenticated',
  },
  {
    cluster: 'subjects',
    identity: 'user:system:anonymous',
    request: {verb: 'get', nonResourceURL: '/anonymous'},
    allowed: true,
    why: 'system:anonymous is in system:unauthenticated',
    via: 'ClusterRoleBinding/anonymous-url',
  },
  {
    cluster: 'subjects',
    identity: 'user:alice',
    request: {verb: 'get', nonResourceURL: '/anonymous'},
    allowed: false,
    why: 'authenticated users are not in system:unauthenticated',
  },
  {
    cluster: 'subjects',
    identity: 'user:system:node:n1',
    request: {verb: 'list', group: '', resource: 'events'},
    allowed: true,
    why: 'an identity no binding names still has its implicit groups',
    unlisted: true,
  },
  {
    cluster: 'subjects',
    identity: 'group:system:masters',
    request: {verb: 'delete', group: '', resource: 'nodes', name: 'n1'},
    allowed: true,
    why: 'system:masters bypasses RBAC',
  },
  {
    cluster: 'subjects',
    identity: 'group:system:masters',
    request: {verb: 'get', nonResourceURL: '/anything'},
    allowed: true,
    why: 'for non-resource URLs too',
  },
  // Rule matching.
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: get('secrets', 'shop', {name: 'db-password'}),
    allowed: true,
    why: 'resourceNames match exactly',
    via: 'ClusterRoleBinding/u-names',
  },
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: get('secrets', 'shop', {name: 'other'}),
    allowed: false,
    why: 'another name does not',
  },
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: {verb: 'list', group: '', resource: 'secrets', namespace: 'shop'},
    allowed: false,
    why: 'list without a name never matches resourceNames',
  },
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: {verb: 'watch', group: '', resource: 'secrets', namespace: 'shop', name: 'db-password'},
    allowed: true,
    why: 'watch with a metadata.name field selector carries the name',
  },
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: {verb: 'create', group: '', resource: 'secrets', namespace: 'shop', name: 'db-password'},
    allowed: false,
    why: 'create carries no name',
  },
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: {verb: 'deletecollection', group: '', resource: 'secrets', namespace: 'shop', name: 'db-password'},
    allowed: false,
    why: 'nor does deletecollection',
  },
  {
    cluster: 'rules',
    identity: 'user:u-names',
    request: {verb: 'update', group: '', resource: 'secrets', namespace: 'shop', name: 'db-password'},
    allowed: true,
    why: 'update does',
  },
  {cluster: 'rules', identity: 'user:u-pods', request: get('pods', 'shop'), allowed: true, why: 'verb *', via: 'ClusterRoleBinding/u-pods'},
  {
    cluster: 'rules',
    identity: 'user:u-pods',
    request: {verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web'},
    allowed: false,
    why: 'pods does not match pods/exec',
  },
  {
    cluster: 'rules',
    identity: 'user:u-core-star',
    request: get('pods', 'shop', {subresource: 'log'}),
    allowed: true,
    why: 'resource * matches subresources',
    via: 'ClusterRoleBinding/u-core-star',
  },
  {
    cluster: 'rules',
    identity: 'user:u-core-star',
    request: get('deployments', 'shop', {group: 'apps'}),
    allowed: false,
    why: 'apiGroups "" is the core group only',
  },
  {
    cluster: 'rules',
    identity: 'user:u-scale',
    request: {verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'shop', name: 'web'},
    allowed: true,
    why: '*/scale matches any scale subresource',
    via: 'ClusterRoleBinding/u-scale',
  },
  {
    cluster: 'rules',
    identity: 'user:u-scale',
    request: {verb: 'update', group: 'example.com', resource: 'widgets', subresource: 'scale', namespace: 'shop'},
    allowed: true,
    why: 'of any group (apiGroups *)',
  },
  {
    cluster: 'rules',
    identity: 'user:u-scale',
    request: {verb: 'update', group: 'apps', resource: 'deployments', namespace: 'shop'},
    allowed: false,
    why: 'but not the resource itself',
  },
  {
    cluster: 'rules',
    identity: 'user:u-scale',
    request: {verb: 'update', group: 'apps', resource: 'deployments', subresource: 'status', namespace: 'shop'},
    allowed: false,
    why: 'nor another subresource',
  },
  {
    cluster: 'rules',
    identity: 'user:u-exec',
    request: {verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web'},
    allowed: true,
    why: 'pods/exec matches itself',
    via: 'ClusterRoleBinding/u-exec',
  },
  {
    cluster: 'rules',
    identity: 'user:u-exec',
    request: {verb: 'create', group: '', resource: 'pods', namespace: 'shop'},
    allowed: false,
    why: 'and not pods',
  },
  {
    cluster: 'rules',
    identity: 'user:u-exec',
    request: {verb: 'CREATE', group: '', resource: 'pods', subresource: 'exec', namespace: 'shop'},
    allowed: false,
    why: 'verbs are case-sensitive',
  },
  {
    cluster: 'rules',
    identity: 'user:u-literal',
    request: get('pods', 'shop', {subresource: 'exec'}),
    allowed: false,
    why: 'pods/* is a literal, not a glob',
  },
  {
    cluster: 'rules',
    identity: 'user:u-literal',
    request: get('secrets', 'shop', {name: 'db'}),
    allowed: false,
    why: 'resourceNames * is a literal',
  },
  {
    cluster: 'rules',
    identity: 'user:u-apps',
    request: get('deployments', 'shop', {group: 'apps'}),
    allowed: true,
    why: 'apiGroups exact',
    via: 'ClusterRoleBinding/u-apps',
  },
  {
    cluster: 'rules',
    identity: 'user:u-apps',
    request: get('deployments', 'shop', {group: 'extensions'}),
    allowed: false,
    why: 'another group does not match',
  },
  // Aggregation.
  {
    cluster: 'aggregation',
    identity: 'user:u-top',
    request: get('configmaps', 'shop'),
    allowed: true,
    why: 'aggregation through a chain (top <- middle <- leaf-a)',
    via: 'ClusterRoleBinding/u-top',
  },
  {cluster: 'aggregation', identity: 'user:u-top', request: get('secrets', 'shop'), allowed: true, why: 'and directly (top <- leaf-b)'},
  {
    cluster: 'aggregation',
    identity: 'user:u-top',
    request: {verb: 'delete', group: '', resource: 'nodes', name: 'n1'},
    allowed: false,
    why: "an aggregated role's own (stale) rules are overwritten",
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-middle',
    request: get('services', 'shop'),
    allowed: true,
    why: 'a role whose manifest rules are empty gets the union',
    via: 'ClusterRoleBinding/u-middle',
  },
  {cluster: 'aggregation', identity: 'user:u-middle', request: get('secrets', 'shop'), allowed: false, why: 'only of the roles it selects'},
  {
    cluster: 'aggregation',
    identity: 'user:u-ring',
    request: get('endpoints', 'shop'),
    allowed: true,
    why: 'aggregation cycles settle',
    via: 'ClusterRoleBinding/u-ring',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-expression',
    request: get('pods', 'shop', {subresource: 'log'}),
    allowed: true,
    why: 'matchExpressions selectors',
    via: 'ClusterRoleBinding/u-expression',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-edit',
    request: get('widgets', 'shop', {group: 'example.com'}),
    allowed: true,
    why: 'a labelled role extends the bootstrap edit',
    via: 'RoleBinding/shop/u-edit',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-admin',
    request: get('widgets', 'shop', {group: 'example.com'}),
    allowed: true,
    why: 'and admin, through edit',
    via: 'RoleBinding/shop/u-admin',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-view',
    request: get('widgets', 'shop', {group: 'example.com'}),
    allowed: false,
    why: 'but not view',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-edit',
    request: get('pods', 'shop'),
    allowed: true,
    why: 'edit holds view (view <- aggregate-to-view)',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-edit',
    request: {verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: 'shop'},
    allowed: false,
    why: 'edit cannot write bindings',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-admin',
    request: {verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: 'shop'},
    allowed: true,
    why: 'admin can',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-edit',
    request: {verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: 'shop', name: 'web'},
    allowed: true,
    why: 'edit impersonates SAs',
  },
  {
    cluster: 'aggregation',
    identity: 'user:u-edit',
    request: {verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace: 'shop', name: 'web'},
    allowed: true,
    why: 'and mints their tokens',
  },
  {cluster: 'aggregation', identity: 'user:u-view', request: get('secrets', 'shop'), allowed: false, why: 'view excludes secrets'},
  // Bootstrap policy.
  {
    cluster: 'bootstrap',
    identity: 'user:system:kube-scheduler',
    request: {verb: 'create', group: '', resource: 'pods', subresource: 'binding', namespace: 'shop', name: 'web'},
    allowed: true,
    why: 'bootstrap roles and bindings are added when absent',
    via: 'ClusterRoleBinding/system:kube-scheduler',
  },
  {
    cluster: 'bootstrap',
    identity: 'user:system:kube-scheduler',
    request: {verb: 'create', group: '', resource: 'pods', subresource: 'binding', namespace: 'shop', name: 'web'},
    allowed: false,
    why: 'unless asked not to',
    bootstrap: false,
    unlisted: true,
  },
  {
    cluster: 'bootstrap',
    identity: 'sa:shop/web',
    request: {verb: 'get', nonResourceURL: '/version'},
    allowed: true,
    why: 'system:public-info-viewer for everyone authenticated',
    via: 'ClusterRoleBinding/system:discovery',
  },
  {
    cluster: 'bootstrap',
    identity: 'user:system:anonymous',
    request: {verb: 'get', nonResourceURL: '/healthz'},
    allowed: true,
    why: 'and unauthenticated',
    via: 'ClusterRoleBinding/system:public-info-viewer',
    unlisted: true,
  },
  {
    cluster: 'bootstrap',
    identity: 'user:system:anonymous',
    request: {verb: 'get', nonResourceURL: '/apis'},
    allowed: false,
    why: 'system:discovery is for authenticated users only',
    unlisted: true,
  },
  {
    cluster: 'bootstrap',
    identity: 'sa:shop/web',
    request: {verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews'},
    allowed: true,
    why: 'system:basic-user',
    via: 'ClusterRoleBinding/system:basic-user',
  },
  {
    cluster: 'bootstrap',
    identity: 'user:system:kube-controller-manager',
    request: get('secrets', 'shop', {name: 'x'}),
    allowed: true,
    why: 'the controller manager reads secrets',
    via: 'ClusterRoleBinding/system:kube-controller-manager',
  },
  {
    cluster: 'bootstrap',
    identity: 'group:system:masters',
    request: {verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles'},
    allowed: true,
    why: 'system:masters, and the bootstrap cluster-admin binding',
  },
  {
    cluster: 'bootstrap',
    identity: 'group:system:masters',
    request: {verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles'},
    allowed: true,
    why: 'system:masters needs no binding',
    bootstrap: false,
  },
  {
    cluster: 'overrides',
    identity: 'user:vic',
    request: get('pods', 'shop'),
    allowed: true,
    why: 'a user-supplied role of a bootstrap name wins',
    via: 'RoleBinding/shop/viewers',
  },
  {
    cluster: 'overrides',
    identity: 'user:vic',
    request: get('configmaps', 'shop'),
    allowed: false,
    why: 'the bootstrap view would allow this',
  },
  {
    cluster: 'overrides',
    identity: 'sa:shop/web',
    request: {verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews'},
    allowed: false,
    why: 'a user-supplied binding of a bootstrap name wins',
  },
  {
    cluster: 'overrides',
    identity: 'group:reviewers',
    request: {verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews'},
    allowed: true,
    why: 'for whom it names',
    via: 'ClusterRoleBinding/system:basic-user',
  },
];

let dir: string;
const engines = new Map<string, RbacEngine>();
const engineFor = (test: Pick<Case, 'cluster' | 'bootstrap'>): RbacEngine => engines.get(`${test.cluster}/${test.bootstrap ?? true}`)!;

beforeAll(async () => {
  dir = writeFiles(Object.fromEntries(Object.entries(CLUSTERS).map(([name, text]) => [`${name}.yaml`, text])));
  for (const name of Object.keys(CLUSTERS)) {
    const model = buildModel((await loadInputs([join(dir, `${name}.yaml`)])).snapshot);
    engines.set(`${name}/true`, buildRbacEngine(model));
    engines.set(`${name}/false`, buildRbacEngine(model, {bootstrap: false}));
  }
});

const label = (c: Case): string =>
  `${c.cluster}${c.bootstrap === false ? ' (no bootstrap)' : ''}: ${c.identity} ${c.allowed ? 'may' : 'may not'} ${describeRequest(c.request)}: ${c.why}`;

describe('RBAC semantics', () => {
  it.each(CASES.map((c) => [label(c), c] as const))('%s', (_label, test) => {
    const engine = engineFor(test);
    const grants = engine.can(test.identity, test.request);
    expect(grants.length > 0, JSON.stringify(grants, null, 1)).toBe(test.allowed);
    if (test.via) expect(grants.some((g) => g.kind === 'rbac' && g.binding === test.via)).toBe(true);
    // whoCan lists the identity exactly when can() allows it, with the same grants.
    const entry = engine.whoCan(test.request).find((e) => e.identity.id === test.identity);
    if (test.unlisted) expect(engine.identity(test.identity)).toBeUndefined();
    else expect(entry?.grants ?? []).toEqual(grants);
  });

  it('agrees between can() and whoCan() for every listed identity and every request of the table', () => {
    for (const test of CASES) {
      const engine = engineFor(test);
      const listed = new Map(engine.whoCan(test.request).map((e) => [e.identity.id, e.grants]));
      for (const identity of engine.identities)
        expect(listed.get(identity.id) ?? [], `${identity.id} ${label(test)}`).toEqual(engine.can(identity, test.request));
    }
  });

  it('names the grant: binding, role (bootstrap or not), rule index, subject index, scope and the rule origin', () => {
    const engine = engineFor({cluster: 'aggregation'});
    const [grant] = engine.can('user:u-edit', get('widgets', 'shop', {group: 'example.com'}));
    // edit's filled rules: system:aggregate-to-edit's, then view's, then widgets-edit's (roles by name).
    const ruleIndex = engine.policy.roles.get('ClusterRole/edit')!.rules.findIndex((r) => r.origin.role === 'ClusterRole/widgets-edit');
    expect(ruleIndex).toBe(13 + 10);
    expect(grant).toEqual({
      kind: 'rbac',
      via: 'user:u-edit',
      binding: 'RoleBinding/shop/u-edit',
      bindingBootstrap: false,
      subjectIndex: 0,
      role: 'ClusterRole/edit',
      bootstrap: true,
      ruleIndex,
      rule: {apiGroups: ['example.com'], resources: ['widgets'], resourceNames: [], nonResourceURLs: [], verbs: ['get', 'create']},
      origin: {role: 'ClusterRole/widgets-edit', rule: 0, bootstrap: false},
      scope: 'shop',
    });
    const masters = engineFor({cluster: 'bootstrap'}).can('group:system:masters', {verb: 'delete', group: '', resource: 'nodes'});
    expect(masters[0]).toMatchObject({kind: 'system:masters', via: 'group:system:masters', scope: 'cluster'});
    expect(masters[0]!.kind === 'system:masters' && masters[0]!.reason).toMatch(/before RBAC/);
    expect(masters.slice(1)).toEqual([
      expect.objectContaining({
        binding: 'ClusterRoleBinding/cluster-admin',
        role: 'ClusterRole/cluster-admin',
        bootstrap: true,
        bindingBootstrap: true,
      }),
    ]);
  });
});

describe('aggregation', () => {
  const rulesOf = (name: string) => {
    const role = engineFor({cluster: 'aggregation'}).policy.roles.get(`ClusterRole/${name}`)!;
    return role.rules.map((r) => `${r.rule.resources.join(',')}<-${r.origin.role}#${r.origin.rule}`);
  };

  it('fills rules in the controller order: selectors in order, roles by name, duplicates dropped', () => {
    expect(rulesOf('middle')).toEqual(['configmaps<-ClusterRole/leaf-a#0', 'services<-ClusterRole/leaf-c#1']);
    expect(rulesOf('top')).toEqual(['secrets<-ClusterRole/leaf-b#0', 'configmaps<-ClusterRole/leaf-a#0', 'services<-ClusterRole/leaf-c#1']);
    expect(rulesOf('ring-1')).toEqual(rulesOf('ring-2'));
    expect(rulesOf('ring-1')).toEqual(['endpoints<-ClusterRole/ring-base#0']);
  });

  it('fills the bootstrap admin, edit and view from their aggregate-to pieces (and edit from view)', () => {
    const engine = engineFor({cluster: 'bootstrap'});
    const origins = (name: string) => [...new Set(engine.policy.roles.get(`ClusterRole/${name}`)!.rules.map((r) => r.origin.role))];
    expect(origins('view')).toEqual(['ClusterRole/system:aggregate-to-view']);
    expect(origins('edit')).toEqual(['ClusterRole/system:aggregate-to-edit', 'ClusterRole/system:aggregate-to-view']);
    expect(origins('admin')).toEqual([
      'ClusterRole/system:aggregate-to-edit',
      'ClusterRole/system:aggregate-to-view',
      'ClusterRole/system:aggregate-to-admin',
    ]);
    expect(engine.policy.roles.get('ClusterRole/edit')!.aggregated).toBe(true);
  });
});

describe('bootstrap policy', () => {
  it('adds the built-in roles and bindings the input lacks, marked as bootstrap', () => {
    const engine = engineFor({cluster: 'bootstrap'});
    for (const name of [
      'cluster-admin',
      'admin',
      'edit',
      'view',
      'system:aggregate-to-edit',
      'system:node',
      'system:kube-controller-manager',
      'system:kube-scheduler',
      'system:node-proxier',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
    ]) {
      expect(engine.policy.roles.get(`ClusterRole/${name}`), name).toMatchObject({bootstrap: true});
    }
    const bindings = new Map(engine.policy.bindings.map((b) => [b.key, b]));
    expect(bindings.get('ClusterRoleBinding/cluster-admin')!.subjects).toEqual([
      expect.objectContaining({kind: 'Group', name: 'system:masters'}),
    ]);
    expect(bindings.get('ClusterRoleBinding/system:node')!.subjects).toEqual([]);
    expect(engine.bootstrapVersion).toBe('v1.30');
    expect(engineFor({cluster: 'bootstrap', bootstrap: false}).policy.roles.size).toBe(0);
    expect(engineFor({cluster: 'bootstrap', bootstrap: false}).bootstrapVersion).toBeUndefined();
  });

  it('keeps the input object of a bootstrap name', () => {
    const engine = engineFor({cluster: 'overrides'});
    expect(engine.policy.roles.get('ClusterRole/view')).toMatchObject({bootstrap: false, aggregated: false, rules: [expect.anything()]});
    expect(engine.policy.bindings.find((b) => b.key === 'ClusterRoleBinding/system:basic-user')).toMatchObject({bootstrap: false});
    // The bootstrap edit still aggregates the user's view, whose label it lacks: not selected.
    expect(engine.policy.roles.get('ClusterRole/edit')!.rules.every((r) => r.origin.role !== 'ClusterRole/view')).toBe(true);
  });

  it('lists identities named only by bootstrap bindings as such, never as graph identities', () => {
    const engine = engineFor({cluster: 'bootstrap'});
    expect(engine.identity('user:system:kube-scheduler')).toMatchObject({source: 'bootstrap'});
    expect(engine.identity('group:system:authenticated')).toMatchObject({source: 'bootstrap'});
    expect(engine.identity('sa:kube-system/kube-dns')).toMatchObject({source: 'bootstrap'});
    expect(engine.identity('sa:shop/web')).toMatchObject({source: 'input'});
  });
});

describe('identities', () => {
  it('uses graph ids and the implicit groups', () => {
    expect(identityFromId('sa:shop/web')).toEqual({
      id: 'sa:shop/web',
      kind: 'ServiceAccount',
      name: 'web',
      namespace: 'shop',
      username: 'system:serviceaccount:shop:web',
      groups: ['system:authenticated', 'system:serviceaccounts', 'system:serviceaccounts:shop'],
      source: 'unlisted',
    });
    expect(identityFromId('user:system:serviceaccount:shop:web').id).toBe('sa:shop/web');
    expect(identityFromId('user:alice').groups).toEqual(['system:authenticated']);
    expect(identityFromId('user:system:anonymous').groups).toEqual(['system:unauthenticated']);
    expect(identityFromId('user:system:node:n1').groups).toEqual(['system:authenticated', 'system:nodes']);
    expect(identityFromId('group:system:masters').groups).toEqual(['system:masters']);
    for (const bad of ['sa:shop', 'sa:/web', 'sa:a/b/c', 'pod:shop/web', 'user:'])
      expect(() => identityFromId(bad), bad).toThrow(TypeError);
  });

  it('lists the model service accounts and the subjects of bindings, sorted, with members per group', () => {
    const engine = engineFor({cluster: 'subjects', bootstrap: false});
    const ids = engine.identities.map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(
      expect.arrayContaining([
        'sa:shop/web',
        'sa:backend/api',
        'sa:ops/agent',
        'user:alice',
        'user:system:anonymous',
        'group:system:serviceaccounts:shop',
        'group:system:masters',
      ]),
    );
    expect(ids).not.toContain('user:system:serviceaccount:ops:agent');
    expect(engine.membersOf('system:serviceaccounts:shop').map((i) => i.id)).toEqual(['sa:shop/default', 'sa:shop/web']);
    expect(engine.membersOf('system:unauthenticated').map((i) => i.id)).toEqual(['user:system:anonymous']);
    expect(engine.namedBy('sa:ops/agent')).toMatchObject({binding: {key: 'ClusterRoleBinding/account-as-user'}, subjectIndex: 0});
    expect(engine.namedBy('sa:default/api')).toBeUndefined();
  });

  it('gives the effective rules per scope, cluster first', () => {
    const rules = engineFor({cluster: 'subjects', bootstrap: false}).rulesOf('sa:shop/web');
    expect(rules.privileged).toBeUndefined();
    expect(rules.scopes.map((s) => [s.scope, s.grants.map((g) => `${g.binding}#${g.ruleIndex} via ${g.via}`)])).toEqual([
      ['cluster', ['ClusterRoleBinding/authenticated-events#0 via group:system:authenticated']],
      [
        'shop',
        [
          'RoleBinding/shop/account-without-namespace#0 via sa:shop/web',
          'RoleBinding/shop/accounts-of-shop#0 via group:system:serviceaccounts:shop',
          'RoleBinding/shop/all-accounts#0 via group:system:serviceaccounts',
        ],
      ],
    ]);
    expect(engineFor({cluster: 'subjects'}).rulesOf('group:system:masters').privileged).toMatchObject({kind: 'system:masters'});
  });
});

describe('requests', () => {
  it('are checked up front', () => {
    const engine = engineFor({cluster: 'rules'});
    const bad: unknown[] = [
      {verb: '', group: '', resource: 'pods'},
      {verb: 'get', group: '', resource: 'pods/exec'},
      {verb: 'get', resource: 'pods'},
      {verb: 'get', group: '', resource: 'pods', subresource: ''},
      {verb: 'get', group: '', resource: 'pods', namespace: ''},
      {verb: 'get', nonResourceURL: 'healthz'},
      {verb: 'get', nonResourceURL: '/healthz', namespace: 'shop'},
      {verb: 'patch', group: '', resource: 'namespaces', name: 'shop', namespace: 'dev'},
    ];
    for (const request of bad) {
      expect(() => engine.can('user:u-pods', request as RbacRequest), JSON.stringify(request)).toThrow(/^kubepath rbac: /);
      expect(() => engine.whoCan(request as RbacRequest)).toThrow(TypeError);
    }
    expect(() => engine.can('pod:shop/web', get('pods'))).toThrow(/not an identity id/);
  });

  it('carry the name and namespace the API server sees', () => {
    expect(normalizeRequest({verb: 'create', group: '', resource: 'pods', namespace: 'a', name: 'x'})).toMatchObject({
      name: '',
      namespace: 'a',
    });
    expect(normalizeRequest({verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'a', name: 'x'})).toMatchObject({
      name: 'x',
      combined: 'pods/exec',
    });
    expect(normalizeRequest({verb: 'list', group: '', resource: 'namespaces', name: 'a'})).toMatchObject({name: 'a', namespace: ''});
    expect(normalizeRequest({verb: 'get', group: '', resource: 'namespaces', subresource: 'status', name: 'a'})).toMatchObject({
      namespace: 'a',
    });
  });

  it('are read from who-can arguments as kubectl reads them', () => {
    const parse = (resource: string, options = {}) => parseWhoCanArguments('get', resource, options);
    expect(parse('deployments.apps/scale', {namespace: 'shop'})).toEqual({
      request: {verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'shop'},
      warnings: [],
    });
    expect(parse('deploy').request).toEqual({verb: 'get', group: 'apps', resource: 'deployments'});
    expect(parse('networkpolicy').request).toMatchObject({group: 'networking.k8s.io', resource: 'networkpolicies'});
    expect(parse('pods/exec').request).toEqual({verb: 'get', group: '', resource: 'pods', subresource: 'exec'});
    expect(parse('/healthz').request).toEqual({verb: 'get', nonResourceURL: '/healthz'});
    expect(parse('widgets.example.com').request).toEqual({verb: 'get', group: 'example.com', resource: 'widgets'});
    expect(parse('widgets').warnings).toEqual([expect.stringMatching(/not a built-in resource/)]);
    expect(parse('*').request).toEqual({verb: 'get', group: '', resource: '*'});
    expect(parseWhoCanArguments('create', 'secrets', {name: 'x'}).warnings).toEqual([expect.stringMatching(/--name is ignored/)]);
    expect(() => parse('nodes', {namespace: 'shop'})).toThrow(/cluster-scoped/);
    expect(() => parse('/healthz', {namespace: 'shop'})).toThrow(/no namespace/);
    expect(() => parse('pods/exec/x')).toThrow(/subresource/);
    expect(() => parse('pods.')).toThrow(/no API group/);
  });
});

/** The CLI arguments that ask the same request: VERB RESOURCE, then -n and --name. */
function cliArgs(request: RbacRequest): {verb: string; resource: string; options: {namespace?: string; name?: string}; flags: string[]} {
  if ('nonResourceURL' in request) return {verb: request.verb, resource: request.nonResourceURL, options: {}, flags: []};
  const resource = `${request.resource}${request.group ? `.${request.group}` : ''}${request.subresource ? `/${request.subresource}` : ''}`;
  const options = {...(request.namespace ? {namespace: request.namespace} : {}), ...(request.name ? {name: request.name} : {})};
  return {
    verb: request.verb,
    resource,
    options,
    flags: [...(options.namespace ? ['-n', options.namespace] : []), ...(options.name ? ['--name', options.name] : [])],
  };
}

/** runCli, but without blocking: the questions below run a few processes at a time. */
function runWhoCan(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'run.js'), 'who-can', ...args],
      {env: {...process.env, NO_COLOR: '1'}, maxBuffer: 64 << 20},
      (error, stdout, stderr) => resolve({status: error ? Number(error.code) : 0, stdout, stderr}),
    );
  });
}

describe('kubepath who-can agrees with the evaluator', () => {
  // One process per distinct question; every case of that question is checked on its answer.
  const questions = new Map<string, Case[]>();
  for (const test of CASES) {
    const key = JSON.stringify([test.cluster, test.bootstrap ?? true, test.request]);
    questions.set(key, [...(questions.get(key) ?? []), test]);
  }

  it.concurrent.each([...questions.values()].map((cases) => [label(cases[0]!), cases] as const))('%s', async (_label, cases) => {
    const {cluster, bootstrap, request} = cases[0]!;
    const {verb, resource, options, flags} = cliArgs(request);
    expect(parseWhoCanArguments(verb, resource, options).request, 'the CLI can ask this request').toEqual(request);
    const result = await runWhoCan([
      verb,
      resource,
      ...flags,
      join(dir, `${cluster}.yaml`),
      '-o',
      'json',
      ...(bootstrap === false ? ['--no-bootstrap'] : []),
    ]);
    expect(result.status, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as {request: RbacRequest; allowed: Array<{identity: string; grants: Grant[]}>};
    expect(answer.request).toEqual(request);
    const engine = engineFor(cases[0]!);
    expect(answer.allowed).toEqual(
      JSON.parse(
        JSON.stringify(
          engine
            .whoCan(request)
            .map((e) => ({identity: e.identity.id, kind: e.identity.kind, source: e.identity.source, grants: e.grants})),
        ),
      ),
    );
    for (const test of cases.filter((c) => !c.unlisted)) {
      const listed = answer.allowed.find((e) => e.identity === test.identity);
      expect(Boolean(listed), label(test)).toBe(test.allowed);
      expect(listed?.grants ?? []).toEqual(JSON.parse(JSON.stringify(engine.can(test.identity, request))));
    }
  });
});

describe('kubepath who-can', () => {
  it('prints a sorted table: identity, binding, role, rule, scope, and the subject that matched', () => {
    const result = runCli(['who-can', 'get', 'configmaps', '-n', 'shop', join(dir, 'aggregation.yaml')]);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IDENTITY +BINDING +ROLE +RULE +SCOPE +VIA$/);
    expect(lines.find((l) => l.startsWith('user:u-top '))).toMatch(
      /^user:u-top +ClusterRoleBinding\/u-top +ClusterRole\/top +1 \(from ClusterRole\/leaf-a rules\[0\]\) +cluster +user:u-top$/,
    );
    expect(lines.find((l) => l.startsWith('user:u-edit '))).toMatch(
      /RoleBinding\/shop\/u-edit +ClusterRole\/edit \[bootstrap\] +13 \(from ClusterRole\/system:aggregate-to-view rules\[0\]\) +shop/,
    );
    expect(lines.find((l) => l.startsWith('group:system:masters '))).toMatch(/\(system:masters bypasses RBAC\)/);
    const identities = lines.slice(1).map((l) => l.split(' ')[0]!);
    expect(identities).toEqual([...identities].sort());
    expect(runCli(['who-can', 'get', 'configmaps', '-n', 'shop', join(dir, 'aggregation.yaml')]).stdout).toBe(result.stdout);
  });

  it('says when nobody can, and warns about guesses on stderr', () => {
    const result = runCli(['who-can', 'get', 'gizmos', '-n', 'shop', join(dir, 'rules.yaml'), '--no-bootstrap']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^kubepath: warning: gizmos is not a built-in resource/);
    expect(result.stdout.split('\n')[1]).toMatch(/^group:system:masters/);
    const nobody = runCli(['who-can', 'get', '/nothing', join(dir, 'rules.yaml'), '-o', 'json']);
    expect(JSON.parse(nobody.stdout).allowed.map((e: {identity: string}) => e.identity)).toEqual(['group:system:masters']);
  });

  it.each([
    [['who-can'], /needs a VERB and a RESOURCE/],
    [['who-can', 'get'], /needs a VERB and a RESOURCE/],
    [['who-can', 'get', 'pods'], /no INPUT given/],
    [['who-can', 'get', '/healthz', '-n', 'shop', 'x.yaml'], /non-resource URL has no namespace/],
    [['who-can', 'get', 'nodes', '-n', 'shop', 'x.yaml'], /cluster-scoped/],
    [['who-can', 'get', 'pods/exec/x', 'x.yaml'], /subresource/],
    [['who-can', 'get', 'pods', '-o', 'yaml', 'x.yaml'], /Expected --output=yaml to be one of/],
  ])('refuses bad usage with one line and exit 2: %j', (args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
