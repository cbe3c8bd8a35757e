/**
 * CAN_MINT_TOKEN: an identity obtains a fresh token of a service account through
 * the API: `create` on serviceaccounts/token for that account (TokenRequest; the
 * request carries the account's name, so resourceNames are honoured), or `create` on
 * secrets plus a way to read them back (`get`, `list` or `watch` on secrets without
 * resourceNames) in the account's namespace: a Secret of type
 * `kubernetes.io/service-account-token` annotated with the account's name is filled
 * with a non-expiring token by the token controller. Asked per identity
 * (grant-groups.ts). See docs/edges/CAN_MINT_TOKEN.md.
 */
import type {ResourceRequest} from '../engines/rbac/request.js';
import type {ServiceAccountInfo} from '../graph/model.js';
import {grantEdges, type Found, type GrantFacet} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes, foundGrants, grantedVerbs, grantsEvidence, isEscalation, mergeGrants, namedGrants} from './rbac-grants.js';

const READ_VERBS = ['get', 'list', 'watch'];
const secrets =
  (verb: string) =>
  (namespace: string): ResourceRequest => ({verb, group: '', resource: 'secrets', namespace});

const RULE = {id: 'CAN_MINT_TOKEN', type: 'CAN_MINT_TOKEN', mitre: 'T1528'} as const;

/** A TokenRequest for the account (grouped by namespace, and name where named); a token Secret in its namespace. */
function mintFacets(context: RuleContext): Array<GrantFacet<ServiceAccountInfo>> {
  const tokenRequest = namedGrants(context, (namespace, name) => ({
    verb: 'create',
    group: '',
    resource: 'serviceaccounts',
    subresource: 'token',
    namespace,
    ...(name ? {name} : {}),
  }));
  const createSecret = namedGrants(context, secrets('create'), false);
  const readSecrets = READ_VERBS.map((verb) => namedGrants(context, secrets(verb), false));
  return [
    {
      group: (account) => tokenRequest.group(account.namespace, account.name),
      answer: (account) =>
        foundGrants(
          context,
          tokenRequest(account.namespace, account.name),
          'definite',
          () => `create serviceaccounts/token: a TokenRequest for the account`,
        ),
    },
    {
      group: (account) => account.namespace,
      answer({namespace}) {
        const readers = mergeGrants(...readSecrets.map((ask) => ask(namespace, '')));
        const found = new Map<string, Found>();
        for (const [source, creates] of createSecret(namespace, '')) {
          const reads = readers.get(source);
          if (!reads) continue;
          const evidence = [
            ...grantsEvidence(
              context,
              creates,
              () =>
                `create secrets: a kubernetes.io/service-account-token Secret annotated kubernetes.io/service-account.name with any account of ${namespace}`,
            ),
            ...grantsEvidence(
              context,
              reads,
              (grant) => `${grantedVerbs(grant, READ_VERBS).join('/')} secrets: read the token the controller writes into it`,
            ),
          ];
          // Either half may need a binding written first.
          const escalated = creates.every(isEscalation) || reads.every(isEscalation);
          if (evidence.length > 0)
            found.set(source, escalated ? {certainty: 'definite', evidence, escalated} : {certainty: 'definite', evidence});
        }
        return found;
      },
    },
  ];
}

export const canMintToken: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary:
    'create serviceaccounts/token for the account, or create secrets and read them back in its namespace (a token Secret for any account)',
  ...grantEdges<ServiceAccountInfo>({
    rule: RULE,
    cost: COST.inHand,
    targets: ({model}) => [...model.serviceAccounts.values()],
    id: (account) => account.id,
    facets: mintFacets,
  }),
};
