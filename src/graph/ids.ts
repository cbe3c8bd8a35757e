/**
 * kubepath node ids
 * =================
 *
 * `kind:namespace/name` for namespaced objects, `kind:name` for cluster-scoped ones
 * (DESIGN's vocabulary). Ids are the interface: node keys in the graph, selectors on
 * the command line, and `id` in Neo4j.
 */
export const INTERNET = 'internet';
export const CLUSTER_ADMIN = 'cluster-admin';
/** The node name given to pods that have none (manifests, pending pods). */
export const UNSCHEDULED = '<unscheduled>';

export const namespaceId = (name: string): string => `ns:${name}`;
export const nodeId = (name: string): string => `node:${name}`;
export const workloadId = (namespace: string, kind: string, name: string): string => `workload:${namespace}/${kind}/${name}`;
export const podId = (namespace: string, name: string): string => `pod:${namespace}/${name}`;
export const serviceId = (namespace: string, name: string): string => `svc:${namespace}/${name}`;
export const serviceAccountId = (namespace: string, name: string): string => `sa:${namespace}/${name}`;
export const userId = (name: string): string => `user:${name}`;
export const groupId = (name: string): string => `group:${name}`;
export const roleId = (namespace: string, name: string): string => `role:${namespace}/${name}`;
export const clusterRoleId = (name: string): string => `clusterrole:${name}`;
export const secretId = (namespace: string, name: string): string => `secret:${namespace}/${name}`;
export const networkPolicyId = (namespace: string, name: string): string => `netpol:${namespace}/${name}`;

/** The node kinds of DESIGN's vocabulary, as the graph's `kind` attribute and Neo4j label. */
export const NODE_KINDS = [
  'Internet',
  'ClusterAdmin',
  'Node',
  'Namespace',
  'Workload',
  'Pod',
  'Service',
  'ServiceAccount',
  'User',
  'Group',
  'Role',
  'ClusterRole',
  'Secret',
  'NetworkPolicy',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
