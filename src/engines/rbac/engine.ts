/**
 * kubepath RBAC engine
 * ====================
 *
 * The RBAC authorizer, offline: for a request and an identity, every grant that
 * allows it, with the API server's semantics (docs/rbac.md, "Semantics"). RBAC is
 * allow-only, so a request is allowed when any rule of any binding that applies
 * matches it:
 * - a ClusterRoleBinding applies to every request; a RoleBinding only to resource
 *   requests in its own namespace (never to cluster-wide ones, never to
 *   non-resource URLs, which thus work only through ClusterRoleBindings);
 * - a binding applies to an identity when a subject names it or one of its groups;
 * - members of `system:masters` are allowed everything before RBAC is asked.
 * Other authorizers (Node, webhooks) may allow more: RBAC alone is a lower bound.
 *
 * `can` asks for one identity, `whoCan` for every identity the cluster's objects
 * name (the model's service accounts, and the users and groups bindings name), and
 * `rulesOf` lists an identity's effective rules per scope.
 */
import {groupId} from '../../graph/ids.js';
import type {ClusterModel} from '../../graph/model.js';
import {compareStrings} from '../../util/order.js';
import {escalationBindings, type Escalation} from './escalation.js';
import {BOOTSTRAP_VERSION} from './bootstrap.js';
import {
  groupIdentity,
  identityFromId,
  MASTERS_GROUP,
  serviceAccountIdentity,
  subjectIdentityId,
  subjectIdsOf,
  type Identity,
} from './identities.js';
import {ruleAllows, type Rule} from './match.js';
import {normalizeRequest, type NormalizedRequest, type RbacRequest} from './request.js';
import {CLUSTER_SCOPE, resolvePolicy, type RbacPolicy, type ResolvedBinding, type ResolvedRole, type RuleOrigin} from './roles.js';
import {pushTo} from '../../util/group.js';

/** One rule of one binding that allows the request. */
export interface RuleGrant {
  kind: 'rbac';
  /** The identity or group id the binding's subject names (`sa:ci/deployer`, `group:system:authenticated`). */
  via: string;
  /** `RoleBinding/<ns>/<name>` or `ClusterRoleBinding/<name>`. */
  binding: string;
  /** The binding came from the bootstrap policy. */
  bindingBootstrap: boolean;
  /** Index of the subject in the binding's `subjects`. */
  subjectIndex: number;
  /** `Role/<ns>/<name>` or `ClusterRole/<name>`. */
  role: string;
  /** The role came from the bootstrap policy. */
  bootstrap: boolean;
  /** Index of the rule in the role's effective rules (for an aggregated role, the filled list). */
  ruleIndex: number;
  rule: Rule;
  /** Where the rule is written: differs from `role` for aggregated roles. */
  origin: RuleOrigin;
  /** The binding's namespace, or `cluster`. */
  scope: string;
  /** The binding is one the subject could write for itself (escalation.ts): the grant holds only after that. */
  escalation?: Escalation;
}

/** `system:masters` bypasses RBAC: no binding, no rule. */
export interface PrivilegedGrant {
  kind: 'system:masters';
  via: string;
  scope: typeof CLUSTER_SCOPE;
  reason: string;
}

export type Grant = RuleGrant | PrivilegedGrant;

export interface WhoCanEntry {
  identity: Identity;
  grants: Grant[];
}

export interface IdentityRules {
  /** Set for members of system:masters, whose requests RBAC never sees. */
  privileged?: PrivilegedGrant;
  /** Every rule of every binding that applies, per scope: `cluster` first, then namespaces by name. */
  scopes: Array<{scope: string; grants: RuleGrant[]}>;
}

export interface RbacEngineOptions {
  /** Add the bootstrap roles and bindings the input lacks (default true). */
  bootstrap?: boolean;
  /** Add the bindings identities could write for themselves (escalation.ts), marked so (default false: what the API server allows today). */
  escalations?: boolean;
}

export interface RbacEngine {
  /** The Kubernetes version of the added bootstrap policy; undefined when none was added. */
  bootstrapVersion: string | undefined;
  /** Roles (aggregation filled) and bindings (roleRefs resolved), input and bootstrap. */
  policy: RbacPolicy;
  /** Every identity the model and the bindings name, sorted by id. */
  identities: readonly Identity[];
  identity(id: string): Identity | undefined;
  /** The listed users and service accounts in a group (not the group itself), sorted by id. */
  membersOf(group: string): readonly Identity[];
  /** The first binding subject naming the identity id (input bindings by key first, then bootstrap ones). */
  namedBy(id: string): {binding: ResolvedBinding; subjectIndex: number} | undefined;
  /** Every grant that allows the request for the identity (an id or an Identity); empty when denied. */
  can(identity: Identity | string, request: RbacRequest): Grant[];
  /** Every listed identity the request is allowed for, sorted by id, each with its grants. */
  whoCan(request: RbacRequest): WhoCanEntry[];
  /** The identity's effective rules per scope, with their bindings and roles. */
  rulesOf(identity: Identity | string): IdentityRules;
}

const MASTERS_REASON = 'members of system:masters are allowed every request before RBAC is consulted; no binding can revoke it';

function mastersGrant(): PrivilegedGrant {
  return {kind: 'system:masters', via: groupId(MASTERS_GROUP), scope: CLUSTER_SCOPE, reason: MASTERS_REASON};
}

function compareGrants(a: Grant, b: Grant): number {
  if (a.kind !== 'rbac' || b.kind !== 'rbac') return a.kind === b.kind ? 0 : a.kind === 'rbac' ? 1 : -1;
  return compareStrings(a.binding, b.binding) || a.subjectIndex - b.subjectIndex || a.ruleIndex - b.ruleIndex;
}

interface SubjectRef {
  binding: ResolvedBinding;
  subjectIndex: number;
}

/**
 * Identities: the model's service accounts, then every subject of a binding that can
 * grant, input bindings before bootstrap ones; and the first subject naming each.
 */
function listIdentities(
  model: ClusterModel,
  bindings: readonly ResolvedBinding[],
): {identities: Map<string, Identity>; namedBy: Map<string, SubjectRef>} {
  const identities = new Map<string, Identity>();
  const namedBy = new Map<string, SubjectRef>();
  for (const sa of model.serviceAccounts.values()) identities.set(sa.id, serviceAccountIdentity(sa.namespace, sa.name, 'input'));
  const ordered = [...bindings.filter((b) => !b.bootstrap), ...bindings.filter((b) => b.bootstrap)];
  for (const binding of ordered) {
    // A ClusterRoleBinding to a Role is refused by the API server and grants nothing: its subjects are not listed (nor graph nodes).
    // An escalation binding is not in the cluster: it names no one.
    if ((binding.kind === 'ClusterRoleBinding' && binding.roleRef.kind === 'Role') || binding.escalation) continue;
    binding.subjects.forEach((subject, subjectIndex) => {
      const id = subjectIdentityId(subject, binding.namespace);
      if (!id) return;
      if (!identities.has(id)) identities.set(id, identityFromId(id, binding.bootstrap ? 'bootstrap' : 'input'));
      if (!namedBy.has(id)) namedBy.set(id, {binding, subjectIndex});
    });
  }
  if (!identities.has(groupId(MASTERS_GROUP))) identities.set(groupId(MASTERS_GROUP), groupIdentity(MASTERS_GROUP, 'bootstrap'));
  return {identities: new Map([...identities.entries()].sort(([a], [b]) => compareStrings(a, b))), namedBy};
}

/** The policy the engine answers from: the input's (and bootstrap's), and with `escalations` the bindings identities could write for themselves. */
function enginePolicy(model: ClusterModel, bootstrap: boolean, escalations: boolean): RbacPolicy {
  const policy = resolvePolicy(model.snapshot.objects, {bootstrap});
  if (!escalations) return policy;
  const written = escalationBindings(model, buildRbacEngine(model, {bootstrap}));
  return {roles: policy.roles, bindings: [...policy.bindings, ...written].sort((a, b) => compareStrings(a.key, b.key))};
}

/** Bindings that grant, by the identity id each subject names and by where they apply. */
interface BindingIndex {
  bySubject: Map<string, SubjectRef[]>;
  cluster: ResolvedBinding[];
  byNamespace: Map<string, ResolvedBinding[]>;
}

function indexBindings(bindings: readonly ResolvedBinding[]): BindingIndex {
  const index: BindingIndex = {bySubject: new Map(), cluster: [], byNamespace: new Map()};
  for (const binding of bindings) {
    if (!binding.role) continue; // dangling or a ClusterRoleBinding naming a Role: grants nothing
    if (binding.namespace === undefined) index.cluster.push(binding);
    else pushTo(index.byNamespace, binding.namespace, binding);
    binding.subjects.forEach((subject, subjectIndex) => {
      const id = subjectIdentityId(subject, binding.namespace);
      if (id) pushTo(index.bySubject, id, {binding, subjectIndex});
    });
  }
  return index;
}

/** Whether a binding can apply to the request: a ClusterRoleBinding, or a RoleBinding of its namespace. */
function bindingApplies(binding: ResolvedBinding, request: NormalizedRequest): boolean {
  // An escalation binding for every namespace (escalation.ts) applies to namespaced requests only.
  if (binding.escalation?.everyNamespace) return request.namespace !== '';
  return binding.namespace === undefined || (request.kind === 'resource' && binding.namespace === request.namespace);
}

/** The indexes of the role's rules that allow the request. */
function matchingRules(role: ResolvedRole, request: NormalizedRequest): number[] {
  const indexes: number[] = [];
  role.rules.forEach((effective, index) => {
    if (ruleAllows(effective.rule, request)) indexes.push(index);
  });
  return indexes;
}

function ruleGrant(via: string, ref: SubjectRef, ruleIndex: number): RuleGrant {
  const {binding, subjectIndex} = ref;
  const role = binding.role!;
  const effective = role.rules[ruleIndex]!;
  return {
    kind: 'rbac',
    via,
    binding: binding.key,
    bindingBootstrap: binding.bootstrap,
    subjectIndex,
    role: role.key,
    bootstrap: role.bootstrap,
    ruleIndex,
    rule: effective.rule,
    origin: effective.origin,
    scope: binding.scope,
    ...(binding.escalation ? {escalation: binding.escalation} : {}),
  };
}

/** The engine's answers, from the policy's bindings indexed once. */
class Engine implements RbacEngine {
  readonly identities: readonly Identity[];
  private readonly byId: Map<string, Identity>;
  private readonly firstNamedBy: Map<string, SubjectRef>;
  private readonly bindings: BindingIndex;
  /** Group members by group name, listed on first use. */
  private members?: Map<string, Identity[]>;

  constructor(
    model: ClusterModel,
    readonly policy: RbacPolicy,
    readonly bootstrapVersion: string | undefined,
  ) {
    const {identities, namedBy} = listIdentities(model, policy.bindings);
    this.byId = identities;
    this.identities = [...identities.values()];
    this.firstNamedBy = namedBy;
    this.bindings = indexBindings(policy.bindings);
  }

  identity(id: string): Identity | undefined {
    return this.byId.get(id);
  }

  membersOf(group: string): readonly Identity[] {
    if (!this.members) {
      this.members = new Map();
      for (const identity of this.identities) {
        if (identity.kind === 'Group') continue;
        for (const name of identity.groups) pushTo(this.members, name, identity);
      }
    }
    return this.members.get(group) ?? [];
  }

  namedBy(id: string): SubjectRef | undefined {
    return this.firstNamedBy.get(id);
  }

  can(who: Identity | string, request: RbacRequest): Grant[] {
    const normalized = normalizeRequest(request);
    const identity = this.resolve(who);
    const grants: Grant[] = identity.groups.includes(MASTERS_GROUP) ? [mastersGrant()] : [];
    for (const via of subjectIdsOf(identity)) {
      for (const ref of this.bindings.bySubject.get(via) ?? []) {
        if (!bindingApplies(ref.binding, normalized)) continue;
        for (const index of matchingRules(ref.binding.role!, normalized)) grants.push(ruleGrant(via, ref, index));
      }
    }
    return grants.sort(compareGrants);
  }

  whoCan(request: RbacRequest): WhoCanEntry[] {
    const normalized = normalizeRequest(request);
    const found = new Map<string, Grant[]>();
    const add = (identity: Identity, grants: Grant[]): void => {
      for (const granted of grants) pushTo(found, identity.id, granted);
    };
    for (const identity of [this.byId.get(groupId(MASTERS_GROUP))!, ...this.membersOf(MASTERS_GROUP)]) add(identity, [mastersGrant()]);
    const {cluster, byNamespace} = this.bindings;
    const candidates = normalized.namespace === '' ? cluster : [...cluster, ...(byNamespace.get(normalized.namespace) ?? [])];
    const rulesByRole = new Map<ResolvedRole, number[]>();
    for (const binding of candidates) {
      if (!bindingApplies(binding, normalized)) continue;
      const role = binding.role!;
      let indexes = rulesByRole.get(role);
      if (!indexes) rulesByRole.set(role, (indexes = matchingRules(role, normalized)));
      if (indexes.length === 0) continue;
      binding.subjects.forEach((subject, subjectIndex) => {
        const via = subjectIdentityId(subject, binding.namespace);
        if (!via) return;
        const grants = indexes.map((index) => ruleGrant(via, {binding, subjectIndex}, index));
        const named = this.byId.get(via) ?? identityFromId(via);
        add(named, grants);
        if (named.kind === 'Group') for (const member of this.membersOf(named.name)) add(member, grants);
      });
    }
    return [...found.entries()]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([id, grants]) => ({identity: this.byId.get(id) ?? identityFromId(id), grants: grants.sort(compareGrants)}));
  }

  rulesOf(who: Identity | string): IdentityRules {
    const identity = this.resolve(who);
    const byScope = new Map<string, RuleGrant[]>();
    for (const via of subjectIdsOf(identity)) {
      for (const ref of this.bindings.bySubject.get(via) ?? []) {
        ref.binding.role!.rules.forEach((_rule, index) => pushTo(byScope, ref.binding.scope, ruleGrant(via, ref, index)));
      }
    }
    const scopes = [...byScope.entries()]
      .sort(([a], [b]) => (a === CLUSTER_SCOPE ? -1 : b === CLUSTER_SCOPE ? 1 : compareStrings(a, b)))
      .map(([scope, grants]) => ({scope, grants: grants.sort(compareGrants)}));
    return identity.groups.includes(MASTERS_GROUP) ? {privileged: mastersGrant(), scopes} : {scopes};
  }

  private resolve(identity: Identity | string): Identity {
    if (typeof identity === 'string') return this.byId.get(identity) ?? identityFromId(identity);
    if (typeof identity?.id !== 'string' || !Array.isArray(identity.groups))
      throw new TypeError('kubepath rbac: an identity has an id and groups');
    return identity;
  }
}

export function buildRbacEngine(model: ClusterModel, options: RbacEngineOptions = {}): RbacEngine {
  if (!model?.snapshot?.objects || !(model.serviceAccounts instanceof Map))
    throw new TypeError('kubepath rbac: buildRbacEngine expects a ClusterModel');
  const bootstrap = options.bootstrap ?? true;
  return new Engine(model, enginePolicy(model, bootstrap, options.escalations ?? false), bootstrap ? BOOTSTRAP_VERSION : undefined);
}
