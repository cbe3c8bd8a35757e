/**
 * CAN_MINT_TOKEN: an identity obtains a fresh token of a service account through
 * the API: `create` on serviceaccounts/token for that account (TokenRequest; the
 * request carries the account's name, so resourceNames are honoured), or `create` on
 * secrets plus a way to read them back (`get`, `list` or `watch` on secrets without
 * resourceNames) in the account's namespace: a Secret of type
 * `kubernetes.io/service-account-token` annotated with the account's name is filled
 * with a non-expiring token by the token controller. See docs/edges/CAN_MINT_TOKEN.md.
 */
import type {ResourceRequest} from '../engines/rbac/request.js';
import type {Evidence} from '../graph/types.js';
import type {EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {grantedVerbs, grantsEvidence, mergeGrants, namedGrants} from './rbac-grants.js';

const READ_VERBS = ['get', 'list', 'watch'];
const secrets = (verb: string) => (namespace: string): ResourceRequest => ({verb, group: '', resource: 'secrets', namespace});

export const canMintToken: EdgeRule = {
  id: 'CAN_MINT_TOKEN',
  type: 'CAN_MINT_TOKEN',
  mitre: 'T1528',
  summary: 'create serviceaccounts/token for the account, or create secrets and read them back in its namespace (a token Secret for any account)',
  build(context) {
    const tokenRequest = namedGrants(context, (namespace, name) => ({verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace, ...(name ? {name} : {})}));
    const createSecret = namedGrants(context, secrets('create'), false);
    const readSecrets = READ_VERBS.map((verb) => namedGrants(context, secrets(verb), false));
    const edges = new EdgeCollector(canMintToken);
    for (const account of context.model.serviceAccounts.values()) {
      const add = (source: string, evidence: Evidence[]): void => {
        if (source !== account.id && evidence.length > 0) edges.add(source, account.id, 'definite', 1, evidence);
      };
      for (const [source, grants] of tokenRequest(account.namespace, account.name)) {
        add(source, grantsEvidence(context, grants, () => `create serviceaccounts/token: a TokenRequest for ${account.name}`));
      }
      const readers = mergeGrants(...readSecrets.map((ask) => ask(account.namespace, '')));
      for (const [source, creates] of createSecret(account.namespace, '')) {
        const reads = readers.get(source);
        if (!reads) continue;
        add(source, [
          ...grantsEvidence(context, creates, () => `create secrets: a kubernetes.io/service-account-token Secret annotated kubernetes.io/service-account.name: ${account.name}`),
          ...grantsEvidence(context, reads, (grant) => `${grantedVerbs(grant, READ_VERBS).join('/')} secrets: read the token the controller writes into it`),
        ]);
      }
    }
    return edges.list();
  },
};
