/**
 * ANONYMOUS_ACCESS: anyone who reaches the API server without credentials acts as
 * `system:anonymous`, in `system:unauthenticated` (kube-apiserver's anonymous
 * authentication, on by default). Whatever an input binding grants either of them,
 * the Internet holds, if the API server's endpoint is reachable from it.
 * See docs/edges/ANONYMOUS_ACCESS.md.
 */
import {ANONYMOUS_USER, UNAUTHENTICATED_GROUP} from '../engines/rbac/identities.js';
import {groupId, INTERNET, userId} from '../graph/ids.js';
import {COST, noFixes, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {namingSubject} from './rbac-grants.js';

const HOW =
  'requests without credentials authenticate as system:anonymous, in system:unauthenticated (kube-apiserver --anonymous-auth, on by default); ' +
  "assumes the API server's endpoint is reachable from the Internet (managed clusters' public endpoints are, unless restricted)";

export const anonymousAccess: EdgeRule<'MEMBER_OF'> = {
  id: 'ANONYMOUS_ACCESS',
  type: 'MEMBER_OF',
  family: 'identity',
  mitre: 'T1078.001',
  summary:
    'Anyone who reaches the API server is system:anonymous, in system:unauthenticated: what an input binding grants them, the Internet holds',
  fixes: noFixes,
  build({rbac}) {
    const edges = new EdgeCollector(anonymousAccess);
    for (const [target, name] of [
      [userId(ANONYMOUS_USER), ANONYMOUS_USER],
      [groupId(UNAUTHENTICATED_GROUP), UNAUTHENTICATED_GROUP],
    ] as const) {
      const named = namingSubject(rbac, target);
      if (!named) continue; // only an input binding grants anything beyond the built-in discovery
      edges.add(INTERNET, target, {
        certainty: 'conditional',
        cost: COST.inHand,
        evidence: [{...named, note: `this binding grants ${name}: ${HOW}`}],
      });
    }
    return edges.list();
  },
};
