/**
 * CAN_READ_SECRET: an identity can read a Secret's data through the API: `get` on
 * that secret (resourceNames honoured), or `list`/`watch` on secrets in its namespace
 * (a list or watch response carries every secret's data; a nameless request never
 * matches a rule with resourceNames). RoleBindings count in their namespace only.
 * Drawn to the Secret nodes of the graph: the input's, and those pods reference that
 * the input lacks (conditional: the input cannot show they exist).
 * See docs/edges/CAN_READ_SECRET.md.
 */
import type {ResourceRequest} from '../engines/rbac/request.js';
import {secretId} from '../graph/ids.js';
import {compareStrings} from '../util/order.js';
import type {EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {grantedVerbs, grantsEvidence, mergeGrants, namedGrants} from './rbac-grants.js';
import {secretReferences} from './pod-spec.js';

const READ_VERBS = ['get', 'list', 'watch'] as const;

const secretsRequest = (verb: string) => (namespace: string, name?: string): ResourceRequest => ({verb, group: '', resource: 'secrets', namespace, ...(name ? {name} : {})});

function describeRead(verbs: string[]): string {
  const listing = verbs.some((verb) => verb !== 'get');
  return `${verbs.join('/')} secrets${listing ? ' (a list or watch response carries the data of every secret of the namespace)' : ''}`;
}

export const canReadSecret: EdgeRule = {
  id: 'CAN_READ_SECRET',
  type: 'CAN_READ_SECRET',
  mitre: 'T1552.007',
  summary: 'get on the secret, or list/watch on secrets in its namespace (responses carry the data)',
  build(context) {
    const {model} = context;
    const secrets = new Map<string, {namespace: string; name: string; declared: boolean}>();
    for (const secret of model.snapshot.objects.secrets) {
      const {namespace, name} = secret.metadata;
      secrets.set(secretId(namespace!, name), {namespace: namespace!, name, declared: true});
    }
    for (const pod of model.pods) {
      for (const {name} of secretReferences(pod)) {
        const id = secretId(pod.namespace, name);
        if (!secrets.has(id)) secrets.set(id, {namespace: pod.namespace, name, declared: false});
      }
    }
    const asks = READ_VERBS.map((verb) => namedGrants(context, secretsRequest(verb), verb === 'get'));
    const edges = new EdgeCollector(canReadSecret);
    for (const [id, {namespace, name, declared}] of [...secrets.entries()].sort(([a], [b]) => compareStrings(a, b))) {
      for (const [source, grants] of mergeGrants(...asks.map((ask) => ask(namespace, name)))) {
        const evidence = grantsEvidence(context, grants, (grant) => describeRead(grantedVerbs(grant, READ_VERBS)));
        if (evidence.length === 0) continue;
        if (!declared) evidence[0] = {...evidence[0]!, note: `${evidence[0]!.note}; the Secret is not in the input, only referenced by a pod`};
        edges.add(source, id, declared ? 'definite' : 'conditional', 1, evidence);
      }
    }
    return edges.list();
  },
};
