/**
 * CAN_IMPERSONATE: an identity sends requests as another one (`Impersonate-User`,
 * `Impersonate-Group` headers), with the `impersonate` verb (group `""`) on `users`
 * (by user name), `serviceaccounts` (by namespace and name; or `users` named
 * `system:serviceaccount:<ns>:<name>`) or `groups` (by group name); resourceNames
 * are honoured. Impersonating a group also requires impersonating some user, so a
 * group edge needs a user or service-account impersonation of the same subject.
 * `system:masters` is allowed everything before RBAC: impersonating it is drawn to
 * the group when it is a graph node (IS_CLUSTER_ADMIN follows), else straight to
 * cluster-admin. See docs/edges/CAN_IMPERSONATE.md.
 */
import {MASTERS_GROUP} from '../engines/rbac/identities.js';
import {CLUSTER_ADMIN, groupId} from '../graph/ids.js';
import type {EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {grantsEvidence, isIdentityNode, mergeGrants, namedGrants} from './rbac-grants.js';

export const canImpersonate: EdgeRule = {
  id: 'CAN_IMPERSONATE',
  type: 'CAN_IMPERSONATE',
  mitre: 'T1078',
  summary: 'impersonate on users, groups or serviceaccounts (resourceNames honoured): act as that identity',
  build(context) {
    const {model, rbac} = context;
    const ask = (resource: string) => namedGrants(context, (namespace, name) => ({verb: 'impersonate', group: '', resource, ...(namespace ? {namespace} : {}), ...(name ? {name} : {})}));
    const [users, groups, accounts] = [ask('users'), ask('groups'), ask('serviceaccounts')];
    const edges = new EdgeCollector(canImpersonate);
    const userImpersonators = new Set(users('', '').keys());
    const draw = (target: string, answer: ReturnType<typeof users>, what: string, edgeTarget = target): void => {
      for (const [source, grants] of answer) {
        if (source === target) continue;
        const evidence = grantsEvidence(context, grants, () => what);
        if (evidence.length > 0) edges.add(source, edgeTarget, 'definite', 1, evidence);
      }
    };
    for (const identity of rbac.identities) {
      if (identity.kind === 'Group' || !isIdentityNode(model, rbac, identity.id)) continue;
      const answer =
        identity.kind === 'User'
          ? users('', identity.name)
          : mergeGrants(accounts(identity.namespace!, identity.name), users('', identity.username ?? identity.name));
      for (const source of answer.keys()) userImpersonators.add(source);
      draw(identity.id, answer, `impersonate ${identity.kind === 'User' ? 'users' : 'serviceaccounts'}: act as ${identity.username ?? identity.name}`);
    }
    for (const identity of rbac.identities) {
      if (identity.kind !== 'Group') continue;
      const masters = identity.name === MASTERS_GROUP;
      const node = isIdentityNode(model, rbac, identity.id);
      if (!node && !masters) continue;
      const answer = new Map([...groups('', identity.name)].filter(([source]) => userImpersonators.has(source)));
      const what = `impersonate groups: act as a user in group ${identity.name}${masters ? ', which is allowed every request before RBAC (cluster-admin)' : ''}`;
      draw(identity.id, answer, what, node ? groupId(identity.name) : CLUSTER_ADMIN);
    }
    return edges.list();
  },
};
