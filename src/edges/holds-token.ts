/**
 * HOLDS_TOKEN: a legacy `kubernetes.io/service-account-token` Secret carries a
 * non-expiring token of the service account its `kubernetes.io/service-account.name`
 * annotation names (same namespace): whoever reads the Secret is that account.
 * See docs/edges/HOLDS_TOKEN.md.
 */
import {secretId} from '../graph/ids.js';
import {COST, type EdgeRule, type Fix} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {tokenSecretAccount} from '../graph/pod-tokens.js';

export const holdsToken: EdgeRule<'HOLDS_TOKEN'> = {
  id: 'HOLDS_TOKEN',
  type: 'HOLDS_TOKEN',
  family: 'identity',
  mitre: 'T1528',
  summary: 'A kubernetes.io/service-account-token Secret holds a token of the service account its annotation names',
  fixes({
    attributes: {
      evidence: [first],
    },
  }): Fix[] {
    return first
      ? [
          {
            id: `delete:${first.object}`,
            action: `delete the legacy service-account token ${first.object} (use short-lived tokens)`,
            object: first.object,
          },
        ]
      : [];
  },
  build({model}) {
    const edges = new EdgeCollector(holdsToken);
    for (const secret of model.snapshot.objects.secrets) {
      const token = tokenSecretAccount(model, secret);
      if (token)
        edges.add(secretId(secret.metadata.namespace!, secret.metadata.name), token.serviceAccount, {
          certainty: 'definite',
          cost: COST.byDefinition,
          evidence: [token.evidence],
        });
    }
    return edges.list();
  },
};
