/**
 * CAN_IMPERSONATE: an identity sends requests as another one (`Impersonate-User`,
 * `Impersonate-Group` headers), with the `impersonate` verb (group `""`) on `users`
 * (by user name), `serviceaccounts` (by namespace and name: for a user name
 * `system:serviceaccount:<ns>:<name>` the API server asks this, never `users`) or
 * `groups` (by group name); resourceNames are honoured. Impersonating a group also
 * requires impersonating some user, so a group edge needs a user or service-account
 * impersonation of the same subject.
 * `system:masters` is allowed everything before RBAC: impersonating it is drawn to
 * the group when it is a graph node (IS_CLUSTER_ADMIN follows), else straight to
 * cluster-admin. Asked per identity (grant-groups.ts). See docs/edges/CAN_IMPERSONATE.md.
 */
import {MASTERS_GROUP, type Identity} from '../engines/rbac/identities.js';
import {CLUSTER_ADMIN, groupId} from '../graph/ids.js';
import {compareStrings} from '../util/order.js';
import {grantEdges, type GrantFacet} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes, foundGrants, isIdentityNode, namedGrants} from './rbac-grants.js';

/** An identity that can be acted as, and the node its edges go to. */
interface Impersonated {
  identity: Identity;
  id: string;
}

/** Graph identities, and `system:masters` (to cluster-admin when no binding names it), in id order. */
function impersonated({model, rbac}: RuleContext): Impersonated[] {
  const targets: Impersonated[] = [];
  for (const identity of rbac.identities) {
    const node = isIdentityNode(model, rbac, identity.id);
    if (node) targets.push({identity, id: identity.kind === 'Group' ? groupId(identity.name) : identity.id});
    else if (identity.kind === 'Group' && identity.name === MASTERS_GROUP) targets.push({identity, id: CLUSTER_ADMIN});
  }
  return targets.sort((a, b) => compareStrings(a.id, b.id));
}

/** Users by name, service accounts by namespace and name, groups by name for those who can also impersonate a user. */
function impersonationFacets(context: RuleContext): Array<GrantFacet<Impersonated>> {
  const ask = (resource: string) =>
    namedGrants(context, (namespace, name) => ({
      verb: 'impersonate',
      group: '',
      resource,
      ...(namespace ? {namespace} : {}),
      ...(name ? {name} : {}),
    }));
  const [users, groups, accounts] = [ask('users'), ask('groups'), ask('serviceaccounts')];
  const username = ({identity}: Impersonated): string => identity.username ?? identity.name;
  const actAs = (named: boolean, who: string, any: string): string => (named ? who : any);
  // The API server rejects Impersonate-Group without Impersonate-User: group edges need a user or account impersonation too.
  const userImpersonators = new Set(users('', '').keys());
  for (const {identity} of impersonated(context)) {
    if (identity.kind === 'User') for (const source of users('', identity.name).keys()) userImpersonators.add(source);
    if (identity.kind === 'ServiceAccount')
      for (const source of accounts(identity.namespace!, identity.name).keys()) userImpersonators.add(source);
  }
  return [
    {
      group: (target) => (target.identity.kind === 'User' ? users.group('', target.identity.name) : undefined),
      answer(target) {
        const named = users.group('', target.identity.name) !== users.group('', '');
        return foundGrants(
          context,
          users('', target.identity.name),
          'definite',
          () => `impersonate users: act as ${actAs(named, target.identity.name, 'any user')}`,
        );
      },
    },
    {
      group: ({identity}) => (identity.kind === 'ServiceAccount' ? accounts.group(identity.namespace!, identity.name) : undefined),
      answer(target) {
        const {namespace, name} = target.identity;
        const named = accounts.group(namespace!, name) !== accounts.group(namespace!, '');
        return foundGrants(
          context,
          accounts(namespace!, name),
          'definite',
          () => `impersonate serviceaccounts: act as ${actAs(named, username(target), `any service account of ${namespace}`)}`,
        );
      },
    },
    {
      group: ({identity}) =>
        identity.kind === 'Group' ? `${groups.group('', identity.name)}\u0000${identity.name === MASTERS_GROUP}` : undefined,
      answer({identity}) {
        const masters = identity.name === MASTERS_GROUP;
        const named = groups.group('', identity.name) !== groups.group('', '');
        const answer = new Map([...groups('', identity.name)].filter(([source]) => userImpersonators.has(source)));
        const what = `impersonate groups: act as a user in ${actAs(named || masters, `group ${identity.name}`, 'any group')}${masters ? ', which is allowed every request before RBAC (cluster-admin)' : ''}`;
        return foundGrants(context, answer, 'definite', () => what);
      },
    },
  ];
}

const RULE = {id: 'CAN_IMPERSONATE', type: 'CAN_IMPERSONATE', mitre: 'T1078'} as const;

export const canImpersonate: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary: 'impersonate on users, groups or serviceaccounts (resourceNames honoured): act as that identity',
  ...grantEdges<Impersonated>({
    rule: RULE,
    cost: COST.inHand,
    targets: impersonated,
    id: (target) => target.id,
    facets: impersonationFacets,
  }),
};
