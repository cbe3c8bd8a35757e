/**
 * CAN_READ_SECRET: an identity can read a Secret's data through the API: `get` on
 * that secret (resourceNames honoured), or `list`/`watch` on secrets in its namespace
 * (a list or watch response carries every secret's data; a nameless request never
 * matches a rule with resourceNames). RoleBindings count in their namespace only.
 * Drawn to the Secret nodes of the graph: the input's, and those pods reference that
 * the input lacks (conditional: the input cannot show they exist).
 * Asked per identity (grant-groups.ts). See docs/edges/CAN_READ_SECRET.md.
 */
import type {ResourceRequest} from '../engines/rbac/request.js';
import {secretId} from '../graph/ids.js';
import {compareStrings} from '../util/order.js';
import {grantEdges, type GrantFacet} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes, foundGrants, grantedVerbs, mergeGrants, namedGrants} from './rbac-grants.js';
import {secretReferences} from '../graph/pod-spec.js';

const READ_VERBS = ['get', 'list', 'watch'] as const;

const secretsRequest =
  (verb: string) =>
  (namespace: string, name?: string): ResourceRequest => ({verb, group: '', resource: 'secrets', namespace, ...(name ? {name} : {})});

function describeRead(verbs: string[]): string {
  const listing = verbs.some((verb) => verb !== 'get');
  return `${verbs.join('/')} secrets${listing ? ' (a list or watch response carries the data of every secret of the namespace)' : ''}`;
}

interface SecretTarget {
  id: string;
  namespace: string;
  name: string;
  declared: boolean;
}

/** The input's secrets, and those pods reference that the input lacks, in id order. */
function secretTargets({model}: RuleContext): SecretTarget[] {
  const secrets = new Map<string, SecretTarget>();
  for (const secret of model.snapshot.objects.secrets) {
    const {namespace, name} = secret.metadata;
    const id = secretId(namespace!, name);
    secrets.set(id, {id, namespace: namespace!, name, declared: true});
  }
  for (const pod of model.pods) {
    for (const {name} of secretReferences(pod)) {
      const id = secretId(pod.namespace, name);
      if (!secrets.has(id)) secrets.set(id, {id, namespace: pod.namespace, name, declared: false});
    }
  }
  return [...secrets.values()].sort((a, b) => compareStrings(a.id, b.id));
}

/** One facet for the three verbs: their grants merged per source, one evidence list saying which verbs each grant allows. */
function readFacet(context: RuleContext): GrantFacet<SecretTarget> {
  const asks = READ_VERBS.map((verb) => namedGrants(context, secretsRequest(verb), verb === 'get'));
  return {
    group: ({namespace, name, declared}) => `${asks.map((ask) => ask.group(namespace, name)).join('\u0000')}\u0000${declared}`,
    answer({namespace, name, declared}) {
      const found = foundGrants(
        context,
        mergeGrants(...asks.map((ask) => ask(namespace, name))),
        declared ? 'definite' : 'conditional',
        (grant) => describeRead(grantedVerbs(grant, READ_VERBS)),
      );
      if (!declared)
        for (const {evidence} of found.values())
          evidence[0] = {...evidence[0]!, note: `${evidence[0]!.note}; the Secret is not in the input, only referenced by a pod`};
      return found;
    },
  };
}

const RULE = {id: 'CAN_READ_SECRET', type: 'CAN_READ_SECRET', mitre: 'T1552.007'} as const;

export const canReadSecret: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary: 'get on the secret, or list/watch on secrets in its namespace (responses carry the data)',
  ...grantEdges<SecretTarget>({
    rule: RULE,
    cost: COST.inHand,
    targets: secretTargets,
    id: (secret) => secret.id,
    facets: (context) => [readFacet(context)],
  }),
};
