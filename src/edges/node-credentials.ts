/**
 * NODE_CREDENTIALS: root on a node holds the kubelet's client credential
 * (`/var/lib/kubelet/pki`, or the kubeconfig it points to), which authenticates as the
 * user `system:node:<name>` in group `system:nodes`. The Node authorizer lets it read
 * what the node's own pods use (their secrets, configmaps, PVCs, service-account
 * tokens) and pods, services and nodes cluster-wide; those moves are already HOSTS
 * then the pods' edges. This edge adds what RBAC grants beyond that: it is drawn to a
 * `user:system:node:<name>` an input binding names (MEMBER_OF then leads on to
 * `system:nodes`), or else, when an input binding names the group `system:nodes`,
 * to that group, which every kubelet credential carries.
 * See docs/edges/NODE_CREDENTIALS.md.
 */
import {NODES_GROUP} from '../engines/rbac/identities.js';
import {groupId, nodeId, UNSCHEDULED, userId} from '../graph/ids.js';
import type {Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import {COST, noFixes, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {namingSubject} from './rbac-grants.js';

export const nodeCredentials: EdgeRule<'NODE_CREDENTIALS'> = {
  id: 'NODE_CREDENTIALS',
  type: 'NODE_CREDENTIALS',
  family: 'identity',
  mitre: 'T1552.004',
  summary:
    "Root on the node holds the kubelet's credential, user system:node:<name> in group system:nodes; drawn where an input binding names the user or the group",
  fixes: noFixes,
  build({model, rbac}) {
    const edges = new EdgeCollector(nodeCredentials);
    const nodesGroup = namingSubject(rbac, groupId(NODES_GROUP));
    for (const node of model.nodes.values()) {
      const user = userId(`system:node:${node.name}`);
      const namedUser = namingSubject(rbac, user);
      const named = namedUser ?? nodesGroup;
      if (node.name === UNSCHEDULED || !named) continue; // no input binding names the user or its group: nothing beyond the Node authorizer
      const pod = model.podsByNode.get(node.name)?.[0];
      const where: Evidence | undefined = node.declared
        ? {
            object: objectKey('Node', undefined, node.name),
            field: 'metadata.name',
            value: node.name,
            note: `the kubelet on this node authenticates as system:node:${node.name}, in group system:nodes`,
          }
        : pod && {
            object: pod.source.object,
            field: `${pod.source.specPath}.nodeName`,
            value: node.name,
            note: `a pod runs on node ${node.name}, whose kubelet authenticates as system:node:${node.name}`,
          };
      const binding: Evidence = {
        ...named,
        note: namedUser
          ? 'this binding grants the kubelet identity RBAC rights beyond the Node authorizer'
          : `this binding grants every kubelet credential (group ${NODES_GROUP}) RBAC rights beyond the Node authorizer`,
      };
      edges.add(nodeId(node.name), namedUser ? user : groupId(NODES_GROUP), {
        certainty: 'definite',
        cost: COST.inHand,
        evidence: where ? [where, binding] : [binding],
      });
    }
    return edges.list();
  },
};
