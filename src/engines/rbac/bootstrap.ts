/**
 * kubepath RBAC bootstrap policy
 * ==============================
 *
 * The roles and bindings the API server creates at start-up (the "bootstrap
 * policy", labelled `kubernetes.io/bootstrapping: rbac-defaults`), for Kubernetes
 * v1.30. Manifests in git never contain them, yet `edit`, `view` or `cluster-admin`
 * are what most bindings name, so the RBAC engine adds each one the input lacks
 * (by name; an input object of the same name wins).
 *
 * Source: the role contents documented by the bootstrap policy's golden files,
 * kubernetes/kubernetes `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/`
 * (`cluster-roles.yaml`, `cluster-role-bindings.yaml`, `namespace-roles.yaml`,
 * `namespace-role-bindings.yaml`), written out here as data; rules keep the
 * documented order, so rule indexes match `kubectl get clusterrole -o yaml` on a
 * cluster of that version. Left out (docs/rbac.md): the `system:controller:*`
 * roles and bindings (controller-manager service accounts, present only with
 * `--use-service-account-credentials`), the `system::leader-locking-*` Roles,
 * and roles behind feature gates that are off by default.
 *
 * The `system:node` ClusterRoleBinding has no subjects since v1.8: kubelets are
 * authorized by the Node authorizer (and NodeRestriction admission), which is not
 * RBAC and is not evaluated here.
 */
import type {ClusterRoleBindingObject, ClusterRoleObject, PolicyRule, RoleBindingObject, RoleObject, Subject} from '../../snapshot/schema.js';

export const BOOTSTRAP_VERSION = 'v1.30';
export const BOOTSTRAP_LABEL = {'kubernetes.io/bootstrapping': 'rbac-defaults'} as const;

const CORE = '';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const EVENT_WRITE = ['create', 'patch', 'update'];

function rule(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule {
  return resourceNames ? {apiGroups, resources, resourceNames, verbs} : {apiGroups, resources, verbs};
}

function urls(nonResourceURLs: string[], verbs: string[]): PolicyRule {
  return {nonResourceURLs, verbs};
}

interface ClusterRoleData {
  name: string;
  /** Aggregation labels this role carries (`rbac.authorization.k8s.io/aggregate-to-<x>: "true"`). */
  aggregatesInto?: string[];
  /** The aggregation label this role collects: its rules are filled by the controller. */
  aggregatesFrom?: string;
  rules: PolicyRule[];
}

const AGGREGATE = (role: string): string => `rbac.authorization.k8s.io/aggregate-to-${role}`;

const CLUSTER_ROLES: readonly ClusterRoleData[] = [
  {name: 'admin', aggregatesFrom: 'admin', rules: []},
  {name: 'cluster-admin', rules: [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]},
  {name: 'edit', aggregatesInto: ['admin'], aggregatesFrom: 'edit', rules: []},
  {
    name: 'system:aggregate-to-admin',
    aggregatesInto: ['admin'],
    rules: [
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
      rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], READ_WRITE),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    aggregatesInto: ['edit'],
    rules: [
      rule([CORE], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
      rule([CORE], ['serviceaccounts'], ['impersonate']),
      rule([CORE], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
      rule([CORE], ['pods/eviction'], ['create']),
      rule(
        [CORE],
        ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'],
        WRITE,
      ),
      rule([CORE], ['serviceaccounts/token'], ['create']),
      rule(
        ['apps'],
        ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
        WRITE,
      ),
      rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
      rule(['batch'], ['cronjobs', 'jobs'], WRITE),
      rule(
        ['extensions'],
        ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'],
        WRITE,
      ),
      rule(['policy'], ['poddisruptionbudgets'], WRITE),
      rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
      rule(['coordination.k8s.io'], ['leases'], READ_WRITE),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    aggregatesInto: ['view'],
    rules: [
      rule(
        [CORE],
        ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'],
        READ,
      ),
      rule(
        [CORE],
        ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'],
        READ,
      ),
      rule([CORE], ['namespaces'], READ),
      rule(['discovery.k8s.io'], ['endpointslices'], READ),
      rule(
        ['apps'],
        [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
        READ,
      ),
      rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
      rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
      rule(
        ['extensions'],
        [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
        READ,
      ),
      rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
      rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
    ],
  },
  {
    name: 'system:auth-delegator',
    rules: [rule(['authentication.k8s.io'], ['tokenreviews'], ['create']), rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])],
  },
  {
    name: 'system:basic-user',
    rules: [
      rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ],
  },
  {
    name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    rules: [rule(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create'])],
  },
  {
    name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    rules: [rule(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create'])],
  },
  ...['kube-apiserver-client', 'kube-apiserver-client-kubelet', 'kubelet-serving', 'legacy-unknown'].map((signer) => ({
    name: `system:certificates.k8s.io:${signer}-approver`,
    rules: [rule(['certificates.k8s.io'], ['signers'], ['approve'], [`kubernetes.io/${signer}`])],
  })),
  {
    name: 'system:discovery',
    rules: [urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])],
  },
  {
    name: 'system:heapster',
    rules: [rule([CORE], ['events', 'namespaces', 'nodes', 'pods'], READ), rule(['extensions'], ['deployments'], READ)],
  },
  {name: 'system:kube-aggregator', rules: [rule([CORE], ['endpoints', 'services'], READ)]},
  {
    name: 'system:kube-controller-manager',
    rules: [
      rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE),
      rule(['coordination.k8s.io'], ['leases'], ['create']),
      rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-controller-manager']),
      rule([CORE], ['secrets', 'serviceaccounts'], ['create']),
      rule([CORE], ['secrets'], ['delete']),
      rule([CORE], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']),
      rule([CORE], ['secrets', 'serviceaccounts'], ['update']),
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      rule(['*'], ['*'], ['list', 'watch']),
      rule([CORE], ['serviceaccounts/token'], ['create']),
    ],
  },
  {name: 'system:kube-dns', rules: [rule([CORE], ['endpoints', 'services'], ['list', 'watch'])]},
  {
    name: 'system:kube-scheduler',
    rules: [
      rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE),
      rule(['coordination.k8s.io'], ['leases'], ['create']),
      rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['kube-scheduler']),
      rule([CORE], ['nodes'], READ),
      rule([CORE], ['pods'], ['delete', 'get', 'list', 'watch']),
      rule([CORE], ['bindings', 'pods/binding'], ['create']),
      rule([CORE], ['pods/status'], ['patch', 'update']),
      rule([CORE], ['replicationcontrollers', 'services'], READ),
      rule(['apps', 'extensions'], ['replicasets'], READ),
      rule(['apps'], ['statefulsets'], READ),
      rule(['policy'], ['poddisruptionbudgets'], READ),
      rule([CORE], ['persistentvolumeclaims', 'persistentvolumes'], READ),
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      rule(['storage.k8s.io'], ['csinodes'], READ),
      rule([CORE], ['namespaces'], READ),
      rule(['storage.k8s.io'], ['csidrivers'], READ),
      rule(['storage.k8s.io'], ['csistoragecapacities'], READ),
    ],
  },
  {
    name: 'system:kubelet-api-admin',
    rules: [
      rule([CORE], ['nodes'], READ),
      rule([CORE], ['nodes'], ['proxy']),
      rule([CORE], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*']),
    ],
  },
  {
    name: 'system:monitoring',
    rules: [urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get'])],
  },
  {
    name: 'system:node',
    rules: [
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
      rule([CORE], ['services'], READ),
      rule([CORE], ['nodes'], ['create', 'get', 'list', 'watch']),
      rule([CORE], ['nodes/status'], ['patch', 'update']),
      rule([CORE], ['nodes'], ['patch', 'update']),
      rule([CORE], ['events'], EVENT_WRITE),
      rule([CORE], ['pods'], READ),
      rule([CORE], ['pods'], ['create', 'delete']),
      rule([CORE], ['pods/status'], ['patch', 'update']),
      rule([CORE], ['pods/eviction'], ['create']),
      rule([CORE], ['configmaps', 'secrets'], READ),
      rule([CORE], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
      rule([CORE], ['endpoints'], ['get']),
      rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
      rule(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['get']),
      rule([CORE], ['serviceaccounts/token'], ['create']),
      rule([CORE], ['persistentvolumeclaims/status'], ['get', 'patch', 'update']),
      rule(['storage.k8s.io'], ['csidrivers'], READ),
      rule(['storage.k8s.io'], ['csinodes'], ['create', 'delete', 'get', 'patch', 'update']),
      rule(['node.k8s.io'], ['runtimeclasses'], READ),
    ],
  },
  {name: 'system:node-bootstrapper', rules: [rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])]},
  {
    name: 'system:node-problem-detector',
    rules: [rule([CORE], ['nodes'], ['get']), rule([CORE], ['nodes/status'], ['patch']), rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE)],
  },
  {
    name: 'system:node-proxier',
    rules: [
      rule([CORE], ['endpoints', 'services'], ['list', 'watch']),
      rule([CORE], ['nodes'], READ),
      rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE),
      rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ],
  },
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      rule([CORE], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
      rule([CORE], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      rule([CORE], ['events'], ['watch']),
      rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE),
    ],
  },
  {name: 'system:public-info-viewer', rules: [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])]},
  {name: 'system:service-account-issuer-discovery', rules: [urls(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get'])]},
  {
    name: 'system:volume-scheduler',
    rules: [
      rule([CORE], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      rule([CORE], ['persistentvolumeclaims'], ['get', 'list', 'patch', 'update', 'watch']),
    ],
  },
  {name: 'view', aggregatesInto: ['edit'], aggregatesFrom: 'view', rules: []},
];

const user = (name: string): Subject => ({kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name});
const group = (name: string): Subject => ({kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name});
const serviceAccount = (namespace: string, name: string): Subject => ({kind: 'ServiceAccount', name, namespace});

/** Binding name (also the ClusterRole it binds) and subjects. */
const CLUSTER_ROLE_BINDINGS: ReadonlyArray<{name: string; subjects: Subject[]}> = [
  {name: 'cluster-admin', subjects: [group('system:masters')]},
  {name: 'system:basic-user', subjects: [group('system:authenticated')]},
  {name: 'system:discovery', subjects: [group('system:authenticated')]},
  {name: 'system:kube-controller-manager', subjects: [user('system:kube-controller-manager')]},
  {name: 'system:kube-dns', subjects: [serviceAccount('kube-system', 'kube-dns')]},
  {name: 'system:kube-scheduler', subjects: [user('system:kube-scheduler')]},
  {name: 'system:monitoring', subjects: [group('system:monitoring')]},
  // Kept without subjects since v1.8: the Node authorizer grants kubelets their access.
  {name: 'system:node', subjects: []},
  {name: 'system:node-proxier', subjects: [user('system:kube-proxy')]},
  {name: 'system:public-info-viewer', subjects: [group('system:authenticated'), group('system:unauthenticated')]},
  {name: 'system:service-account-issuer-discovery', subjects: [group('system:serviceaccounts')]},
  {name: 'system:volume-scheduler', subjects: [user('system:kube-scheduler')]},
];

const NAMESPACE_ROLES: ReadonlyArray<{namespace: string; name: string; rules: PolicyRule[]}> = [
  {
    namespace: 'kube-public',
    name: 'system:controller:bootstrap-signer',
    rules: [
      rule([CORE], ['configmaps'], READ),
      rule([CORE], ['configmaps'], ['update'], ['cluster-info']),
      rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE),
    ],
  },
  {namespace: 'kube-system', name: 'extension-apiserver-authentication-reader', rules: [rule([CORE], ['configmaps'], READ, ['extension-apiserver-authentication'])]},
  {namespace: 'kube-system', name: 'system:controller:bootstrap-signer', rules: [rule([CORE], ['secrets'], READ)]},
  {namespace: 'kube-system', name: 'system:controller:cloud-provider', rules: [rule([CORE], ['configmaps'], ['create', 'get', 'list', 'watch'])]},
  {
    namespace: 'kube-system',
    name: 'system:controller:token-cleaner',
    rules: [rule([CORE], ['secrets'], ['delete', 'get', 'list', 'watch']), rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE)],
  },
];

const NAMESPACE_ROLE_BINDINGS: ReadonlyArray<{namespace: string; name: string; role: string; subjects: Subject[]}> = [
  {namespace: 'kube-public', name: 'system:controller:bootstrap-signer', role: 'system:controller:bootstrap-signer', subjects: [serviceAccount('kube-system', 'bootstrap-signer')]},
  {
    namespace: 'kube-system',
    name: 'system::extension-apiserver-authentication-reader',
    role: 'extension-apiserver-authentication-reader',
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler')],
  },
  {namespace: 'kube-system', name: 'system:controller:bootstrap-signer', role: 'system:controller:bootstrap-signer', subjects: [serviceAccount('kube-system', 'bootstrap-signer')]},
  {namespace: 'kube-system', name: 'system:controller:cloud-provider', role: 'system:controller:cloud-provider', subjects: [serviceAccount('kube-system', 'cloud-provider')]},
  {namespace: 'kube-system', name: 'system:controller:token-cleaner', role: 'system:controller:token-cleaner', subjects: [serviceAccount('kube-system', 'token-cleaner')]},
];

export interface BootstrapPolicy {
  clusterRoles: ClusterRoleObject[];
  clusterRoleBindings: ClusterRoleBindingObject[];
  roles: RoleObject[];
  roleBindings: RoleBindingObject[];
}

const API_VERSION = 'rbac.authorization.k8s.io/v1';
const roleRef = (kind: 'Role' | 'ClusterRole', name: string) => ({apiGroup: 'rbac.authorization.k8s.io', kind, name});

/** The bootstrap policy as API objects, fresh on every call (callers may keep references). */
export function bootstrapPolicy(): BootstrapPolicy {
  return {
    clusterRoles: CLUSTER_ROLES.map((role) => {
      const labels: Record<string, string> = {...BOOTSTRAP_LABEL};
      for (const target of role.aggregatesInto ?? []) labels[AGGREGATE(target)] = 'true';
      const object: ClusterRoleObject = {apiVersion: API_VERSION, kind: 'ClusterRole', metadata: {name: role.name, labels}, rules: structuredClone(role.rules)};
      if (role.aggregatesFrom) object.aggregationRule = {clusterRoleSelectors: [{matchLabels: {[AGGREGATE(role.aggregatesFrom)]: 'true'}}]};
      return object;
    }),
    clusterRoleBindings: CLUSTER_ROLE_BINDINGS.map(({name, subjects}) => ({
      apiVersion: API_VERSION,
      kind: 'ClusterRoleBinding',
      metadata: {name, labels: {...BOOTSTRAP_LABEL}},
      roleRef: roleRef('ClusterRole', name),
      subjects: structuredClone(subjects),
    })),
    roles: NAMESPACE_ROLES.map(({namespace, name, rules}) => ({
      apiVersion: API_VERSION,
      kind: 'Role',
      metadata: {name, namespace, labels: {...BOOTSTRAP_LABEL}},
      rules: structuredClone(rules),
    })),
    roleBindings: NAMESPACE_ROLE_BINDINGS.map(({namespace, name, role, subjects}) => ({
      apiVersion: API_VERSION,
      kind: 'RoleBinding',
      metadata: {name, namespace, labels: {...BOOTSTRAP_LABEL}},
      roleRef: roleRef('Role', role),
      subjects: structuredClone(subjects),
    })),
  };
}
