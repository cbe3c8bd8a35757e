/**
 * kubepath snapshot kinds
 * =======================
 *
 * The kinds a snapshot holds: where each is stored, which API groups may carry it
 * (older manifests still say extensions/v1beta1), whether it is namespaced, and its
 * schema. A kind from any other group (Calico's NetworkPolicy, say) is a different
 * object and is skipped like any CRD.
 */
import type {z} from 'zod';
import * as s from './schema.js';

export interface KindSpec {
  kind: string;
  /** The field of `snapshot.objects` that holds this kind. */
  key: string;
  /** API groups that serve this kind ('' is the core group). */
  groups: readonly string[];
  namespaced: boolean;
  schema: z.ZodType;
}

function spec(kind: string, key: string, groups: string[], namespaced: boolean, schema: z.ZodType): KindSpec {
  return {kind, key, groups, namespaced, schema};
}

/** In snapshot order: the order objects are written and read. */
export const KINDS: readonly KindSpec[] = [
  spec('Namespace', 'namespaces', [''], false, s.namespaceSchema),
  spec('Node', 'nodes', [''], false, s.nodeSchema),
  spec('Pod', 'pods', [''], true, s.podSchema),
  spec('Deployment', 'deployments', ['apps', 'extensions'], true, s.deploymentSchema),
  spec('StatefulSet', 'statefulSets', ['apps'], true, s.statefulSetSchema),
  spec('DaemonSet', 'daemonSets', ['apps', 'extensions'], true, s.daemonSetSchema),
  spec('ReplicaSet', 'replicaSets', ['apps', 'extensions'], true, s.replicaSetSchema),
  spec('Job', 'jobs', ['batch'], true, s.jobSchema),
  spec('CronJob', 'cronJobs', ['batch'], true, s.cronJobSchema),
  spec('ReplicationController', 'replicationControllers', [''], true, s.replicationControllerSchema),
  spec('Service', 'services', [''], true, s.serviceSchema),
  spec('Endpoints', 'endpoints', [''], true, s.endpointsSchema),
  spec('EndpointSlice', 'endpointSlices', ['discovery.k8s.io'], true, s.endpointSliceSchema),
  spec('Ingress', 'ingresses', ['networking.k8s.io', 'extensions'], true, s.ingressSchema),
  spec('Gateway', 'gateways', ['gateway.networking.k8s.io'], true, s.gatewaySchema),
  spec('HTTPRoute', 'httpRoutes', ['gateway.networking.k8s.io'], true, s.httpRouteSchema),
  spec('ReferenceGrant', 'referenceGrants', ['gateway.networking.k8s.io'], true, s.referenceGrantSchema),
  spec('NetworkPolicy', 'networkPolicies', ['networking.k8s.io', 'extensions'], true, s.networkPolicySchema),
  spec('AdminNetworkPolicy', 'adminNetworkPolicies', ['policy.networking.k8s.io'], false, s.adminNetworkPolicySchema),
  spec(
    'BaselineAdminNetworkPolicy',
    'baselineAdminNetworkPolicies',
    ['policy.networking.k8s.io'],
    false,
    s.baselineAdminNetworkPolicySchema,
  ),
  spec('ServiceAccount', 'serviceAccounts', [''], true, s.serviceAccountSchema),
  spec('Role', 'roles', ['rbac.authorization.k8s.io'], true, s.roleSchema),
  spec('ClusterRole', 'clusterRoles', ['rbac.authorization.k8s.io'], false, s.clusterRoleSchema),
  spec('RoleBinding', 'roleBindings', ['rbac.authorization.k8s.io'], true, s.roleBindingSchema),
  spec('ClusterRoleBinding', 'clusterRoleBindings', ['rbac.authorization.k8s.io'], false, s.clusterRoleBindingSchema),
  spec('Secret', 'secrets', [''], true, s.secretSchema),
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → ''. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The kind's spec when kubepath reads this kind from this apiVersion, else undefined. */
export function kindSpecFor(kind: string, apiVersion: string): KindSpec | undefined {
  const found = byKind.get(kind);
  return found && found.groups.includes(apiGroup(apiVersion)) ? found : undefined;
}
