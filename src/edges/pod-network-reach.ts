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
import {compareStrings} from '../util/order.js';

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
    // Traffic between a pod and its own node is always let in, both ways: under profiles
    // where host networking is the node, that joins host-networked pods and their neighbours.
    const nodeLocal = new Map<string, PodInfo>();
    if (pod.nodeName !== UNSCHEDULED) {
      for (const neighbour of model.podsByNode.get(pod.nodeName) ?? []) {
        const neighbourClass = network.classOfPod(neighbour.id);
        if (neighbour.id !== source && neighbourClass && (cls.nodeNetwork || neighbourClass.nodeNetwork)) nodeLocal.set(neighbour.id, neighbour);
      }
    }
    const edges: AttackEdge[] = [];
    for (const d of network.reachableFrom(cls).members()) {
      const destination = network.classes[d]!;
      const explanation = network.explain({kind: 'pod', cls}, {kind: 'pod', cls: destination});
      for (const target of destination.pods) {
        if (target === source || nodeLocal.has(target)) continue;
        const targetPod = model.podsById.get(target)!;
        edges.push(reachEdge(source, targetPod, explanation.ports, connectionEvidence(explanation, pod, targetPod)));
      }
    }
    for (const neighbour of nodeLocal.values()) {
      const host = cls.nodeNetwork ? pod : neighbour;
      const evidence: Evidence = {
        object: host.source.object,
        field: `${host.source.specPath}.hostNetwork`,
        value: true,
        note: `traffic between a pod and its own node is always let in, and a host-networked pod is its node's address (${network.profile.name} CNI profile)`,
      };
      edges.push(reachEdge(source, neighbour, PortSet.ALL, [evidence]));
    }
    return edges.sort((a, b) => compareStrings(a.target, b.target));
  },
};
