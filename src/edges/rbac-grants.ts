/**
 * kubepath RBAC grants → edges
 * ============================
 *
 * What the RBAC-based rules share: ask the engine who can make a request, keep the
 * identities that are graph nodes, and turn each grant into evidence.
 * - Sources are the subjects the grants name (`grant.via`): a grant to a group draws
 *   from the group, and MEMBER_OF carries its members there; a grant to a user or
 *   service account draws from it. Only identities that are graph nodes are sources:
 *   the model's service accounts and the subjects input bindings name (so groups only
 *   the bootstrap bindings name, such as `system:authenticated`, draw nothing).
 * - Evidence names the binding (`roleRef`, with verb, resource and scope in the note)
 *   and, when the role is in the input, the rule (`rules[i]`); for a bootstrap binding
 *   or role it names the input object that makes the grant apply and says so.
 * - Objects named in a `resourceNames` list are asked by name; every other object of
 *   a namespace shares the nameless answer, so a rule costs one query per namespace.
 */
import type {Grant, RbacEngine, RuleGrant} from '../engines/rbac/engine.js';
import type {ResourceRequest} from '../engines/rbac/request.js';
import type {ClusterModel} from '../graph/model.js';
import type {Certainty, Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import type {Found} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import type {EdgeStep, Fix} from './rule.js';
import {compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';

/** Grants by the graph identity they draw from (the subject a binding names), in whoCan order. */
export type GrantsBySource = Map<string, Grant[]>;

const grantKey = (grant: Grant): string =>
  grant.kind === 'rbac' ? `${grant.binding}\u0000${grant.subjectIndex}\u0000${grant.ruleIndex}` : grant.kind;

/** Whether the identity id is a graph node: a model service account or a subject some input binding names. */
export function isIdentityNode(model: ClusterModel, rbac: RbacEngine, id: string): boolean {
  if (model.serviceAccounts.has(id)) return true;
  const named = rbac.namedBy(id);
  return named !== undefined && !named.binding.bootstrap;
}

/** Who can make the request, by source node, grants deduplicated (a group's grant is listed once, for the group). */
export function grantsBySource({model, rbac}: RuleContext, request: ResourceRequest): GrantsBySource {
  const bySource: GrantsBySource = new Map();
  const seen = new Set<string>();
  for (const entry of rbac.whoCan(request)) {
    for (const grant of entry.grants) {
      const key = `${grant.via}\u0000${grantKey(grant)}`;
      if (seen.has(key) || !isIdentityNode(model, rbac, grant.via)) continue;
      seen.add(key);
      const list = bySource.get(grant.via);
      if (list) list.push(grant);
      else bySource.set(grant.via, [grant]);
    }
  }
  // A source allowed outright needs no escalation: its escalation grants would only blur the evidence.
  for (const [source, grants] of bySource) {
    if (grants.some(isEscalation) && !grants.every(isEscalation))
      bySource.set(
        source,
        grants.filter((grant) => !isEscalation(grant)),
      );
  }
  return bySource;
}

/** A grant that holds only once the identity writes a binding for itself (src/engines/rbac/escalation.ts). */
export const isEscalation = (grant: Grant): boolean => grant.kind === 'rbac' && grant.escalation !== undefined;

/** Merges several answers (e.g. one per verb) into one, first answer first, each grant once per source. */
export function mergeGrants(...answers: GrantsBySource[]): GrantsBySource {
  const merged: GrantsBySource = new Map();
  const seen = new Set<string>();
  for (const answer of answers) {
    for (const [source, grants] of answer) {
      for (const grant of grants) {
        const key = `${source}\u0000${grantKey(grant)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pushTo(merged, source, grant);
      }
    }
  }
  return merged;
}

/** Every name any rule's resourceNames lists: only objects so named need a query by name. */
export function namesInResourceNames(rbac: RbacEngine): Set<string> {
  const names = new Set<string>();
  for (const role of rbac.policy.roles.values()) for (const {rule} of role.rules) for (const name of rule.resourceNames) names.add(name);
  return names;
}

/** Who can make a request on an object of a namespace, and the group of objects sharing that answer. */
export interface NamedGrants {
  (namespace: string, name: string): GrantsBySource;
  /** Objects with the same group get the same answer: the namespace, and the name where a resourceNames list names it. */
  group(namespace: string, name: string): string;
  /** Drops the answers kept so far (for a caller that keeps what it made of them). */
  clear(): void;
}

/**
 * Who can make `request(name)` on each object of a namespace: the nameless answer
 * (rules without resourceNames), plus, for an object some resourceNames list names,
 * the answer by name (unless `byName` is false: list and watch are asked without a
 * name, since a name reaches the authorizer only through a field selector on newer
 * servers). Memoised per group.
 */
export function namedGrants(
  context: RuleContext,
  request: (namespace: string, name?: string) => ResourceRequest,
  byName = true,
): NamedGrants {
  const named = byName ? namesInResourceNames(context.rbac) : new Set<string>();
  const cache = new Map<string, GrantsBySource>();
  // A name with a slash cannot be asked for (user names may be URLs): rules naming it are not counted.
  const askedName = (name: string): string => (named.has(name) && !name.includes('/') ? name : '');
  // Most objects share their namespace's nameless group: its key is built once per namespace.
  const nameless = new Map<string, string>();
  const group = (namespace: string, name: string): string => {
    const asked = askedName(name);
    if (asked) return `${namespace}\u0000${asked}`;
    let key = nameless.get(namespace);
    if (key === undefined) nameless.set(namespace, (key = `${namespace}\u0000`));
    return key;
  };
  const ask = (namespace: string, name: string): GrantsBySource => {
    const key = group(namespace, name);
    let answer = cache.get(key);
    if (!answer) {
      const asked = askedName(name);
      cache.set(key, (answer = grantsBySource(context, request(namespace, asked || undefined))));
    }
    return answer;
  };
  return Object.assign(ask, {group, clear: () => cache.clear()});
}

/** An answer as facets give it (grant-groups.ts): each source's evidence, sources without any dropped. */
export function foundGrants(
  context: RuleContext,
  answer: GrantsBySource,
  certainty: Certainty,
  what: (grant: Grant) => string,
): Map<string, Found> {
  const found = new Map<string, Found>();
  for (const [source, grants] of answer) {
    const evidence = grantsEvidence(context, grants, what);
    if (evidence.length > 0) found.set(source, grants.every(isEscalation) ? {certainty, evidence, escalated: true} : {certainty, evidence});
  }
  return found;
}

/** Where an input binding names the identity or group: its subject (none when only a bootstrap binding does). */
export function namingSubject(rbac: RbacEngine, id: string): Evidence | undefined {
  const ref = rbac.namedBy(id);
  if (!ref || ref.binding.bootstrap) return undefined;
  const subject = ref.binding.subjects[ref.subjectIndex]!;
  return {object: ref.binding.key, field: `subjects[${ref.subjectIndex}]`, value: `${subject.kind} ${subject.name}`};
}

const identityEvidenceCache = new WeakMap<RbacEngine, Map<string, Evidence | undefined>>();

/** The input object that makes a bootstrap binding apply to the identity (memoised per engine). */
function identityEvidence(model: ClusterModel, rbac: RbacEngine, id: string): Evidence | undefined {
  let cache = identityEvidenceCache.get(rbac);
  if (!cache) identityEvidenceCache.set(rbac, (cache = new Map()));
  if (!cache.has(id)) cache.set(id, findIdentityEvidence(model, rbac, id));
  return cache.get(id);
}

/** Its ServiceAccount, the input binding naming it, or a pod running as it. */
function findIdentityEvidence(model: ClusterModel, rbac: RbacEngine, id: string): Evidence | undefined {
  const account = model.serviceAccounts.get(id);
  if (account?.declared) return {object: objectKey('ServiceAccount', account.namespace, account.name)};
  const named = rbac.namedBy(id);
  if (named && !named.binding.bootstrap) return {object: named.binding.key, field: `subjects[${named.subjectIndex}]`};
  const pod = account && (model.podsByNamespace.get(account.namespace) ?? []).find((p) => p.serviceAccount === account.name);
  if (pod) return {object: pod.source.object, field: pod.source.specPath, note: 'a pod runs as this service account'};
  // Declared, not merely referenced: then the evidence names an object the input holds (files and live snapshots alike).
  if (!account || !model.namespaces.get(account.namespace)?.declared) return undefined;
  return {object: objectKey('Namespace', undefined, account.namespace), note: `every namespace has its default service account`};
}

const describeRule = (grant: RuleGrant): string =>
  `verbs [${grant.rule.verbs.join(', ')}] on [${grant.rule.resources.join(', ')}] in API groups [${grant.rule.apiGroups.map((g) => (g === '' ? '""' : g)).join(', ')}]` +
  (grant.rule.resourceNames.length ? ` named [${grant.rule.resourceNames.join(', ')}]` : '');

/** What a grant allows without the why (`create pods/exec: run a command in the pod` → `create pods/exec`): the binding's note says why, the rule's only what. */
const permissionOf = (what: string): string => what.split(': ')[0]!;

/**
 * Evidence for one grant: the binding (or, for a bootstrap binding, the input object
 * naming the identity) and the role's rule when the input holds it. `what` says what
 * the grant allows here, e.g. `get secrets`.
 */
export function grantEvidence(context: RuleContext, grant: Grant, what: string): Evidence[] {
  const {model, rbac} = context;
  if (grant.kind === 'rbac' && grant.escalation) return escalatedEvidence(context, grant, what);
  if (grant.kind !== 'rbac') {
    const named = identityEvidence(model, rbac, grant.via);
    return named ? [{...named, note: `${grant.reason}, which allows: ${what}`}] : [];
  }
  const scope = grant.scope === 'cluster' ? 'cluster-wide' : `in namespace ${grant.scope}`;
  const rule = describeRule(grant);
  const roleNote = grant.origin.bootstrap
    ? `; ${grant.role} is a built-in (bootstrap) role, not in the input, whose rules[${grant.ruleIndex}] grants ${rule}`
    : '';
  const named = grant.bindingBootstrap ? identityEvidence(model, rbac, grant.via) : undefined;
  if (grant.bindingBootstrap && !named) return [];
  const binding: Evidence = named
    ? {
        ...named,
        note: `the built-in binding ${grant.binding} (not in the input) grants ${grant.role} to ${grant.via} ${scope}${roleNote}, which allows: ${what}`,
      }
    : {
        object: grant.binding,
        field: 'roleRef',
        value: grant.role,
        note: `subjects[${grant.subjectIndex}] (${grant.via}) holds ${grant.role} ${scope}${roleNote}, which allows: ${what}`,
      };
  if (grant.origin.bootstrap) return [binding];
  const via = grant.origin.role === grant.role ? '' : ` (aggregated into ${grant.role})`;
  return [
    binding,
    {
      object: grant.origin.role,
      field: `rules[${grant.origin.rule}]`,
      value: rule,
      note: `the rule${via} that allows: ${permissionOf(what)}`,
    },
  ];
}

/**
 * Evidence for a grant that holds only after an escalation (src/engines/rbac/escalation.ts):
 * the identity's own grants to create the binding and bind the role, then the role's rule.
 */
function escalatedEvidence(context: RuleContext, grant: RuleGrant, what: string): Evidence[] {
  const [create, bind] = grant.escalation!.grants;
  const where =
    grant.scope === 'cluster' ? 'cluster-wide' : grant.escalation!.everyNamespace ? 'in every namespace' : `in namespace ${grant.scope}`;
  const binding = grant.scope === 'cluster' ? 'ClusterRoleBinding' : 'RoleBinding';
  const steps = [
    ...grantEvidence(context, create!, `create ${binding.toLowerCase()}s`),
    ...grantEvidence(context, bind!, `bind ${grant.role}`),
  ];
  if (steps.length === 0) return [];
  const [first, ...rest] = steps;
  const escalation = `holds only after an escalation: ${grant.via} writes a ${binding} ${where} granting ${grant.role} to itself, whose rules[${grant.ruleIndex}] then allow ${what}`;
  const rule: Evidence[] = grant.origin.bootstrap
    ? []
    : [
        {
          object: grant.origin.role,
          field: `rules[${grant.origin.rule}]`,
          value: describeRule(grant),
          note: `the rule that, once bound, allows: ${permissionOf(what)}`,
        },
      ];
  return [{...first!, note: `${escalation}; ${first!.note}`}, ...rest, ...rule];
}

/** Evidence for every grant of a source, deduplicated by the caller's collector. */
const evidenceCache = new WeakMap<readonly Grant[], Map<string, Evidence[]>>();

export function grantsEvidence(context: RuleContext, grants: readonly Grant[], what: (grant: Grant) => string): Evidence[] {
  // Answers are shared between the objects of a namespace: build each grant list's evidence once per wording.
  const whats = grants.map(what);
  const key = whats.join('\u0000');
  let byWhat = evidenceCache.get(grants);
  if (!byWhat) evidenceCache.set(grants, (byWhat = new Map()));
  let evidence = byWhat.get(key);
  if (!evidence) byWhat.set(key, (evidence = grants.flatMap((grant, i) => grantEvidence(context, grant, whats[i]!))));
  return [...evidence];
}

/** The verbs of `verbs` the grant's rule allows (all of them for system:masters). */
export function grantedVerbs(grant: Grant, verbs: readonly string[]): string[] {
  if (grant.kind !== 'rbac') return [...verbs];
  return verbs.filter((verb) => grant.rule.verbs.includes(verb) || grant.rule.verbs.includes('*'));
}

/** The bindings an RBAC edge's evidence names (its `roleRef` items; for an escalation, the binding that lets it write). */
function bindingsOf(evidence: readonly Evidence[]): string[] {
  return [...new Set(evidence.filter((item) => item.field === 'roleRef').map((item) => item.object))].sort(compareStrings);
}

/** The fixes of an RBAC edge: deleting its binding, when one binding grants it; none when it takes several. */
export function bindingFixes({attributes: {evidence}}: EdgeStep): Fix[] {
  const bindings = bindingsOf(evidence);
  return bindings.length === 1
    ? [{id: `delete:${bindings[0]}`, action: `delete ${bindings[0]} (or narrow the rule it grants)`, object: bindings[0]!}]
    : [];
}
