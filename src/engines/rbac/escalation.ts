/**
 * kubepath RBAC escalation by binding
 * ===================================
 *
 * An identity allowed to create RoleBindings in a namespace and to `bind` a role there
 * can bind that role to itself: from then on it holds the role's rules in that
 * namespace (the API server's escalation check passes on `bind`; creating bindings
 * alone is not escalation, since it then requires holding every permission of the
 * role). Likewise `create` on clusterrolebindings plus `bind` on a ClusterRole,
 * cluster-wide; a ClusterRole with cluster-admin power bound that way is CAN_ESCALATE's
 * (src/edges/can-escalate.ts) and is left out here.
 *
 * These are the bindings an attacker would write, marked `escalation`: the RBAC engine
 * built with `{escalations: true}` (the one rules read) adds them, so every edge they
 * make possible is drawn, and its evidence says it holds only after that write. One
 * round: a binding written this way is not used to write further ones. Per identity
 * and namespace, a bindable role with cluster-admin power stands for all the others.
 */
import type {ClusterModel} from '../../graph/model.js';
import type {Grant, RbacEngine} from './engine.js';
import {identityFromId, subjectIdentityId} from './identities.js';
import {CLUSTER_SCOPE, type ResolvedBinding, type ResolvedRole} from './roles.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The scope of an escalation binding written in every namespace. */
export const EVERY_NAMESPACE = 'every namespace';

/** Why an added binding holds: the grants that let the identity write it. */
export interface Escalation {
  /** The identity (binding subject id) that writes the binding for itself. */
  by: string;
  /** Its `create` grant on the binding kind, then its `bind` grant on the role. */
  grants: Grant[];
  /** A RoleBinding in every namespace (both grants cluster-wide): stands for one per namespace. */
  everyNamespace?: boolean;
}

/** A namespace no object has: asking in it finds the grants that hold in every namespace. */
const ANY_NAMESPACE = '\u0000any';

const hasAll = (list: readonly string[]): boolean => list.includes('*');
const adminPower = (role: ResolvedRole): boolean =>
  role.rules.some(({rule}) => hasAll(rule.verbs) && hasAll(rule.resources) && hasAll(rule.apiGroups));

/**
 * Subjects of bindings whose role has some `bind` rule on roles or clusterroles, the only
 * ones worth asking: by the namespace of the RoleBinding granting it, or `cluster`.
 */
function possibleBinders(engine: RbacEngine): Map<string, Set<string>> {
  const binders = new Map<string, Set<string>>();
  for (const binding of engine.policy.bindings) {
    const binds = binding.role?.rules.some(({rule}) => {
      const verb = rule.verbs.includes('bind') || hasAll(rule.verbs);
      const group = rule.apiGroups.includes(RBAC_GROUP) || hasAll(rule.apiGroups);
      return verb && group && rule.resources.some((resource) => resource === 'roles' || resource === 'clusterroles' || resource === '*');
    });
    if (!binds) continue;
    for (const subject of binding.subjects) {
      const id = subjectIdentityId(subject, binding.namespace);
      const scope = binding.namespace ?? CLUSTER_SCOPE;
      if (id) binders.set(scope, (binders.get(scope) ?? new Set()).add(id));
    }
  }
  return binders;
}

function escalationBinding(by: string, grants: Grant[], role: ResolvedRole, namespace: string | undefined): ResolvedBinding {
  const everyNamespace = namespace === ANY_NAMESPACE;
  const kind = namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding';
  const name = `kubepath-escalation:${by}:${role.key}`;
  const identity = identityFromId(by);
  const subject =
    identity.kind === 'ServiceAccount'
      ? {kind: identity.kind, namespace: identity.namespace!, name: identity.name}
      : {kind: identity.kind, name: identity.name, apiGroup: RBAC_GROUP};
  const binding: ResolvedBinding = {
    key: namespace === undefined || everyNamespace ? `${kind}/${name}` : `${kind}/${namespace}/${name}`,
    kind,
    name,
    bootstrap: false,
    scope: everyNamespace ? EVERY_NAMESPACE : (namespace ?? CLUSTER_SCOPE),
    roleRef: {kind: role.kind, name: role.name},
    roleKey: role.key,
    role,
    subjects: [subject],
    escalation: everyNamespace ? {by, grants, everyNamespace} : {by, grants},
  };
  if (namespace !== undefined && !everyNamespace) binding.namespace = namespace;
  return binding;
}

/** The bindings identities of the graph could write for themselves, as above. */
export function escalationBindings(model: ClusterModel, engine: RbacEngine): ResolvedBinding[] {
  const binders = possibleBinders(engine);
  if (binders.size === 0) return [];
  const clusterBinders = binders.get(CLUSTER_SCOPE) ?? new Set<string>();
  /** Whether the subject has a bind rule that may hold here (cluster-wide, or from a RoleBinding of this namespace). */
  const mayBind = (by: string, namespace: string | undefined, localOnly: boolean): boolean =>
    (!localOnly && clusterBinders.has(by)) || (namespace !== undefined && binders.get(namespace)?.has(by) === true);
  const admins = new Set(engine.whoCan({verb: '*', group: '*', resource: '*'}).map((entry) => entry.identity.id));
  const inGraph = (id: string): boolean => model.serviceAccounts.has(id) || engine.namedBy(id)?.binding.bootstrap === false;
  const roles = [...engine.policy.roles.values()].filter((role) => role.rules.length > 0);
  const added: ResolvedBinding[] = [];

  /** Subjects that wrote a binding with admin power in every namespace: nothing more to gain in one. */
  const dominant = new Set<string>();
  /**
   * For each subject allowed to create the binding kind (in `namespace`; ANY_NAMESPACE: in
   * every one, cluster-wide grants only; undefined: ClusterRoleBindings), the roles it may
   * bind there, one with admin power standing for all. For subjects in `local`, handled in
   * every namespace already, only bind grants of this namespace count.
   */
  const escalate = (namespace: string | undefined, local: ReadonlySet<string> = new Set()): Set<string> => {
    const creators =
      namespace === undefined
        ? engine.whoCan({verb: 'create', group: RBAC_GROUP, resource: 'clusterrolebindings'})
        : engine.whoCan({verb: 'create', group: RBAC_GROUP, resource: 'rolebindings', namespace});
    const done = new Set<string>();
    for (const {grants} of creators) {
      for (const create of grants) {
        const by = create.via;
        if (done.has(by) || dominant.has(by) || !mayBind(by, namespace, local.has(by)) || admins.has(by) || !inGraph(by)) continue;
        done.add(by);
        const bindable = roles.flatMap((role) => {
          if (role.kind === 'Role' && role.namespace !== namespace) return [];
          const resource = role.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
          const binds = engine.can(by, {
            verb: 'bind',
            group: RBAC_GROUP,
            resource,
            name: role.name,
            ...(namespace === undefined ? {} : {namespace}),
          });
          const bind = local.has(by) ? binds.find((grant) => grant.scope === namespace) : binds[0];
          return bind ? [{role, bind}] : [];
        });
        const strongest = bindable.find(({role}) => adminPower(role));
        // Cluster-wide, admin power is CAN_ESCALATE's; in a namespace it stands for every other role.
        const chosen = namespace === undefined ? bindable.filter(({role}) => !adminPower(role)) : strongest ? [strongest] : bindable;
        if (namespace === ANY_NAMESPACE && strongest) dominant.add(by);
        for (const {role, bind} of chosen) added.push(escalationBinding(by, [create, bind], role, namespace));
      }
    }
    return done;
  };

  escalate(undefined);
  // Grants that hold in every namespace make one binding for all of them; then, namespace
  // by namespace, what holds there alone.
  const everywhere = escalate(ANY_NAMESPACE);
  for (const namespace of model.namespaces.keys()) escalate(namespace, everywhere);
  return added;
}
