/**
 * kubepath RBAC roles and bindings
 * ================================
 *
 * The policy the authorizer evaluates: the input's Roles, ClusterRoles and
 * bindings plus each bootstrap object the input lacks (by name; the input wins),
 * with every ClusterRole that has an `aggregationRule` filled as the aggregation
 * controller fills it, and every binding's roleRef resolved:
 * - aggregation: the role's rules become the union of the rules of every other
 *   ClusterRole matching any of its `clusterRoleSelectors` (selectors in order,
 *   matching roles by name, duplicates dropped), whatever rules the manifest wrote
 *   (git manifests leave them empty; a live dump may hold stale ones). Aggregated
 *   roles can feed each other (`view` → `edit` → `admin`), so this is a fixpoint;
 * - roleRef: a Role is looked up in the binding's own namespace only, and a
 *   ClusterRoleBinding cannot use a Role; a roleRef to a missing role is legal and
 *   grants nothing until the role appears (a latent binding).
 */
import {compileSelector, type LabelMatcher} from '../selectors.js';
import type {Escalation} from './escalation.js';
import {objectKey} from '../../snapshot/snapshot.js';
import type {
  ClusterRoleBindingObject,
  ClusterRoleObject,
  PolicyRule,
  RoleBindingObject,
  RoleObject,
  Subject,
} from '../../snapshot/schema.js';
import type {SnapshotObjects} from '../../snapshot/snapshot.js';
import {compareStrings} from '../../util/order.js';
import {bootstrapPolicy} from './bootstrap.js';
import {normalizeRule, ruleKey, type Rule} from './match.js';

/** Where a rule is written: its role (snapshot key) and index there; for aggregated roles, the source role. */
export interface RuleOrigin {
  role: string;
  rule: number;
  bootstrap: boolean;
}

export interface EffectiveRule {
  rule: Rule;
  origin: RuleOrigin;
}

export interface ResolvedRole {
  /** `Role/<ns>/<name>` or `ClusterRole/<name>`, as snapshot keys. */
  key: string;
  kind: 'Role' | 'ClusterRole';
  namespace?: string;
  name: string;
  /** Added from the bootstrap policy because the input lacks it. */
  bootstrap: boolean;
  labels: Readonly<Record<string, string>>;
  /** True when `rules` were computed from an aggregationRule. */
  aggregated: boolean;
  rules: readonly EffectiveRule[];
}

export interface ResolvedBinding {
  key: string;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** The binding's namespace; undefined for a ClusterRoleBinding. */
  namespace?: string;
  name: string;
  bootstrap: boolean;
  /** Where the binding grants: its namespace, or `cluster`. */
  scope: string;
  roleRef: {kind: 'Role' | 'ClusterRole'; name: string};
  /** The key of the role the roleRef names: `Role/<binding ns>/<name>`, `ClusterRole/<name>`, or `Role/<name>` for a ClusterRoleBinding's (unresolvable) Role. */
  roleKey: string;
  /** The role it resolves to; undefined when the role is missing or a ClusterRoleBinding names a Role. */
  role: ResolvedRole | undefined;
  subjects: readonly Subject[];
  /** Not in the cluster: a binding the subject could write for itself (escalation.ts), and the grants that let it. */
  escalation?: Escalation;
}

export interface RbacPolicy {
  /** Every role by key, sorted by key. */
  roles: ReadonlyMap<string, ResolvedRole>;
  /** Every binding, sorted by key. */
  bindings: readonly ResolvedBinding[];
}

export const CLUSTER_SCOPE = 'cluster';

type RbacObjects = Pick<SnapshotObjects, 'roles' | 'clusterRoles' | 'roleBindings' | 'clusterRoleBindings'>;

/** The input's objects, then each bootstrap object whose key the input does not hold. */
function withBootstrap<T extends {metadata: {name: string; namespace?: string}}>(
  kind: string,
  input: readonly T[],
  builtIn: readonly T[],
): Array<{object: T; bootstrap: boolean}> {
  const keyOf = (object: T) => objectKey(kind, object.metadata.namespace, object.metadata.name);
  const present = new Set(input.map(keyOf));
  return [
    ...input.map((object) => ({object, bootstrap: false})),
    ...builtIn.filter((o) => !present.has(keyOf(o))).map((object) => ({object, bootstrap: true})),
  ];
}

function ownRules(key: string, rules: readonly PolicyRule[] | null | undefined, bootstrap: boolean): EffectiveRule[] {
  return (rules ?? []).map((rule, index) => ({rule: normalizeRule(rule), origin: {role: key, rule: index, bootstrap}}));
}

interface Aggregating {
  role: ResolvedRole & {rules: EffectiveRule[]};
  /** Per selector, the other ClusterRoles it matches, by name. */
  sources: ResolvedRole[][];
}

/**
 * Fills aggregated ClusterRoles to the least fixpoint: each pass recomputes every
 * aggregated role from the current rules of its sources; rules only grow, and a
 * chain of n aggregated roles settles within n + 1 passes.
 */
function aggregate(clusterRoles: ResolvedRole[], selectorsOf: Map<string, LabelMatcher[]>): void {
  const byName = [...clusterRoles].sort((a, b) => compareStrings(a.name, b.name));
  const aggregating: Aggregating[] = [];
  for (const role of byName) {
    const selectors = selectorsOf.get(role.key);
    if (!selectors) continue;
    const sources = selectors.map((matches) => byName.filter((other) => other !== role && matches(other.labels)));
    aggregating.push({role: role as Aggregating['role'], sources});
  }
  const maxPasses = aggregating.length + 1;
  for (let pass = 0; ; pass++) {
    let changed = false;
    for (const {role, sources} of aggregating) {
      const seen = new Set<string>();
      const rules: EffectiveRule[] = [];
      for (const source of sources.flat()) {
        for (const effective of source.rules) {
          const key = ruleKey(effective.rule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push(effective);
        }
      }
      if (rules.length !== role.rules.length || rules.some((r, i) => r !== role.rules[i])) {
        role.rules = rules;
        changed = true;
      }
    }
    if (!changed) return;
    if (pass >= maxPasses) throw new Error('kubepath rbac: ClusterRole aggregation did not settle');
  }
}

export function resolvePolicy(objects: RbacObjects, options: {bootstrap: boolean}): RbacPolicy {
  const builtIn = options.bootstrap ? bootstrapPolicy() : {roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: []};
  const roles = new Map<string, ResolvedRole>();
  const selectorsOf = new Map<string, LabelMatcher[]>();

  for (const {object, bootstrap} of withBootstrap<RoleObject>('Role', objects.roles, builtIn.roles)) {
    const {name, namespace} = object.metadata;
    const key = objectKey('Role', namespace, name);
    roles.set(key, {
      key,
      kind: 'Role',
      namespace: namespace!,
      name,
      bootstrap,
      labels: object.metadata.labels ?? {},
      aggregated: false,
      rules: ownRules(key, object.rules, bootstrap),
    });
  }
  const clusterRoles: ResolvedRole[] = [];
  for (const {object, bootstrap} of withBootstrap<ClusterRoleObject>('ClusterRole', objects.clusterRoles, builtIn.clusterRoles)) {
    const {name} = object.metadata;
    const key = objectKey('ClusterRole', undefined, name);
    // An aggregationRule, even one without selectors, means the controller owns the rules.
    const aggregated = object.aggregationRule != null;
    const role: ResolvedRole = {
      key,
      kind: 'ClusterRole',
      name,
      bootstrap,
      labels: object.metadata.labels ?? {},
      aggregated,
      rules: aggregated ? [] : ownRules(key, object.rules, bootstrap),
    };
    if (aggregated) selectorsOf.set(key, (object.aggregationRule!.clusterRoleSelectors ?? []).map(compileSelector));
    roles.set(key, role);
    clusterRoles.push(role);
  }
  aggregate(clusterRoles, selectorsOf);

  const bindings: ResolvedBinding[] = [];
  const addBinding = (kind: ResolvedBinding['kind'], object: RoleBindingObject | ClusterRoleBindingObject, bootstrap: boolean): void => {
    const {name} = object.metadata;
    const namespace = kind === 'RoleBinding' ? object.metadata.namespace! : undefined;
    const ref = object.roleRef;
    // A Role is found in the binding's own namespace; a ClusterRoleBinding has none, so its Role ref resolves to nothing.
    const roleKey = objectKey(ref.kind, ref.kind === 'Role' ? namespace : undefined, ref.name);
    const role = ref.kind === 'Role' && namespace === undefined ? undefined : roles.get(roleKey);
    const binding: ResolvedBinding = {
      key: objectKey(kind, namespace, name),
      kind,
      name,
      bootstrap,
      scope: namespace ?? CLUSTER_SCOPE,
      roleRef: {kind: ref.kind, name: ref.name},
      roleKey,
      role,
      subjects: object.subjects ?? [],
    };
    if (namespace !== undefined) binding.namespace = namespace;
    bindings.push(binding);
  };
  for (const {object, bootstrap} of withBootstrap('ClusterRoleBinding', objects.clusterRoleBindings, builtIn.clusterRoleBindings))
    addBinding('ClusterRoleBinding', object, bootstrap);
  for (const {object, bootstrap} of withBootstrap('RoleBinding', objects.roleBindings, builtIn.roleBindings))
    addBinding('RoleBinding', object, bootstrap);

  return {
    roles: new Map([...roles.entries()].sort(([a], [b]) => compareStrings(a, b))),
    bindings: bindings.sort((a, b) => compareStrings(a.key, b.key)),
  };
}
