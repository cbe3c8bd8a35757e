/**
 * CAN_ESCALATE: an identity that is not cluster-admin can make itself one through
 * RBAC writes the API server's escalation checks let through:
 * - bind: `create` on clusterrolebindings plus `bind` on a ClusterRole with
 *   cluster-admin power (`*` verbs on `*` resources in `*` groups; resourceNames
 *   honoured): bind that role to itself cluster-wide;
 * - escalate: `escalate` plus `update` or `patch` on a ClusterRole already bound to
 *   it by a ClusterRoleBinding: write `*` on `*` into that role.
 * Creating bindings alone is not escalation (the API server then requires holding
 * every permission of the referenced role), nor are these rights through a
 * RoleBinding (namespace power only). See docs/edges/CAN_ESCALATE.md.
 */
import type {Grant} from '../engines/rbac/engine.js';
import {subjectIdentityId} from '../engines/rbac/identities.js';
import {CLUSTER_ADMIN} from '../graph/ids.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {bindingFixes, grantsBySource, grantsEvidence, mergeGrants, type GrantsBySource} from './rbac-grants.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** ClusterRoles with a `*`/`*`/`*` rule, by name. */
function adminRoles({rbac}: RuleContext): string[] {
  const names: string[] = [];
  for (const role of rbac.policy.roles.values()) {
    const all = role.rules.some(({rule}) => [rule.verbs, rule.resources, rule.apiGroups].every((list) => list.includes('*')));
    if (role.kind === 'ClusterRole' && all) names.push(role.name);
  }
  return names;
}

/** The ClusterRoles each identity holds through ClusterRoleBindings, by subject id. */
function clusterBoundRoles({rbac}: RuleContext): Map<string, Set<string>> {
  const bound = new Map<string, Set<string>>();
  for (const binding of rbac.policy.bindings) {
    if (binding.kind !== 'ClusterRoleBinding' || binding.roleRef.kind !== 'ClusterRole') continue;
    for (const subject of binding.subjects) {
      const id = subjectIdentityId(subject, undefined);
      if (id) bound.set(id, (bound.get(id) ?? new Set()).add(binding.roleRef.name));
    }
  }
  return bound;
}

export const canEscalate: EdgeRule<'CAN_ESCALATE'> = {
  id: 'CAN_ESCALATE',
  type: 'CAN_ESCALATE',
  family: 'rbac',
  mitre: 'T1098',
  summary:
    'create clusterrolebindings plus bind on a cluster-admin-power ClusterRole, or escalate plus update on a ClusterRole bound to it cluster-wide',
  fixes: bindingFixes,
  build(context) {
    const answers = new Map<string, GrantsBySource>();
    const ask = (verb: string, resource: string, name?: string): GrantsBySource => {
      const key = `${verb}\u0000${resource}\u0000${name ?? ''}`;
      let answer = answers.get(key);
      if (!answer) answers.set(key, (answer = grantsBySource(context, {verb, group: RBAC_GROUP, resource, ...(name ? {name} : {})})));
      return answer;
    };
    const admins = new Set(grantsBySource(context, {verb: '*', group: '*', resource: '*'}).keys());
    const edges = new EdgeCollector(canEscalate);
    const add = (source: string, parts: Array<[Grant[], string]>): void => {
      if (admins.has(source)) return; // already IS_CLUSTER_ADMIN
      const evidence = parts.flatMap(([grants, what]) => grantsEvidence(context, grants, () => what));
      if (evidence.length > 0) edges.add(source, CLUSTER_ADMIN, {certainty: 'definite', cost: COST.deliberate, evidence});
    };

    const creators = ask('create', 'clusterrolebindings');
    for (const role of adminRoles(context)) {
      for (const [source, binds] of ask('bind', 'clusterroles', role)) {
        const creates = creators.get(source);
        if (creates)
          add(source, [
            [creates, 'create clusterrolebindings'],
            [binds, `bind ClusterRole/${role} (cluster-admin power) to itself cluster-wide`],
          ]);
      }
    }

    for (const [source, roles] of clusterBoundRoles(context)) {
      for (const role of roles) {
        const escalates = ask('escalate', 'clusterroles', role).get(source);
        const writes = mergeGrants(ask('update', 'clusterroles', role), ask('patch', 'clusterroles', role)).get(source);
        if (escalates && writes)
          add(source, [
            [escalates, `escalate ClusterRole/${role}, which a ClusterRoleBinding grants it`],
            [writes, `update/patch ClusterRole/${role}: add * on *`],
          ]);
      }
    }
    return edges.list();
  },
};
