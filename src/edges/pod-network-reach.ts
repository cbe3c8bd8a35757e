/**
 * POD_NETWORK_REACH: a pod can open a connection to another pod, because the
 * source's egress and the destination's ingress both allow some port (all three
 * policy tiers, exactly), or because a host-networked source shares its node's
 * address and node-local traffic is always let in (under profiles that treat host
 * networking as the node). One edge per pair of pods would grow with pods squared,
 * so the graph does not hold these edges: path search asks `edgesFrom` one source at
 * a time, and the engine answers from its classes. See docs/edges/POD_NETWORK_REACH.md.
 */
import {PortSet} from '../engines/network/ports.js';
import {UNSCHEDULED} from '../graph/ids.js';
import type {PodInfo} from '../graph/model.js';
import type {AttackEdgeAttributes, Evidence} from '../graph/types.js';
import {connectionEvidence} from './network-evidence.js';
import type {AttackEdge, EdgeRule} from './rule.js';

function reachEdge(source: string, target: PodInfo, ports: PortSet, evidence: Evidence[]): AttackEdge {
  const attributes: AttackEdgeAttributes = {
    type: 'CAN_REACH',
    attack: true,
    technique: 'POD_NETWORK_REACH',
    mitre: 'T1210',
    certainty: 'conditional',
    cost: 3,
    ports: ports.format(),
    evidence,
  };
  return {source, target: target.id, attributes};
}

export const podNetworkReach: EdgeRule = {
  id: 'POD_NETWORK_REACH',
  type: 'CAN_REACH',
  mitre: 'T1210',
  summary: "A pod can connect to another pod: the source's egress and the destination's ingress policies both allow some port",
  build: () => [],
  edgesFrom({model, network}, source) {
    const pod = model.podsById.get(source);
    const cls = pod && network.classOfPod(source);
    if (!pod || !cls) return [];
    const edges: AttackEdge[] = [];
    const reached = new Set<string>([source]);
    for (const d of network.reachableFrom(cls).members()) {
      const destination = network.classes[d]!;
      const explanation = network.explain({kind: 'pod', cls}, {kind: 'pod', cls: destination});
      for (const target of destination.pods) {
        if (reached.has(target)) continue;
        reached.add(target);
        const targetPod = model.podsById.get(target)!;
        edges.push(reachEdge(source, targetPod, explanation.ports, connectionEvidence(explanation, pod, targetPod)));
      }
    }
    if (cls.nodeNetwork && pod.nodeName !== UNSCHEDULED) {
      const evidence: Evidence[] = [
        {
          object: pod.source.object,
          field: `${pod.source.specPath}.hostNetwork`,
          value: true,
          note: `node-local traffic is always let in, and a host-networked pod sends from its node's address (${network.profile.name} CNI profile)`,
        },
      ];
      for (const neighbour of model.podsByNode.get(pod.nodeName) ?? []) {
        if (reached.has(neighbour.id) || !network.classOfPod(neighbour.id)) continue;
        reached.add(neighbour.id);
        edges.push(reachEdge(source, neighbour, PortSet.ALL, evidence));
      }
    }
    return edges;
  },
};
