/**
 * USES_TOKEN: a pod holds its service account's token inside its containers, so
 * whoever runs code in the pod acts as that account. The token is there when the
 * automount decision says so (the pod's `automountServiceAccountToken` wins over the
 * account's; both unset means true), or when a projected `serviceAccountToken` source
 * is mounted, whatever automount says. Legacy token Secrets mounted as volumes are
 * MOUNTS_SECRET then HOLDS_TOKEN, not this edge. See docs/edges/USES_TOKEN.md.
 */
import {COST, type EdgeRule, type Fix} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {podTokens} from '../graph/pod-tokens.js';

export const usesToken: EdgeRule<'USES_TOKEN'> = {
  id: 'USES_TOKEN',
  type: 'USES_TOKEN',
  family: 'identity',
  mitre: 'T1528',
  summary: "The pod's service-account token is mounted in its containers (automount, or a projected serviceAccountToken source)",
  fixes({attributes: {evidence}}): Fix[] {
    const automount = evidence.find((item) => item.field?.endsWith('automountServiceAccountToken'));
    return automount
      ? [
          {
            id: `automount:${automount.object}`,
            action: `set automountServiceAccountToken: false on ${automount.object}`,
            object: automount.object,
          },
        ]
      : [];
  },
  build({model}) {
    const edges = new EdgeCollector(usesToken);
    for (const pod of model.pods) {
      for (const token of podTokens(model, pod)) {
        if (token.via !== 'secret')
          edges.add(pod.id, token.serviceAccount, {certainty: token.certainty, cost: COST.inHand, evidence: token.evidence});
      }
    }
    return edges.list();
  },
};
