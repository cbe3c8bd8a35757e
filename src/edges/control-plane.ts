/**
 * CONTROL_PLANE: root on a control-plane node is cluster-admin: the node holds the
 * cluster PKI and admin kubeconfig (/etc/kubernetes), etcd's data, and the service
 * account signing key. A node counts when its `node-role.kubernetes.io/control-plane`
 * or `master` label or taint says so, or when it runs kube-apiserver, etcd or
 * kube-controller-manager (kube-system pods by their `component` label). The
 * unscheduled placeholder never counts. See docs/edges/CONTROL_PLANE.md.
 */
import {CLUSTER_ADMIN, nodeId, UNSCHEDULED} from '../graph/ids.js';
import type {Evidence} from '../graph/types.js';
import {objectKey} from '../snapshot/snapshot.js';
import {COST, noFixes, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';
import {field} from '../graph/pod-spec.js';

export const CONTROL_PLANE_ROLES = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];
/** Components whose node holds credentials worth cluster-admin (the scheduler's alone do not). */
export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'etcd', 'kube-controller-manager'];

export const controlPlane: EdgeRule<'CONTROL_PLANE'> = {
  id: 'CONTROL_PLANE',
  type: 'CONTROL_PLANE',
  family: 'escape',
  mitre: 'T1552.004',
  summary:
    'A node that runs the control plane (by role label or taint, or its kube-apiserver, etcd or controller-manager pods) holds cluster-admin credentials',
  fixes: noFixes,
  build({model}) {
    const edges = new EdgeCollector(controlPlane);
    for (const node of model.nodes.values()) {
      if (node.name === UNSCHEDULED) continue;
      const evidence: Evidence[] = [];
      const key = objectKey('Node', undefined, node.name);
      const labels = node.object?.metadata.labels ?? {};
      for (const role of CONTROL_PLANE_ROLES) {
        if (role in labels)
          evidence.push({object: key, field: `metadata.labels["${role}"]`, value: labels[role]!, note: 'control-plane node role'});
      }
      const taints = field(node.object, 'spec', 'taints');
      (Array.isArray(taints) ? taints : []).forEach((taint, index) => {
        const taintKey = field(taint, 'key');
        if (typeof taintKey === 'string' && CONTROL_PLANE_ROLES.includes(taintKey)) {
          evidence.push({object: key, field: `spec.taints[${index}].key`, value: taintKey, note: 'control-plane taint'});
        }
      });
      for (const pod of model.podsByNode.get(node.name) ?? []) {
        const component = pod.labels.component;
        if (pod.namespace === 'kube-system' && component !== undefined && CONTROL_PLANE_COMPONENTS.includes(component)) {
          const labelsPath = pod.source.specPath.replace(/spec$/, 'metadata.labels');
          evidence.push({
            object: pod.source.object,
            field: `${labelsPath}.component`,
            value: component,
            note: `${component} runs on this node`,
          });
        }
      }
      if (evidence.length > 0) edges.add(nodeId(node.name), CLUSTER_ADMIN, {certainty: 'definite', cost: COST.inHand, evidence});
    }
    return edges.list();
  },
};
