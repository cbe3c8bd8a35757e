/**
 * kubepath RBAC identities
 * ========================
 *
 * Who asks: service accounts, users and groups, with the graph's ids (docs/interface.md)
 * (`sa:<ns>/<name>`, `user:<name>`, `group:<name>`) and the groups the
 * authenticator puts them in. RBAC never lists group members, so the implicit ones
 * are expanded here (docs/rbac.md):
 * - a service account authenticates as `system:serviceaccount:<ns>:<name>`, in
 *   `system:serviceaccounts`, `system:serviceaccounts:<ns>` and `system:authenticated`;
 * - `system:anonymous` is in `system:unauthenticated`, every other user in
 *   `system:authenticated`; a kubelet's `system:node:<name>` is also in
 *   `system:nodes` (the Node authorizer requires that group of kubelet credentials).
 * Other group memberships (OIDC groups, certificate organisations) are not in the
 * cluster's objects: a caller that knows them builds the identity with them.
 */
import {groupId, parseId, serviceAccountId, userId} from '../../graph/ids.js';
import {SERVICE_ACCOUNT_USER_PREFIX, serviceAccountOfUser, subjectIdentity} from '../../graph/model.js';
import type {Subject} from '../../snapshot/schema.js';

export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const NODES_GROUP = 'system:nodes';
export const ANONYMOUS_USER = 'system:anonymous';

/**
 * Where an identity is known from: `input`, a service account of the model or a
 * user or group an input binding names (each is a graph node); `bootstrap`, named
 * only by an added bootstrap binding (and `system:masters`); `unlisted`, built for
 * a question about an identity nothing names.
 */
export type IdentitySource = 'input' | 'bootstrap' | 'unlisted';

export interface Identity {
  id: string;
  kind: 'ServiceAccount' | 'User' | 'Group';
  name: string;
  /** A service account's namespace. */
  namespace?: string;
  /** The user name the API server sees; none for a group. */
  username?: string;
  /** The groups the identity is in (a group is "in" itself), sorted. */
  groups: readonly string[];
  source: IdentitySource;
}

export function serviceAccountIdentity(namespace: string, name: string, source: IdentitySource = 'unlisted'): Identity {
  const groups = [AUTHENTICATED_GROUP, SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`].sort();
  return {
    id: serviceAccountId(namespace, name),
    kind: 'ServiceAccount',
    name,
    namespace,
    username: `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`,
    groups,
    source,
  };
}

/** A user; a service account's user name gives that service account. */
export function userIdentity(name: string, source: IdentitySource = 'unlisted'): Identity {
  const account = serviceAccountOfUser(name);
  if (account) return serviceAccountIdentity(account.namespace, account.name, source);
  const groups =
    name === ANONYMOUS_USER
      ? [UNAUTHENTICATED_GROUP]
      : name.startsWith('system:node:')
        ? [AUTHENTICATED_GROUP, NODES_GROUP]
        : [AUTHENTICATED_GROUP];
  return {id: userId(name), kind: 'User', name, username: name, groups, source};
}

export function groupIdentity(name: string, source: IdentitySource = 'unlisted'): Identity {
  return {id: groupId(name), kind: 'Group', name, groups: [name], source};
}

/** The identity a graph id names (`sa:<ns>/<name>`, `user:<name>`, `group:<name>`, as src/graph/ids.ts writes them); throws on anything else. */
export function identityFromId(id: string, source: IdentitySource = 'unlisted'): Identity {
  const parsed = parseId(id);
  if (parsed?.prefix === 'user') return userIdentity(parsed.components[0]!, source);
  if (parsed?.prefix === 'group') return groupIdentity(parsed.components[0]!, source);
  if (parsed?.prefix === 'sa') return serviceAccountIdentity(parsed.components[0]!, parsed.components[1]!, source);
  throw new TypeError(`kubepath rbac: not an identity id: ${JSON.stringify(id)} (expected sa:<ns>/<name>, user:<name> or group:<name>)`);
}

/**
 * The identity id a binding subject names, as the authorizer matches it (subjectIdentity
 * in src/graph/model.ts). Undefined for subjects that match nobody.
 */
export function subjectIdentityId(subject: Subject, bindingNamespace: string | undefined): string | undefined {
  return subjectIdentity(subject, bindingNamespace)?.id;
}

/** The ids a binding subject may name to grant this identity something: its own and its groups'. */
export function subjectIdsOf(identity: Identity): string[] {
  return [...new Set([identity.id, ...identity.groups.map(groupId)])];
}
