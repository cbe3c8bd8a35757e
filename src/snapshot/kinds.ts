/**
 * kubepath snapshot kinds
 * =======================
 *
 * Every kind a snapshot holds, one row each, with all that kubepath knows about it
 * apart from its schema: where it is stored, which API groups may carry it (older
 * manifests still say extensions/v1beta1), whether it is namespaced, where a live API
 * server lists it (src/collect) and what a snapshot that could not read it misses
 * (src/paths/coverage.ts). `SnapshotObjects` is derived from these rows, so a new
 * input kind is one row here plus its schema. A kind from any other group (Calico's
 * NetworkPolicy, say) is a different object and is skipped like any CRD.
 */
import type {z} from 'zod';
import * as s from './schema.js';

/** What every row of KINDS gives. */
interface KindRow {
  kind: string;
  /** The field of `snapshot.objects` that holds this kind. */
  key: string;
  /** API groups that serve this kind ('' is the core group); a live server is asked for the first. */
  groups: readonly [string, ...string[]];
  namespaced: boolean;
  schema: z.ZodType;
  /** The API resource a live server lists, and the versions to try, newest first. */
  served: {resource: string; versions: readonly [string, ...string[]]};
  /** What a snapshot that could not read this kind misses, in a sentence (a coverage gap's effect). */
  hides: string;
  /**
   * Whether, unread, this kind may make a network step look open that is closed in fact:
   * policies only ever take connections away, and namespace labels decide which namespaces
   * they select. Every other gap only hides paths.
   */
  decidesReach: boolean;
}

/** What an unread workload controller hides: its pods show most of what it would. */
export const WORKLOAD_HIDES = 'workloads there are known only from their pods (manifests: their pods are missing)';

/** In snapshot order: the order objects are written and read. */
export const KINDS = [
  {
    kind: 'Namespace',
    key: 'namespaces',
    groups: [''],
    namespaced: false,
    schema: s.namespaceSchema,
    served: {resource: 'namespaces', versions: ['v1']},
    hides: 'namespace labels are not seen: policies that select namespaces by label may allow or block other connections than shown',
    decidesReach: true,
  },
  {
    kind: 'Node',
    key: 'nodes',
    groups: [''],
    namespaced: false,
    schema: s.nodeSchema,
    served: {resource: 'nodes', versions: ['v1']},
    hides: 'nodes are known only from pods that name them',
    decidesReach: false,
  },
  {
    kind: 'Pod',
    key: 'pods',
    groups: [''],
    namespaced: true,
    schema: s.podSchema,
    served: {resource: 'pods', versions: ['v1']},
    hides: 'pods there are not seen: paths from, through or to them are missing',
    decidesReach: false,
  },
  {
    kind: 'Deployment',
    key: 'deployments',
    groups: ['apps', 'extensions'],
    namespaced: true,
    schema: s.deploymentSchema,
    served: {resource: 'deployments', versions: ['v1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'StatefulSet',
    key: 'statefulSets',
    groups: ['apps'],
    namespaced: true,
    schema: s.statefulSetSchema,
    served: {resource: 'statefulsets', versions: ['v1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'DaemonSet',
    key: 'daemonSets',
    groups: ['apps', 'extensions'],
    namespaced: true,
    schema: s.daemonSetSchema,
    served: {resource: 'daemonsets', versions: ['v1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'ReplicaSet',
    key: 'replicaSets',
    groups: ['apps', 'extensions'],
    namespaced: true,
    schema: s.replicaSetSchema,
    served: {resource: 'replicasets', versions: ['v1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'Job',
    key: 'jobs',
    groups: ['batch'],
    namespaced: true,
    schema: s.jobSchema,
    served: {resource: 'jobs', versions: ['v1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'CronJob',
    key: 'cronJobs',
    groups: ['batch'],
    namespaced: true,
    schema: s.cronJobSchema,
    served: {resource: 'cronjobs', versions: ['v1', 'v1beta1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'ReplicationController',
    key: 'replicationControllers',
    groups: [''],
    namespaced: true,
    schema: s.replicationControllerSchema,
    served: {resource: 'replicationcontrollers', versions: ['v1']},
    hides: WORKLOAD_HIDES,
    decidesReach: false,
  },
  {
    kind: 'Service',
    key: 'services',
    groups: [''],
    namespaced: true,
    schema: s.serviceSchema,
    served: {resource: 'services', versions: ['v1']},
    hides: 'exposure through services there is missing',
    decidesReach: false,
  },
  {
    kind: 'Endpoints',
    key: 'endpoints',
    groups: [''],
    namespaced: true,
    schema: s.endpointsSchema,
    served: {resource: 'endpoints', versions: ['v1']},
    hides: 'exposure through services with hand-written endpoints there may be missing',
    decidesReach: false,
  },
  {
    kind: 'EndpointSlice',
    key: 'endpointSlices',
    groups: ['discovery.k8s.io'],
    namespaced: true,
    schema: s.endpointSliceSchema,
    served: {resource: 'endpointslices', versions: ['v1', 'v1beta1']},
    hides: 'exposure through services with hand-written endpoint slices there may be missing',
    decidesReach: false,
  },
  {
    kind: 'Ingress',
    key: 'ingresses',
    groups: ['networking.k8s.io', 'extensions'],
    namespaced: true,
    schema: s.ingressSchema,
    served: {resource: 'ingresses', versions: ['v1', 'v1beta1']},
    hides: 'exposure through ingresses there is missing',
    decidesReach: false,
  },
  {
    kind: 'Gateway',
    key: 'gateways',
    groups: ['gateway.networking.k8s.io'],
    namespaced: true,
    schema: s.gatewaySchema,
    served: {resource: 'gateways', versions: ['v1', 'v1beta1']},
    hides: 'exposure through gateways there is missing',
    decidesReach: false,
  },
  {
    kind: 'HTTPRoute',
    key: 'httpRoutes',
    groups: ['gateway.networking.k8s.io'],
    namespaced: true,
    schema: s.httpRouteSchema,
    served: {resource: 'httproutes', versions: ['v1', 'v1beta1']},
    hides: 'exposure through gateway routes there is missing',
    decidesReach: false,
  },
  {
    kind: 'ReferenceGrant',
    key: 'referenceGrants',
    groups: ['gateway.networking.k8s.io'],
    namespaced: true,
    schema: s.referenceGrantSchema,
    served: {resource: 'referencegrants', versions: ['v1', 'v1beta1']},
    hides: 'cross-namespace gateway routes there are not allowed here, so exposure may be missing',
    decidesReach: false,
  },
  {
    kind: 'NetworkPolicy',
    key: 'networkPolicies',
    groups: ['networking.k8s.io', 'extensions'],
    namespaced: true,
    schema: s.networkPolicySchema,
    served: {resource: 'networkpolicies', versions: ['v1']},
    hides: 'network policies there are not seen: network steps into or out of those pods may be blocked in fact',
    decidesReach: true,
  },
  {
    kind: 'AdminNetworkPolicy',
    key: 'adminNetworkPolicies',
    groups: ['policy.networking.k8s.io'],
    namespaced: false,
    schema: s.adminNetworkPolicySchema,
    served: {resource: 'adminnetworkpolicies', versions: ['v1alpha1']},
    hides: 'admin network policies are not seen: any network step may be blocked in fact',
    decidesReach: true,
  },
  {
    kind: 'BaselineAdminNetworkPolicy',
    key: 'baselineAdminNetworkPolicies',
    groups: ['policy.networking.k8s.io'],
    namespaced: false,
    schema: s.baselineAdminNetworkPolicySchema,
    served: {resource: 'baselineadminnetworkpolicies', versions: ['v1alpha1']},
    hides: 'baseline admin network policies are not seen: network steps that no NetworkPolicy governs may be blocked in fact',
    decidesReach: true,
  },
  {
    kind: 'ServiceAccount',
    key: 'serviceAccounts',
    groups: [''],
    namespaced: true,
    schema: s.serviceAccountSchema,
    served: {resource: 'serviceaccounts', versions: ['v1']},
    hides: 'service accounts are known only from the pods and bindings that name them',
    decidesReach: false,
  },
  {
    kind: 'Role',
    key: 'roles',
    groups: ['rbac.authorization.k8s.io'],
    namespaced: true,
    schema: s.roleSchema,
    served: {resource: 'roles', versions: ['v1']},
    hides: 'permissions granted by roles there are missing',
    decidesReach: false,
  },
  {
    kind: 'ClusterRole',
    key: 'clusterRoles',
    groups: ['rbac.authorization.k8s.io'],
    namespaced: false,
    schema: s.clusterRoleSchema,
    served: {resource: 'clusterroles', versions: ['v1']},
    hides: 'permissions granted by cluster roles are missing',
    decidesReach: false,
  },
  {
    kind: 'RoleBinding',
    key: 'roleBindings',
    groups: ['rbac.authorization.k8s.io'],
    namespaced: true,
    schema: s.roleBindingSchema,
    served: {resource: 'rolebindings', versions: ['v1']},
    hides: 'permissions granted by role bindings there are missing',
    decidesReach: false,
  },
  {
    kind: 'ClusterRoleBinding',
    key: 'clusterRoleBindings',
    groups: ['rbac.authorization.k8s.io'],
    namespaced: false,
    schema: s.clusterRoleBindingSchema,
    served: {resource: 'clusterrolebindings', versions: ['v1']},
    hides: 'permissions granted cluster-wide are missing',
    decidesReach: false,
  },
  {
    kind: 'Secret',
    key: 'secrets',
    groups: [''],
    namespaced: true,
    schema: s.secretSchema,
    served: {resource: 'secrets', versions: ['v1']},
    hides: 'secrets are known only from the pods that mount them; token secrets and secret readers there may be missing',
    decidesReach: false,
  },
] as const satisfies readonly KindRow[];

/** One row of KINDS; its `key` is a field of `SnapshotObjects`. */
export type KindSpec = (typeof KINDS)[number];
export type KindKey = KindSpec['key'];

const byKind = new Map<string, KindSpec>(KINDS.map((k) => [k.kind, k]));

/** The row of a kind, by its name (`Pod`), whatever group it came from. */
export function kindNamed(kind: string): KindSpec | undefined {
  return byKind.get(kind);
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → ''. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The kind's spec when kubepath reads this kind from this apiVersion, else undefined. */
export function kindSpecFor(kind: string, apiVersion: string): KindSpec | undefined {
  const found = byKind.get(kind);
  const group = apiGroup(apiVersion);
  return found?.groups.some((g) => g === group) ? found : undefined;
}
