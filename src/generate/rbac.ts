/**
 * kubepath generator RBAC
 * =======================
 *
 * Roles and bindings as a real cluster has them: the built-in ClusterRoles and
 * bootstrap bindings, what each add-on installs, a CI deployer bound into every
 * team namespace, developer and viewer grants for OIDC groups, and a few risky
 * grants (cluster-admin for a dashboard, secret readers, impersonation, `bind` on
 * ClusterRoles) so that analysis has escalation paths to find.
 */
import {compare, timestamp, type ClusterPlan, type NamespacePlan, type ServiceAccountPlan} from './plan.js';
import {meta, type Json, type KubeObject, type ResourceVersions} from './objects.js';
import type {Random} from './random.js';

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const BOOTSTRAP_LABELS = {'kubernetes.io/bootstrapping': 'rbac-defaults'};
const AUTOUPDATE = {'rbac.authorization.kubernetes.io/autoupdate': 'true'};
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL_VERBS = [...READ, ...WRITE];

type Rule = Json;
type Subject = Json;

function rule(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): Rule {
  return resourceNames ? {apiGroups, resources, resourceNames, verbs} : {apiGroups, resources, verbs};
}

function user(name: string): Subject {
  return {kind: 'User', apiGroup: RBAC_GROUP, name};
}

function group(name: string): Subject {
  return {kind: 'Group', apiGroup: RBAC_GROUP, name};
}

function serviceAccount(namespace: string, name: string): Subject {
  return {kind: 'ServiceAccount', name, namespace};
}

interface RoleSpec {
  name: string;
  namespace?: string;
  rules: Rule[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  aggregateFrom?: string;
}

interface BindingSpec {
  name: string;
  namespace?: string;
  roleKind: 'Role' | 'ClusterRole';
  role: string;
  subjects: Subject[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

// The built-in aggregated roles, abridged to their main rules.
const VIEW_RULES: Rule[] = [
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'serviceaccounts', 'services'], READ),
  rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'resourcequotas'], READ),
  rule([''], ['namespaces'], READ),
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'], READ),
  rule(['autoscaling'], ['horizontalpodautoscalers'], READ),
  rule(['batch'], ['cronjobs', 'jobs'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], READ),
  rule(['policy'], ['poddisruptionbudgets'], READ),
];
const EDIT_RULES: Rule[] = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule(
    [''],
    ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
    ['create', 'delete', 'deletecollection', 'patch', 'update'],
  ),
  rule([''], ['pods/eviction'], ['create']),
  rule(
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    WRITE,
  ),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    WRITE,
  ),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  ...VIEW_RULES,
];
const ADMIN_RULES: Rule[] = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule([RBAC_GROUP], ['rolebindings', 'roles'], ALL_VERBS),
  ...EDIT_RULES,
];

function clusterRoleSpecs(plan: ClusterPlan): RoleSpec[] {
  const has = (ns: string): boolean => plan.namespaceByName.has(ns);
  const roles: RoleSpec[] = [
    {
      name: 'cluster-admin',
      rules: [rule(['*'], ['*'], ['*']), {nonResourceURLs: ['*'], verbs: ['*']}],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {name: 'admin', rules: ADMIN_RULES, labels: BOOTSTRAP_LABELS, annotations: AUTOUPDATE, aggregateFrom: 'admin'},
    {
      name: 'edit',
      rules: EDIT_RULES,
      labels: {...BOOTSTRAP_LABELS, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true'},
      annotations: AUTOUPDATE,
      aggregateFrom: 'edit',
    },
    {
      name: 'view',
      rules: VIEW_RULES,
      labels: {...BOOTSTRAP_LABELS, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true'},
      annotations: AUTOUPDATE,
      aggregateFrom: 'view',
    },
    {
      name: 'system:basic-user',
      rules: [rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create'])],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:discovery',
      rules: [
        {
          nonResourceURLs: [
            '/api',
            '/api/*',
            '/apis',
            '/apis/*',
            '/healthz',
            '/livez',
            '/openapi',
            '/openapi/*',
            '/readyz',
            '/version',
            '/version/',
          ],
          verbs: ['get'],
        },
      ],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:public-info-viewer',
      rules: [{nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get']}],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:node-proxier',
      rules: [
        rule([''], ['endpoints', 'services'], ['list', 'watch']),
        rule([''], ['nodes'], READ),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
        rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      ],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:kube-scheduler',
      rules: [
        rule([''], ['pods'], ['delete', 'get', 'list', 'watch']),
        rule([''], ['bindings', 'pods/binding'], ['create']),
        rule([''], ['nodes'], READ),
        rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update']),
      ],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:kube-controller-manager',
      rules: [
        rule([''], ['secrets', 'serviceaccounts'], ['create', 'get', 'update']),
        rule([''], ['serviceaccounts/token'], ['create']),
        rule(['*'], ['*'], ['list', 'watch']),
        rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update']),
      ],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:auth-delegator',
      rules: [
        rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
        rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      ],
      labels: BOOTSTRAP_LABELS,
      annotations: AUTOUPDATE,
    },
    {
      name: 'system:coredns',
      rules: [
        rule([''], ['endpoints', 'services', 'pods', 'namespaces'], ['list', 'watch']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
      ],
    },
    {
      name: 'calico-node',
      rules: [
        rule([''], ['pods', 'nodes', 'namespaces'], ['get']),
        rule([''], ['endpoints', 'services'], ['watch', 'list', 'get']),
        rule([''], ['nodes/status'], ['patch', 'update']),
        rule([''], ['serviceaccounts/token'], ['create'], ['calico-cni-plugin']),
        rule(['networking.k8s.io'], ['networkpolicies'], ['watch', 'list']),
        rule(['crd.projectcalico.org'], ['*'], ['get', 'list', 'watch', 'create', 'update']),
      ],
    },
    {
      name: 'calico-kube-controllers',
      rules: [
        rule([''], ['nodes'], ['watch', 'list', 'get']),
        rule([''], ['pods'], ['get', 'list', 'watch']),
        rule(['crd.projectcalico.org'], ['*'], ['get', 'list', 'create', 'update', 'delete', 'watch']),
      ],
    },
    {name: 'system:metrics-server', rules: [rule([''], ['nodes/metrics'], ['get']), rule([''], ['pods', 'nodes'], READ)]},
    // Custom roles a platform team adds.
    {
      name: 'ci-deployer',
      rules: [
        rule(['apps'], ['deployments', 'statefulsets', 'daemonsets'], [...READ, 'create', 'update', 'patch', 'delete']),
        rule([''], ['services', 'configmaps', 'secrets', 'serviceaccounts'], [...READ, 'create', 'update', 'patch', 'delete']),
        rule(['batch'], ['jobs', 'cronjobs'], [...READ, 'create', 'update', 'patch', 'delete']),
        rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], [...READ, 'create', 'update', 'patch', 'delete']),
        rule([''], ['pods', 'pods/log'], READ),
      ],
      labels: {'app.kubernetes.io/managed-by': 'platform-team'},
    },
    {
      name: 'namespace-provisioner',
      rules: [
        rule([''], ['namespaces', 'resourcequotas', 'limitranges'], [...READ, 'create', 'update', 'patch']),
        rule([RBAC_GROUP], ['rolebindings'], [...READ, 'create', 'update', 'patch', 'delete']),
        // `bind` lets it hand out these roles without holding their permissions.
        rule([RBAC_GROUP], ['clusterroles'], ['bind'], ['admin', 'edit', 'view', 'ci-deployer']),
      ],
      labels: {'app.kubernetes.io/managed-by': 'platform-team'},
    },
    {
      name: 'node-debugger',
      rules: [rule([''], ['nodes', 'nodes/proxy', 'nodes/log'], ['get', 'list', 'create']), rule([''], ['pods', 'pods/log'], READ)],
      labels: {'app.kubernetes.io/managed-by': 'platform-team'},
    },
    {
      name: 'secrets-backup',
      rules: [rule([''], ['secrets', 'configmaps'], READ), rule([''], ['namespaces'], ['list'])],
      labels: {'app.kubernetes.io/managed-by': 'platform-team'},
    },
    {
      name: 'support-impersonator',
      rules: [rule([''], ['users', 'groups', 'serviceaccounts'], ['impersonate']), rule([''], ['namespaces', 'pods'], READ)],
      labels: {'app.kubernetes.io/managed-by': 'platform-team'},
    },
  ];
  if (has('ingress-nginx')) {
    roles.push({
      name: 'ingress-nginx',
      // As upstream ships it: every Secret in the cluster, for TLS certificates.
      rules: [
        rule([''], ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], ['list', 'watch']),
        rule(['coordination.k8s.io'], ['leases'], ['list', 'watch']),
        rule([''], ['nodes'], ['get']),
        rule([''], ['services'], READ),
        rule(['networking.k8s.io'], ['ingresses', 'ingressclasses'], READ),
        rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
        rule(['discovery.k8s.io'], ['endpointslices'], READ),
      ],
      labels: {'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/part-of': 'ingress-nginx'},
    });
  }
  if (has('monitoring')) {
    roles.push(
      {
        name: 'prometheus-k8s',
        rules: [
          rule([''], ['nodes/metrics'], ['get']),
          rule([''], ['services', 'endpoints', 'pods'], READ),
          {nonResourceURLs: ['/metrics'], verbs: ['get']},
        ],
        labels: {'app.kubernetes.io/part-of': 'kube-prometheus'},
      },
      {
        name: 'kube-state-metrics',
        rules: [
          rule(
            [''],
            [
              'configmaps',
              'secrets',
              'nodes',
              'pods',
              'services',
              'serviceaccounts',
              'resourcequotas',
              'replicationcontrollers',
              'limitranges',
              'persistentvolumeclaims',
              'persistentvolumes',
              'namespaces',
              'endpoints',
            ],
            ['list', 'watch'],
          ),
          rule(['apps'], ['statefulsets', 'daemonsets', 'deployments', 'replicasets'], ['list', 'watch']),
          rule(['batch'], ['cronjobs', 'jobs'], ['list', 'watch']),
          rule(['networking.k8s.io'], ['networkpolicies', 'ingresses'], ['list', 'watch']),
        ],
        labels: {'app.kubernetes.io/part-of': 'kube-prometheus'},
      },
    );
  }
  if (has('cert-manager')) {
    roles.push(
      {
        name: 'cert-manager-controller-certificates',
        rules: [
          rule(['cert-manager.io'], ['certificates', 'certificaterequests'], [...READ, 'update']),
          rule([''], ['secrets'], [...READ, 'create', 'update', 'delete', 'patch']),
        ],
        labels: {'app.kubernetes.io/name': 'cert-manager'},
      },
      {
        name: 'cert-manager-cainjector',
        rules: [
          rule(['cert-manager.io'], ['certificates'], READ),
          rule([''], ['secrets'], READ),
          rule(
            ['admissionregistration.k8s.io'],
            ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
            [...READ, 'update', 'patch'],
          ),
        ],
        labels: {'app.kubernetes.io/name': 'cainjector'},
      },
    );
  }
  if (has('argocd')) {
    // Argo CD's application controller manages everything: `*` on `*`, under its own name.
    roles.push(
      {
        name: 'argocd-application-controller',
        rules: [rule(['*'], ['*'], ['*']), {nonResourceURLs: ['*'], verbs: ['*']}],
        labels: {'app.kubernetes.io/part-of': 'argocd'},
      },
      {
        name: 'argocd-server',
        rules: [
          rule(['*'], ['*'], ['delete', 'get', 'patch']),
          rule([''], ['events'], ['list']),
          rule([''], ['pods', 'pods/log'], ['get']),
        ],
        labels: {'app.kubernetes.io/part-of': 'argocd'},
      },
    );
  }
  return roles.sort((a, b) => compare(a.name, b.name));
}

function clusterBindingSpecs(plan: ClusterPlan): BindingSpec[] {
  const has = (ns: string): boolean => plan.namespaceByName.has(ns);
  const runs = (ns: string, name: string): boolean => plan.namespaceByName.get(ns)?.workloads.some((w) => w.name === name) ?? false;
  const bootstrap = {labels: BOOTSTRAP_LABELS, annotations: AUTOUPDATE};
  const bindings: BindingSpec[] = [
    {name: 'cluster-admin', roleKind: 'ClusterRole', role: 'cluster-admin', subjects: [group('system:masters')], ...bootstrap},
    {name: 'kubeadm:cluster-admins', roleKind: 'ClusterRole', role: 'cluster-admin', subjects: [group('kubeadm:cluster-admins')]},
    {
      name: 'system:basic-user',
      roleKind: 'ClusterRole',
      role: 'system:basic-user',
      subjects: [group('system:authenticated')],
      ...bootstrap,
    },
    {name: 'system:discovery', roleKind: 'ClusterRole', role: 'system:discovery', subjects: [group('system:authenticated')], ...bootstrap},
    {
      name: 'system:public-info-viewer',
      roleKind: 'ClusterRole',
      role: 'system:public-info-viewer',
      subjects: [group('system:authenticated'), group('system:unauthenticated')],
      ...bootstrap,
    },
    {
      name: 'system:kube-scheduler',
      roleKind: 'ClusterRole',
      role: 'system:kube-scheduler',
      subjects: [user('system:kube-scheduler')],
      ...bootstrap,
    },
    {
      name: 'system:kube-controller-manager',
      roleKind: 'ClusterRole',
      role: 'system:kube-controller-manager',
      subjects: [user('system:kube-controller-manager')],
      ...bootstrap,
    },
    {
      name: 'kubeadm:node-proxier',
      roleKind: 'ClusterRole',
      role: 'system:node-proxier',
      subjects: [serviceAccount('kube-system', 'kube-proxy')],
    },
    {name: 'system:coredns', roleKind: 'ClusterRole', role: 'system:coredns', subjects: [serviceAccount('kube-system', 'coredns')]},
    {name: 'calico-node', roleKind: 'ClusterRole', role: 'calico-node', subjects: [serviceAccount('kube-system', 'calico-node')]},
    {
      name: 'calico-kube-controllers',
      roleKind: 'ClusterRole',
      role: 'calico-kube-controllers',
      subjects: [serviceAccount('kube-system', 'calico-kube-controllers')],
    },
    {
      name: 'metrics-server:system:auth-delegator',
      roleKind: 'ClusterRole',
      role: 'system:auth-delegator',
      subjects: [serviceAccount('kube-system', 'metrics-server')],
    },
    {
      name: 'system:metrics-server',
      roleKind: 'ClusterRole',
      role: 'system:metrics-server',
      subjects: [serviceAccount('kube-system', 'metrics-server')],
    },
    {
      name: 'platform-admins',
      roleKind: 'ClusterRole',
      role: 'cluster-admin',
      subjects: [group('oidc:platform-admins'), user(`ops@${plan.dnsZone}`)],
    },
    {name: 'oncall-view', roleKind: 'ClusterRole', role: 'view', subjects: [group('oidc:oncall'), group('oidc:sre')]},
    {name: 'node-debuggers', roleKind: 'ClusterRole', role: 'node-debugger', subjects: [group('oidc:sre')]},
    {name: 'secrets-backup', roleKind: 'ClusterRole', role: 'secrets-backup', subjects: [serviceAccount('kube-system', 'backup-agent')]},
    {name: 'support-impersonator', roleKind: 'ClusterRole', role: 'support-impersonator', subjects: [group('oidc:support')]},
  ];
  if (has('ci'))
    bindings.push({
      name: 'namespace-provisioner',
      roleKind: 'ClusterRole',
      role: 'namespace-provisioner',
      subjects: [serviceAccount('ci', 'deployer')],
    });
  if (has('ingress-nginx'))
    bindings.push({
      name: 'ingress-nginx',
      roleKind: 'ClusterRole',
      role: 'ingress-nginx',
      subjects: [serviceAccount('ingress-nginx', 'ingress-nginx')],
    });
  if (has('monitoring')) {
    bindings.push(
      {name: 'prometheus-k8s', roleKind: 'ClusterRole', role: 'prometheus-k8s', subjects: [serviceAccount('monitoring', 'prometheus-k8s')]},
      {
        name: 'kube-state-metrics',
        roleKind: 'ClusterRole',
        role: 'kube-state-metrics',
        subjects: [serviceAccount('monitoring', 'kube-state-metrics')],
      },
    );
  }
  if (has('cert-manager')) {
    bindings.push(
      {
        name: 'cert-manager-controller-certificates',
        roleKind: 'ClusterRole',
        role: 'cert-manager-controller-certificates',
        subjects: [serviceAccount('cert-manager', 'cert-manager')],
      },
      {
        name: 'cert-manager-cainjector',
        roleKind: 'ClusterRole',
        role: 'cert-manager-cainjector',
        subjects: [serviceAccount('cert-manager', 'cert-manager-cainjector')],
      },
    );
  }
  if (has('argocd')) {
    bindings.push(
      {
        name: 'argocd-application-controller',
        roleKind: 'ClusterRole',
        role: 'argocd-application-controller',
        subjects: [serviceAccount('argocd', 'argocd-application-controller')],
      },
      {name: 'argocd-server', roleKind: 'ClusterRole', role: 'argocd-server', subjects: [serviceAccount('argocd', 'argocd-server')]},
    );
  }
  // The classic mistake: the dashboard's account made cluster-admin "to make it work".
  if (runs('kube-system', 'kubernetes-dashboard')) {
    bindings.push({
      name: 'kubernetes-dashboard',
      roleKind: 'ClusterRole',
      role: 'cluster-admin',
      subjects: [serviceAccount('kube-system', 'kubernetes-dashboard')],
    });
  }
  return bindings.sort((a, b) => compare(a.name, b.name));
}

/** A workload's own account in a namespace, for grants that name one; else `default`. */
function grantee(ns: NamespacePlan): ServiceAccountPlan {
  return ns.serviceAccounts.find((sa) => sa.name !== 'default') ?? ns.serviceAccounts.find((sa) => sa.name === 'default')!;
}

function namespaceRoleSpecs(ns: NamespacePlan): RoleSpec[] {
  const roles: RoleSpec[] = [];
  const add = (name: string, rules: Rule[]): void => void roles.push({name, namespace: ns.name, rules});
  switch (ns.name) {
    case 'kube-system':
      add('extension-apiserver-authentication-reader', [
        rule([''], ['configmaps'], ['get', 'list', 'watch'], ['extension-apiserver-authentication']),
      ]);
      add('kube-proxy', [rule([''], ['configmaps'], ['get'], ['kube-proxy'])]);
      add('kubeadm:nodes-kubeadm-config', [rule([''], ['configmaps'], ['get'], ['kubeadm-config'])]);
      add('system:controller:bootstrap-signer', [rule([''], ['secrets'], READ)]);
      break;
    case 'ingress-nginx':
      add('ingress-nginx', [
        rule([''], ['namespaces'], ['get']),
        rule([''], ['configmaps', 'pods', 'secrets', 'endpoints'], READ),
        rule(['coordination.k8s.io'], ['leases'], ['get', 'update', 'create']),
      ]);
      break;
    case 'monitoring':
      add('prometheus-k8s-config', [rule([''], ['configmaps'], ['get'])]);
      break;
    case 'argocd':
      add('argocd-server', [
        rule([''], ['secrets', 'configmaps'], [...READ, 'create', 'update', 'delete', 'patch']),
        rule(['argoproj.io'], ['applications', 'appprojects', 'applicationsets'], ['*']),
      ]);
      break;
    case 'ci':
      // The runner's Kubernetes executor starts build pods and execs into them.
      add('gitlab-runner', [
        rule([''], ['pods', 'secrets', 'configmaps'], [...READ, 'create', 'delete', 'update', 'patch']),
        rule([''], ['pods/exec', 'pods/attach'], ['create', 'get', 'patch', 'delete']),
      ]);
      break;
  }
  if (!ns.system) {
    const rules = [
      rule([''], ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events'], READ),
      rule(['apps'], ['deployments', 'replicasets', 'statefulsets'], READ),
      rule(['batch'], ['jobs', 'cronjobs'], [...READ, 'create']),
    ];
    // Outside production, developers may exec into pods and restart things.
    if (ns.environment !== 'prod') {
      rules.push(rule([''], ['pods/exec', 'pods/portforward'], ['create']), rule(['apps'], ['deployments'], ['patch', 'update']));
    }
    add('developer', rules);
    if (ns.riskyGrant === 'secret-reader') add('secret-reader', [rule([''], ['secrets'], READ)]);
    if (ns.riskyGrant === 'pod-exec')
      add('pod-manager', [
        rule([''], ['pods'], [...READ, 'create', 'delete', 'patch']),
        rule([''], ['pods/exec'], ['create']),
        rule(['apps'], ['deployments'], ['patch']),
      ]);
  }
  return roles.sort((a, b) => compare(a.name, b.name));
}

function namespaceBindingSpecs(plan: ClusterPlan, ns: NamespacePlan): BindingSpec[] {
  const bindings: BindingSpec[] = [];
  const add = (name: string, roleKind: BindingSpec['roleKind'], role: string, subjects: Subject[]): void =>
    void bindings.push({name, namespace: ns.name, roleKind, role, subjects});
  const runs = (name: string): boolean => ns.workloads.some((w) => w.name === name);
  switch (ns.name) {
    case 'kube-system':
      if (runs('metrics-server'))
        add('metrics-server-auth-reader', 'Role', 'extension-apiserver-authentication-reader', [
          serviceAccount('kube-system', 'metrics-server'),
        ]);
      add('kube-proxy', 'Role', 'kube-proxy', [group('system:bootstrappers:kubeadm:default-node-token')]);
      add('kubeadm:nodes-kubeadm-config', 'Role', 'kubeadm:nodes-kubeadm-config', [
        group('system:bootstrappers:kubeadm:default-node-token'),
        group('system:nodes'),
      ]);
      add('system:controller:bootstrap-signer', 'Role', 'system:controller:bootstrap-signer', [
        serviceAccount('kube-system', 'bootstrap-signer'),
      ]);
      break;
    case 'ingress-nginx':
      add('ingress-nginx', 'Role', 'ingress-nginx', [serviceAccount('ingress-nginx', 'ingress-nginx')]);
      break;
    case 'monitoring':
      add('prometheus-k8s-config', 'Role', 'prometheus-k8s-config', [serviceAccount('monitoring', 'prometheus-k8s')]);
      break;
    case 'argocd':
      add('argocd-server', 'Role', 'argocd-server', [serviceAccount('argocd', 'argocd-server')]);
      break;
    case 'ci':
      add('gitlab-runner', 'Role', 'gitlab-runner', [serviceAccount('ci', 'gitlab-runner')]);
      break;
  }
  if (!ns.system) {
    const team = ns.labels.tenant ? `tenant-${ns.labels.tenant}` : `team-${ns.domain}`;
    add('developers', 'Role', 'developer', [group(`oidc:${team}`)]);
    if (ns.labels.tenant) add('tenant-admins', 'ClusterRole', 'admin', [group(`oidc:${team}-admins`)]);
    // CI deploys into every team namespace with one account from the ci namespace.
    add('ci-deployer', 'ClusterRole', 'ci-deployer', [
      plan.namespaceByName.has('ci') ? serviceAccount('ci', 'deployer') : user(`ci-bot@${plan.dnsZone}`),
    ]);
    if (ns.environment === 'prod') add('sre-view', 'ClusterRole', 'view', [group('oidc:sre')]);
    const sa = grantee(ns);
    switch (ns.riskyGrant) {
      case 'default-sa-admin':
        add('default-admin', 'ClusterRole', 'admin', [serviceAccount(ns.name, 'default')]);
        break;
      case 'secret-reader':
        add(`${sa.name}-secret-reader`, 'Role', 'secret-reader', [serviceAccount(ns.name, sa.name)]);
        break;
      case 'pod-exec':
        add(`${sa.name}-pod-manager`, 'Role', 'pod-manager', [serviceAccount(ns.name, sa.name)]);
        break;
      case 'namespace-cluster-admin':
        add(`${sa.name}-cluster-admin`, 'ClusterRole', 'cluster-admin', [serviceAccount(ns.name, sa.name)]);
        break;
      case undefined:
        break;
    }
  }
  return bindings.sort((a, b) => compare(a.name, b.name));
}

function roleObject(
  kind: 'Role' | 'ClusterRole',
  spec: RoleSpec,
  random: Random,
  versions: ResourceVersions,
  createdAt: string,
): KubeObject {
  const object: KubeObject = {
    apiVersion: RBAC_API,
    kind,
    metadata: meta(
      {name: spec.name, namespace: spec.namespace, uid: random.uuid(), createdAt, labels: spec.labels, annotations: spec.annotations},
      versions,
    ),
  };
  if (spec.aggregateFrom) {
    object.aggregationRule = {
      clusterRoleSelectors: [{matchLabels: {[`rbac.authorization.k8s.io/aggregate-to-${spec.aggregateFrom}`]: 'true'}}],
    };
  }
  object.rules = spec.rules;
  return object;
}

function bindingObject(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  spec: BindingSpec,
  random: Random,
  versions: ResourceVersions,
  createdAt: string,
): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind,
    metadata: meta(
      {name: spec.name, namespace: spec.namespace, uid: random.uuid(), createdAt, labels: spec.labels, annotations: spec.annotations},
      versions,
    ),
    roleRef: {apiGroup: RBAC_GROUP, kind: spec.roleKind, name: spec.role},
    subjects: spec.subjects,
  };
}

const CLUSTER_CREATED = timestamp(720 * 86_400);

export function* roleObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const ns of plan.namespaces)
    for (const spec of namespaceRoleSpecs(ns)) yield roleObject('Role', spec, random, versions, ns.createdAt);
}

export function* clusterRoleObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const spec of clusterRoleSpecs(plan)) yield roleObject('ClusterRole', spec, random, versions, CLUSTER_CREATED);
}

export function* roleBindingObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const ns of plan.namespaces)
    for (const spec of namespaceBindingSpecs(plan, ns)) yield bindingObject('RoleBinding', spec, random, versions, ns.createdAt);
}

export function* clusterRoleBindingObjects(plan: ClusterPlan, random: Random, versions: ResourceVersions): Generator<KubeObject> {
  for (const spec of clusterBindingSpecs(plan)) yield bindingObject('ClusterRoleBinding', spec, random, versions, CLUSTER_CREATED);
}
