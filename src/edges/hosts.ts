/**
 * HOSTS: root on a node owns every pod on it: the runtime execs into its containers,
 * and the kubelet's directory holds its volumes and tokens. Pods with no node (a
 * workload's stand-in in manifest mode, a pending pod) sit on `node:<unscheduled>`:
 * any of them may be scheduled next to a pod that escapes, so those edges are drawn,
 * conditional. See docs/edges/HOSTS.md.
 */
import {nodeId, UNSCHEDULED} from '../graph/ids.js';
import {COST, noFixes, type EdgeRule} from './rule.js';
import {EdgeCollector} from './edge-collector.js';

export const hosts: EdgeRule<'HOSTS'> = {
  id: 'HOSTS',
  type: 'HOSTS',
  family: 'escape',
  mitre: 'T1609',
  summary: 'Root on a node controls every pod on it (exec through the runtime, volumes and tokens on disk)',
  fixes: noFixes,
  build({model}) {
    const edges = new EdgeCollector(hosts);
    for (const [node, pods] of model.podsByNode) {
      const unscheduled = node === UNSCHEDULED;
      for (const pod of pods) {
        const evidence = unscheduled
          ? {
              object: pod.source.object,
              field: `${pod.source.specPath}.nodeName`,
              note: 'no node: the pod may be scheduled onto any node, the one an attacker holds included',
            }
          : {object: pod.source.object, field: `${pod.source.specPath}.nodeName`, value: node, note: 'runs on this node'};
        edges.add(nodeId(node), pod.id, {certainty: unscheduled ? 'conditional' : 'definite', cost: COST.inHand, evidence: [evidence]});
      }
    }
    return edges.list();
  },
};
