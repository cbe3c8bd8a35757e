/**
 * CAN_CREATE_POD_AS: an identity that can run a pod of its design in a namespace
 * (create pods or any workload, or re-template an existing workload: see
 * pod-creation.ts) runs it as any service account of that namespace, since
 * `spec.serviceAccountName` may name any of them, and so holds that account's token,
 * plus whatever secrets it mounts. Asked per identity (grant-groups.ts).
 * See docs/edges/CAN_CREATE_POD_AS.md.
 */
import type {ServiceAccountInfo} from '../graph/model.js';
import {grantEdges, type Found, type GrantFacet} from './grant-groups.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type EdgeRule} from './rule.js';
import {bindingFixes} from './rbac-grants.js';
import {podCreators} from './pod-creation.js';

const RULE = {id: 'CAN_CREATE_POD_AS', type: 'CAN_CREATE_POD_AS', mitre: 'T1610'} as const;

/** Pod creators of the account's namespace, their first evidence saying why the pod may run as any account there. */
function creatorFacet(context: RuleContext): GrantFacet<ServiceAccountInfo> {
  const creators = podCreators(context);
  return {
    group: (account) => account.namespace,
    answer({namespace}) {
      const note = `a pod spec may name any service account of ${namespace} in serviceAccountName`;
      const found = new Map<string, Found>();
      for (const [source, creator] of creators(namespace)) {
        found.set(source, {
          ...creator,
          evidence: creator.evidence.map((item, i) => (i === 0 ? {...item, note: `${item.note}; ${note}`} : item)),
        });
      }
      return found;
    },
  };
}

export const canCreatePodAs: EdgeRule = {
  ...RULE,
  family: 'rbac',
  fixes: bindingFixes,
  summary: "create pods or any workload kind, or patch/update an existing workload, in the service account's namespace",
  ...grantEdges<ServiceAccountInfo>({
    rule: RULE,
    cost: COST.deliberate,
    targets: ({model}) => [...model.serviceAccounts.values()],
    id: (account) => account.id,
    facets: (context) => [creatorFacet(context)],
  }),
};
