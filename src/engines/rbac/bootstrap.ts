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
 * Source: the bootstrap policy's golden files, kubernetes/kubernetes
 * `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/` (`cluster-roles.yaml`,
 * `cluster-role-bindings.yaml`, `controller-roles.yaml`, `controller-role-bindings.yaml`,
 * `namespace-roles.yaml`, `namespace-role-bindings.yaml`) and `controller_policy.go`,
 * written out here as data; rules keep the documented order, so rule indexes match
 * `kubectl get clusterrole -o yaml` on a cluster of that version. The golden files
 * are generated with the default feature gates. No copy at the v1.30.0 tag was at
 * hand; the v1.30.0 content was read off the neighbouring copies (docs/rbac.md, "Bootstrap
 * policy", lists them and the changes between them). Patch releases from v1.30.5 also
 * give `statefulset-controller` list/watch on PVCs and update on pods/finalizers
 * (kubernetes/kubernetes#127067); that is not in here.
 *
 * Included: the 31 ClusterRoles and 12 ClusterRoleBindings of cluster-roles.yaml and
 * cluster-role-bindings.yaml; the 33 `system:controller:*` ClusterRoles that exist with
 * v1.30's default feature gates, each bound by `system:controller:<name>` to the
 * ServiceAccount `kube-system/<name>` (those accounts exist only when the controller
 * manager runs with `--use-service-account-credentials`, kubeadm's default); the
 * `kube-system`/`kube-public` Roles and RoleBindings below.
 *
 * Left out (docs/rbac.md): controller roles behind feature gates off by default in
 * v1.30, namely `resource-claim-controller` (DynamicResourceAllocation, alpha),
 * `service-cidrs-controller` (MultiCIDRServiceAllocator, alpha),
 * `storage-version-garbage-collector` (StorageVersionAPI, alpha),
 * `storage-version-migrator-controller` (StorageVersionMigrator, alpha) and, where the
 * release has it, `volumeattributesclass-protection-controller` (VolumeAttributesClass,
 * alpha); the other gated rules of those gates; the `system::leader-locking-*` Roles.
 *
 * The `system:node` ClusterRoleBinding has no subjects since v1.8: kubelets are
 * authorized by the Node authorizer (and NodeRestriction admission), which is not
 * RBAC and is not evaluated here.
 */
import type {
  ClusterRoleBindingObject,
  ClusterRoleObject,
  PolicyRule,
  RoleBindingObject,
  RoleObject,
  Subject,
} from '../../snapshot/schema.js';

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
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
        WRITE,
      ),
      rule([CORE], ['serviceaccounts/token'], ['create']),
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
      rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
      rule(['batch'], ['cronjobs', 'jobs'], WRITE),
      rule(
        ['extensions'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
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
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
        READ,
      ),
      rule(
        [CORE],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
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
    rules: [
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
    ],
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
    rules: [
      urls(
        ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
        ['get'],
      ),
    ],
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
  {
    name: 'system:node-bootstrapper',
    rules: [rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])],
  },
  {
    name: 'system:node-problem-detector',
    rules: [
      rule([CORE], ['nodes'], ['get']),
      rule([CORE], ['nodes/status'], ['patch']),
      rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE),
    ],
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
  {
    name: 'system:service-account-issuer-discovery',
    // The slash-ended forms (what the OpenAPI document names) since v1.28, kubernetes/kubernetes#117511.
    rules: [
      urls(['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], ['get']),
    ],
  },
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

/** `system:controller:<controller>`, bound to the ServiceAccount `kube-system/<controller>`. */
export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

/** The event rule most controller roles end with (the `eventsRule()` of controller_policy.go). */
const events = (): PolicyRule => rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE);
/** Every verb but `deletecollection`, as several controller rules spell it. */
const MANAGE = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * The controller roles of controller-roles.yaml with v1.30's default feature gates, by
 * controller (the ServiceAccount name), in the golden file's order.
 */
const CONTROLLER_ROLES: ReadonlyArray<{controller: string; rules: PolicyRule[]}> = [
  {
    controller: 'attachdetach-controller',
    rules: [
      rule([CORE], ['persistentvolumeclaims', 'persistentvolumes'], ['list', 'watch']),
      rule([CORE], ['nodes'], READ),
      rule([CORE], ['nodes/status'], ['patch', 'update']),
      rule([CORE], ['pods'], ['list', 'watch']),
      events(),
      rule(['storage.k8s.io'], ['volumeattachments'], ['create', 'delete', 'get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csidrivers'], READ),
      rule(['storage.k8s.io'], ['csinodes'], READ),
    ],
  },
  {
    controller: 'certificate-controller',
    rules: [
      rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['delete', 'get', 'list', 'watch']),
      rule(['certificates.k8s.io'], ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], ['update']),
      rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client-kubelet']),
      rule(
        ['certificates.k8s.io'],
        ['signers'],
        ['sign'],
        [
          'kubernetes.io/kube-apiserver-client',
          'kubernetes.io/kube-apiserver-client-kubelet',
          'kubernetes.io/kubelet-serving',
          'kubernetes.io/legacy-unknown',
        ],
      ),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      events(),
    ],
  },
  {
    controller: 'clusterrole-aggregation-controller',
    rules: [rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate', 'get', 'list', 'patch', 'update', 'watch'])],
  },
  {
    controller: 'cronjob-controller',
    rules: [
      rule(['batch'], ['cronjobs'], ['get', 'list', 'update', 'watch']),
      rule(['batch'], ['jobs'], MANAGE),
      rule(['batch'], ['cronjobs/status'], ['update']),
      rule(['batch'], ['cronjobs/finalizers'], ['update']),
      rule([CORE], ['pods'], ['delete', 'list']),
      events(),
    ],
  },
  {
    controller: 'daemon-set-controller',
    rules: [
      rule(['apps', 'extensions'], ['daemonsets'], READ),
      rule(['apps', 'extensions'], ['daemonsets/status'], ['update']),
      rule(['apps', 'extensions'], ['daemonsets/finalizers'], ['update']),
      rule([CORE], ['nodes'], ['list', 'watch']),
      rule([CORE], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      rule([CORE], ['pods/binding'], ['create']),
      rule(['apps'], ['controllerrevisions'], MANAGE),
      events(),
    ],
  },
  {
    controller: 'deployment-controller',
    rules: [
      rule(['apps', 'extensions'], ['deployments'], ['get', 'list', 'update', 'watch']),
      rule(['apps', 'extensions'], ['deployments/status'], ['update']),
      rule(['apps', 'extensions'], ['deployments/finalizers'], ['update']),
      rule(['apps', 'extensions'], ['replicasets'], MANAGE),
      rule([CORE], ['pods'], ['get', 'list', 'update', 'watch']),
      events(),
    ],
  },
  {
    controller: 'disruption-controller',
    rules: [
      rule(['apps', 'extensions'], ['deployments'], READ),
      rule(['apps', 'extensions'], ['replicasets'], READ),
      rule([CORE], ['replicationcontrollers'], READ),
      rule(['policy'], ['poddisruptionbudgets'], READ),
      rule(['apps'], ['statefulsets'], READ),
      rule(['policy'], ['poddisruptionbudgets/status'], ['update']),
      rule(['*'], ['*/scale'], ['get']),
      events(),
      // Appended while PodDisruptionConditions was a gate (on by default; GA and merged in v1.31).
      rule([CORE], ['pods/status'], ['patch', 'update']),
    ],
  },
  {
    controller: 'endpoint-controller',
    rules: [
      rule([CORE], ['pods', 'services'], READ),
      rule([CORE], ['endpoints'], ['create', 'delete', 'get', 'list', 'update']),
      rule([CORE], ['endpoints/restricted'], ['create']),
      events(),
    ],
  },
  {
    controller: 'endpointslice-controller',
    rules: [
      rule([CORE], ['nodes', 'pods', 'services'], READ),
      rule([CORE], ['services/finalizers'], ['update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update']),
      events(),
    ],
  },
  {
    controller: 'endpointslicemirroring-controller',
    rules: [
      rule([CORE], ['endpoints', 'services'], READ),
      rule([CORE], ['services/finalizers'], ['update']),
      rule([CORE], ['endpoints/finalizers'], ['update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update']),
      events(),
    ],
  },
  {
    controller: 'ephemeral-volume-controller',
    rules: [
      rule([CORE], ['pods'], READ),
      rule([CORE], ['pods/finalizers'], ['update']),
      rule([CORE], ['persistentvolumeclaims'], ['create', 'get', 'list', 'watch']),
      events(),
    ],
  },
  {
    controller: 'expand-controller',
    rules: [
      rule([CORE], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']),
      rule([CORE], ['persistentvolumeclaims/status'], ['patch', 'update']),
      rule([CORE], ['persistentvolumeclaims'], READ),
      // Left from the removed glusterfs plugin until v1.31 (kubernetes/kubernetes#125995).
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      rule([CORE], ['endpoints', 'services'], ['get']),
      rule([CORE], ['secrets'], ['get']),
      events(),
    ],
  },
  {
    controller: 'generic-garbage-collector',
    rules: [rule(['*'], ['*'], ['delete', 'get', 'list', 'patch', 'update', 'watch']), events()],
  },
  {
    controller: 'horizontal-pod-autoscaler',
    rules: [
      rule(['autoscaling'], ['horizontalpodautoscalers'], READ),
      rule(['autoscaling'], ['horizontalpodautoscalers/status'], ['update']),
      rule(['*'], ['*/scale'], ['get', 'update']),
      rule([CORE], ['pods'], ['list']),
      rule(['metrics.k8s.io'], ['pods'], ['list']),
      rule(['custom.metrics.k8s.io'], ['*'], ['get', 'list']),
      rule(['external.metrics.k8s.io'], ['*'], ['get', 'list']),
      events(),
    ],
  },
  {
    controller: 'job-controller',
    rules: [
      rule(['batch'], ['jobs'], ['get', 'list', 'patch', 'update', 'watch']),
      rule(['batch'], ['jobs/status'], ['update']),
      rule(['batch'], ['jobs/finalizers'], ['update']),
      rule([CORE], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      events(),
    ],
  },
  {
    controller: 'legacy-service-account-token-cleaner',
    rules: [
      rule([CORE], ['configmaps'], ['get'], ['kube-apiserver-legacy-service-account-token-tracking']),
      rule([CORE], ['secrets'], ['delete', 'patch']),
    ],
  },
  {
    controller: 'namespace-controller',
    rules: [
      rule([CORE], ['namespaces'], ['delete', 'get', 'list', 'watch']),
      rule([CORE], ['namespaces/finalize', 'namespaces/status'], ['update']),
      rule(['*'], ['*'], ['delete', 'deletecollection', 'get', 'list']),
    ],
  },
  {
    controller: 'node-controller',
    rules: [
      rule([CORE], ['nodes'], ['delete', 'get', 'list', 'patch', 'update']),
      rule([CORE], ['nodes/status'], ['patch', 'update']),
      rule([CORE], ['pods/status'], ['patch', 'update']),
      rule([CORE], ['pods'], ['delete', 'list']),
      events(),
      // Appended while PodDisruptionConditions was a gate (on by default).
      rule([CORE], ['pods'], ['get']),
    ],
  },
  {
    controller: 'persistent-volume-binder',
    rules: [
      rule([CORE], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
      rule([CORE], ['persistentvolumes/status'], ['update']),
      rule([CORE], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      rule([CORE], ['persistentvolumeclaims/status'], ['update']),
      rule([CORE], ['pods'], ['create', 'delete', 'get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      // glusterfs (until v1.31, kubernetes/kubernetes#125995), then openstack.
      rule([CORE], ['endpoints'], ['create', 'delete', 'get', 'update']),
      rule([CORE], ['services'], ['create', 'delete', 'get']),
      rule([CORE], ['secrets'], ['get']),
      rule([CORE], ['nodes'], ['get', 'list']),
      rule([CORE], ['events'], ['watch']),
      events(),
    ],
  },
  {
    controller: 'pod-garbage-collector',
    rules: [
      rule([CORE], ['pods'], ['delete', 'list', 'watch']),
      rule([CORE], ['nodes'], ['get', 'list']),
      rule([CORE], ['pods/status'], ['patch']),
    ],
  },
  {controller: 'pv-protection-controller', rules: [rule([CORE], ['persistentvolumes'], ['get', 'list', 'update', 'watch']), events()]},
  {
    controller: 'pvc-protection-controller',
    rules: [rule([CORE], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']), rule([CORE], ['pods'], READ), events()],
  },
  {
    controller: 'replicaset-controller',
    rules: [
      rule(['apps', 'extensions'], ['replicasets'], ['get', 'list', 'update', 'watch']),
      rule(['apps', 'extensions'], ['replicasets/status'], ['update']),
      rule(['apps', 'extensions'], ['replicasets/finalizers'], ['update']),
      rule([CORE], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      events(),
    ],
  },
  {
    controller: 'replication-controller',
    rules: [
      rule([CORE], ['replicationcontrollers'], ['get', 'list', 'update', 'watch']),
      rule([CORE], ['replicationcontrollers/status'], ['update']),
      rule([CORE], ['replicationcontrollers/finalizers'], ['update']),
      rule([CORE], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']),
      events(),
    ],
  },
  {
    controller: 'resourcequota-controller',
    rules: [rule(['*'], ['*'], ['list', 'watch']), rule([CORE], ['resourcequotas/status'], ['update']), events()],
  },
  {controller: 'root-ca-cert-publisher', rules: [rule([CORE], ['configmaps'], ['create', 'update']), events()]},
  {
    controller: 'route-controller',
    rules: [rule([CORE], ['nodes'], ['list', 'watch']), rule([CORE], ['nodes/status'], ['patch']), events()],
  },
  {controller: 'service-account-controller', rules: [rule([CORE], ['serviceaccounts'], ['create']), events()]},
  {
    controller: 'service-controller',
    rules: [
      rule([CORE], ['services'], READ),
      rule([CORE], ['services/status'], ['patch', 'update']),
      rule([CORE], ['nodes'], ['list', 'watch']),
      events(),
    ],
  },
  {
    controller: 'statefulset-controller',
    rules: [
      rule([CORE], ['pods'], ['list', 'watch']),
      rule(['apps'], ['statefulsets'], READ),
      rule(['apps'], ['statefulsets/status'], ['update']),
      rule(['apps'], ['statefulsets/finalizers'], ['update']),
      rule([CORE], ['pods'], ['create', 'delete', 'get', 'patch', 'update']),
      rule(['apps'], ['controllerrevisions'], MANAGE),
      rule([CORE], ['persistentvolumeclaims'], ['create', 'get']),
      events(),
      // Appended while StatefulSetAutoDeletePVC is a gate (beta, on by default).
      rule([CORE], ['persistentvolumeclaims'], ['delete', 'update']),
    ],
  },
  {controller: 'ttl-after-finished-controller', rules: [rule(['batch'], ['jobs'], ['delete', 'get', 'list', 'watch']), events()]},
  {controller: 'ttl-controller', rules: [rule([CORE], ['nodes'], ['list', 'patch', 'update', 'watch']), events()]},
  {
    controller: 'validatingadmissionpolicy-status-controller',
    rules: [
      rule(['admissionregistration.k8s.io'], ['validatingadmissionpolicies'], READ),
      rule(['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status'], ['get', 'patch', 'update']),
      events(),
    ],
  },
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
  // controller-role-bindings.yaml: each controller role to its kube-system ServiceAccount.
  ...CONTROLLER_ROLES.map(({controller}) => ({
    name: CONTROLLER_ROLE_PREFIX + controller,
    subjects: [serviceAccount('kube-system', controller)],
  })),
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
  {
    namespace: 'kube-system',
    name: 'extension-apiserver-authentication-reader',
    rules: [rule([CORE], ['configmaps'], READ, ['extension-apiserver-authentication'])],
  },
  {namespace: 'kube-system', name: 'system:controller:bootstrap-signer', rules: [rule([CORE], ['secrets'], READ)]},
  {
    namespace: 'kube-system',
    name: 'system:controller:cloud-provider',
    rules: [rule([CORE], ['configmaps'], ['create', 'get', 'list', 'watch'])],
  },
  {
    namespace: 'kube-system',
    name: 'system:controller:token-cleaner',
    rules: [rule([CORE], ['secrets'], ['delete', 'get', 'list', 'watch']), rule([CORE, 'events.k8s.io'], ['events'], EVENT_WRITE)],
  },
];

const NAMESPACE_ROLE_BINDINGS: ReadonlyArray<{namespace: string; name: string; role: string; subjects: Subject[]}> = [
  {
    namespace: 'kube-public',
    name: 'system:controller:bootstrap-signer',
    role: 'system:controller:bootstrap-signer',
    subjects: [serviceAccount('kube-system', 'bootstrap-signer')],
  },
  {
    namespace: 'kube-system',
    name: 'system::extension-apiserver-authentication-reader',
    role: 'extension-apiserver-authentication-reader',
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler')],
  },
  {
    namespace: 'kube-system',
    name: 'system:controller:bootstrap-signer',
    role: 'system:controller:bootstrap-signer',
    subjects: [serviceAccount('kube-system', 'bootstrap-signer')],
  },
  {
    namespace: 'kube-system',
    name: 'system:controller:cloud-provider',
    role: 'system:controller:cloud-provider',
    subjects: [serviceAccount('kube-system', 'cloud-provider')],
  },
  {
    namespace: 'kube-system',
    name: 'system:controller:token-cleaner',
    role: 'system:controller:token-cleaner',
    subjects: [serviceAccount('kube-system', 'token-cleaner')],
  },
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
    clusterRoles: [
      ...CLUSTER_ROLES,
      ...CONTROLLER_ROLES.map(({controller, rules}): ClusterRoleData => ({name: CONTROLLER_ROLE_PREFIX + controller, rules})),
    ].map((role) => {
      const labels: Record<string, string> = {...BOOTSTRAP_LABEL};
      for (const target of role.aggregatesInto ?? []) labels[AGGREGATE(target)] = 'true';
      const object: ClusterRoleObject = {
        apiVersion: API_VERSION,
        kind: 'ClusterRole',
        metadata: {name: role.name, labels},
        rules: structuredClone(role.rules),
      };
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
