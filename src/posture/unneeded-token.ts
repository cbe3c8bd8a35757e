/** unneeded-token: a token mounted for an identity that has no permission of its own (hardening). */
import {podTokens} from '../graph/pod-tokens.js';
import {serviceAccountId} from '../graph/ids.js';
import type {RbacEngine} from '../engines/rbac/engine.js';
import type {PostureRule} from './rule.js';
import {perObject} from '../util/memo.js';

const grantedAccounts = perObject((_rbac: RbacEngine) => new Map<string, boolean>());

/** Whether any binding of the input (not only the bootstrap policy's) grants the account something. */
function grantedAnything(rbac: RbacEngine, account: string): boolean {
  const known = grantedAccounts(rbac);
  if (!known.has(account)) {
    // Bootstrap bindings give every account discovery and self-review: not a reason to hold a token.
    const rules = rbac.rulesOf(account);
    known.set(
      account,
      rules.privileged !== undefined || rules.scopes.some((scope) => scope.grants.some((grant) => !grant.bindingBootstrap)),
    );
  }
  return known.get(account)!;
}

export const unneededToken: PostureRule = {
  id: 'unneeded-token',
  title: 'token mounted that nothing needs',
  level: 'hardening',
  why: "a token whose account no binding of the cluster's grants anything only serves an attacker (to the API server, as a credential to probe with)",
  check: (pod, context) => {
    const own = serviceAccountId(pod.namespace, pod.serviceAccount);
    const token = podTokens(context.model, pod).find((source) => source.serviceAccount === own && source.via !== 'secret');
    if (!token) return [];
    if (grantedAnything(context.rbac, own)) return [];
    return [
      {
        evidence: {...token.where, note: `${token.where.note ?? 'holds the token'}: ${own} is granted nothing by any binding of the input`},
        fix: `set ${pod.source.specPath}.automountServiceAccountToken: false`,
      },
    ];
  },
};
