/**
 * kubepath collected resources
 * ============================
 *
 * Where the API serves each kind a snapshot holds: its group (the first of the
 * kind's groups in kinds.ts; `extensions` is long gone from live servers), its
 * resource name, and the versions to try, newest first, so that a cluster still on
 * an older version of an API (Gateway API v1beta1, batch/v1beta1 CronJobs) is read
 * too. A kind no version of which is served is a `not-served` coverage gap.
 */
import {KINDS, type KindSpec} from '../snapshot/kinds.js';

export interface ListResource {
  spec: KindSpec;
  group: string;
  resource: string;
  versions: readonly string[];
}

const SERVED: Record<string, {resource: string; versions: readonly string[]}> = {
  Namespace: {resource: 'namespaces', versions: ['v1']},
  Node: {resource: 'nodes', versions: ['v1']},
  Pod: {resource: 'pods', versions: ['v1']},
  Deployment: {resource: 'deployments', versions: ['v1']},
  StatefulSet: {resource: 'statefulsets', versions: ['v1']},
  DaemonSet: {resource: 'daemonsets', versions: ['v1']},
  ReplicaSet: {resource: 'replicasets', versions: ['v1']},
  Job: {resource: 'jobs', versions: ['v1']},
  CronJob: {resource: 'cronjobs', versions: ['v1', 'v1beta1']},
  ReplicationController: {resource: 'replicationcontrollers', versions: ['v1']},
  Service: {resource: 'services', versions: ['v1']},
  Endpoints: {resource: 'endpoints', versions: ['v1']},
  EndpointSlice: {resource: 'endpointslices', versions: ['v1', 'v1beta1']},
  Ingress: {resource: 'ingresses', versions: ['v1', 'v1beta1']},
  Gateway: {resource: 'gateways', versions: ['v1', 'v1beta1']},
  HTTPRoute: {resource: 'httproutes', versions: ['v1', 'v1beta1']},
  ReferenceGrant: {resource: 'referencegrants', versions: ['v1', 'v1beta1']},
  NetworkPolicy: {resource: 'networkpolicies', versions: ['v1']},
  AdminNetworkPolicy: {resource: 'adminnetworkpolicies', versions: ['v1alpha1']},
  BaselineAdminNetworkPolicy: {resource: 'baselineadminnetworkpolicies', versions: ['v1alpha1']},
  ServiceAccount: {resource: 'serviceaccounts', versions: ['v1']},
  Role: {resource: 'roles', versions: ['v1']},
  ClusterRole: {resource: 'clusterroles', versions: ['v1']},
  RoleBinding: {resource: 'rolebindings', versions: ['v1']},
  ClusterRoleBinding: {resource: 'clusterrolebindings', versions: ['v1']},
  Secret: {resource: 'secrets', versions: ['v1']},
};

/** Every kind of the snapshot, in snapshot order. */
export const LIST_RESOURCES: readonly ListResource[] = KINDS.map((spec) => {
  const served = SERVED[spec.kind];
  if (!served) throw new Error(`resources.ts: no API resource for ${spec.kind}`);
  return {spec, group: spec.groups[0]!, ...served};
});

/** `/api/v1/namespaces/shop/pods`, `/apis/apps/v1/deployments`: where to list a resource. */
export function listPath(resource: ListResource, version: string, namespace?: string): string {
  const root = resource.group === '' ? `/api/${version}` : `/apis/${resource.group}/${version}`;
  const scope = namespace !== undefined && resource.spec.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.resource}`;
}
