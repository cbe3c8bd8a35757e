/**
 * MEMBER_OF: a user or service account is in a group, as the authenticator puts it
 * there (the RBAC engine's implicit groups): whatever a binding grants the group,
 * the member holds. Drawn only to groups some binding of the input names, since
 * only those grant anything and only those are graph nodes.
 * See docs/edges/MEMBER_OF.md.
 */
import type {Identity} from '../engines/rbac/identities.js';
import {groupId, serviceAccountId} from '../graph/ids.js';
import type {ClusterModel} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import {COST, noFixes, type AttackEdge, type EdgeRule} from './rule.js';
import {namingSubject} from './rbac-grants.js';

/** The first pod (by id) running as each service account, and the field that says so (none for `default`). */
function podsByServiceAccount(model: ClusterModel): Map<string, Evidence> {
  const pods = new Map<string, Evidence>();
  for (const pod of model.pods) {
    const account = serviceAccountId(pod.namespace, pod.serviceAccount);
    if (pods.has(account)) continue;
    const field = pod.spec.serviceAccountName ? 'serviceAccountName' : pod.spec.serviceAccount ? 'serviceAccount' : undefined;
    pods.set(
      account,
      field
        ? {
            object: pod.source.object,
            field: `${pod.source.specPath}.${field}`,
            value: pod.serviceAccount,
            note: 'the pod runs as this service account',
          }
        : {
            object: pod.source.object,
            field: pod.source.specPath,
            note: "the pod names no service account, so it runs as its namespace's default",
          },
    );
  }
  return pods;
}

function membershipNote(identity: Identity, group: string): string {
  if (identity.kind === 'ServiceAccount')
    return `service account tokens authenticate as ${identity.username}, in ${identity.groups.join(', ')}`;
  if (group === 'system:unauthenticated') return 'unauthenticated requests run as system:anonymous, in system:unauthenticated';
  if (group === 'system:nodes')
    return 'kubelet credentials (system:node:<name>) carry the system:nodes group, as the Node authorizer requires';
  return 'every authenticated user is in system:authenticated';
}

export const memberOf: EdgeRule<'MEMBER_OF'> = {
  id: 'MEMBER_OF',
  type: 'MEMBER_OF',
  family: 'identity',
  mitre: 'T1078.004',
  summary:
    'A user or service account is in a group the authenticator assigns (system:serviceaccounts[:ns], system:authenticated, ...) that some binding names',
  fixes: noFixes,
  build({model, rbac}) {
    const runningPods = podsByServiceAccount(model);
    const edges: Array<AttackEdge<'MEMBER_OF'>> = [];
    for (const identity of rbac.identities) {
      if (identity.kind === 'Group' || identity.source !== 'input') continue;
      const declared = identity.kind === 'ServiceAccount' && model.serviceAccounts.get(identity.id)?.declared;
      // Evidence names the member as the input shows it: its object, a pod running as it, or the binding naming it.
      const member: Evidence | undefined = declared
        ? {object: objectKey('ServiceAccount', identity.namespace, identity.name)}
        : (runningPods.get(identity.id) ?? namingSubject(rbac, identity.id));
      for (const group of identity.groups) {
        const target = groupId(group);
        const groupNamed = namingSubject(rbac, target);
        if (!groupNamed) continue; // no input binding names the group: it grants nothing and is no graph node
        const evidence = member ?? {...groupNamed, note: `this binding names the group ${group}`};
        const note = membershipNote(identity, group);
        edges.push({
          source: identity.id,
          target,
          attributes: {
            type: 'MEMBER_OF',
            attack: true,
            technique: 'MEMBER_OF',
            mitre: 'T1078.004',
            certainty: 'definite',
            cost: COST.byDefinition,
            group,
            evidence: [{...evidence, note: evidence.note ? `${evidence.note}; ${note}` : note}],
          },
        });
      }
    }
    return edges;
  },
};
