/**
 * IS_CLUSTER_ADMIN: an identity holds full control of the cluster: a
 * ClusterRoleBinding grants it a rule with `*` verbs on `*` resources in `*` API
 * groups (the shape of the built-in `cluster-admin`), or it is `system:masters`,
 * which the API server allows before RBAC is asked. RoleBindings never count: they
 * give `*` in one namespace only. See docs/edges/IS_CLUSTER_ADMIN.md.
 */
import {CLUSTER_ADMIN} from '../graph/ids.js';
import {COST, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {bindingFixes, grantsBySource, grantsEvidence} from './rbac-grants.js';

export const isClusterAdmin: EdgeRule<'IS_CLUSTER_ADMIN'> = {
  id: 'IS_CLUSTER_ADMIN',
  type: 'IS_CLUSTER_ADMIN',
  family: 'rbac',
  mitre: 'T1078.004',
  summary: 'A ClusterRoleBinding grants `*` verbs on `*` resources in `*` API groups, or the identity is system:masters',
  fixes: bindingFixes,
  build(context) {
    const edges = new EdgeCollector(isClusterAdmin);
    // Cluster-wide request (no namespace): only ClusterRoleBindings answer it.
    for (const [source, grants] of grantsBySource(context, {verb: '*', group: '*', resource: '*'})) {
      const evidence = grantsEvidence(context, grants, () => '* verbs on * resources');
      if (evidence.length > 0) edges.add(source, CLUSTER_ADMIN, {certainty: 'definite', cost: COST.byDefinition, evidence});
    }
    return edges.list();
  },
};
