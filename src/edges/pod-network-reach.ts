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
import {namespaceOfId, UNSCHEDULED} from '../graph/ids.js';
import type {PodInfo} from '../graph/model.js';
import type {AttackEdgeAttributes, Evidence} from '../graph/types.js';
import {networkStepInto} from './known-flaw.js';
import {connectionEvidence} from './network-evidence.js';
import type {RuleContext} from '../engines/context.js';
import type {AttackEdge, EdgeRule, Fix} from './rule.js';
import {compareStrings} from '../util/order.js';

function reachEdge({model}: RuleContext, source: string, target: PodInfo, ports: PortSet, evidence: Evidence[]): AttackEdge<'CAN_REACH'> {
  const step = networkStepInto(model, target);
  const attributes: AttackEdgeAttributes<'CAN_REACH'> = {
    type: 'CAN_REACH',
    attack: true,
    technique: 'POD_NETWORK_REACH',
    mitre: 'T1210',
    certainty: step.certainty,
    cost: step.cost,
    ports: ports.format(),
    evidence: [...evidence, ...step.evidence],
  };
  return {source, target: target.id, attributes};
}

/** Whether traffic between the two pods is node-local: same node, and either is the node's address under the profile. */
function nodeLocal({network}: RuleContext, pod: PodInfo, other: PodInfo): boolean {
  if (pod.nodeName === UNSCHEDULED || other.nodeName !== pod.nodeName || other.id === pod.id) return false;
  const [cls, otherClass] = [network.classOfPod(pod.id), network.classOfPod(other.id)];
  return Boolean(cls && otherClass && (cls.nodeNetwork || otherClass.nodeNetwork));
}

function nodeLocalEdge(context: RuleContext, pod: PodInfo, neighbour: PodInfo): AttackEdge<'CAN_REACH'> {
  const {network} = context;
  const host = network.classOfPod(pod.id)!.nodeNetwork ? pod : neighbour;
  const evidence: Evidence = {
    object: host.source.object,
    field: `${host.source.specPath}.hostNetwork`,
    value: true,
    note: `traffic between a pod and its own node is always let in, and a host-networked pod is its node's address (${network.profile.name} CNI profile)`,
  };
  return reachEdge(context, pod.id, neighbour, PortSet.ALL, [evidence]);
}

/** The edge from one pod to another, if the network lets some port through (path search asks this for the steps it reports). */
export function podReachEdge(context: RuleContext, source: string, target: string): AttackEdge<'CAN_REACH'> | undefined {
  const {model, network} = context;
  const pod = model.podsById.get(source);
  const other = model.podsById.get(target);
  const cls = pod && network.classOfPod(source);
  const otherClass = other && network.classOfPod(target);
  if (!pod || !other || !cls || !otherClass || source === target) return undefined;
  if (nodeLocal(context, pod, other)) return nodeLocalEdge(context, pod, other);
  const explanation = network.explain({kind: 'pod', cls}, {kind: 'pod', cls: otherClass});
  return explanation.ports.isEmpty()
    ? undefined
    : reachEdge(context, source, other, explanation.ports, connectionEvidence(explanation, pod, other));
}

/** Per context, the host-networked pods of each node that count as the node: few, and every pod of the node reaches them. */
const nodeAddressPods = new WeakMap<RuleContext, Map<string, PodInfo[]>>();

function nodeAddressPodsOn(context: RuleContext, nodeName: string): PodInfo[] {
  let byNode = nodeAddressPods.get(context);
  if (!byNode) {
    byNode = new Map();
    for (const [name, pods] of context.model.podsByNode)
      byNode.set(
        name,
        pods.filter((pod) => context.network.classOfPod(pod.id)?.nodeNetwork),
      );
    nodeAddressPods.set(context, byNode);
  }
  return byNode.get(nodeName) ?? [];
}

/** Pods on the same node that the pod reaches node-locally, whatever policies say (and that reach it: the relation is symmetric). */
export function nodeLocalNeighbours(context: RuleContext, pod: PodInfo): PodInfo[] {
  if (pod.nodeName === UNSCHEDULED) return [];
  // Node-local traffic needs one end to be the node: a host-networked pod reaches the whole node, any other pod its host-networked ones.
  const candidates = context.network.classOfPod(pod.id)?.nodeNetwork
    ? (context.model.podsByNode.get(pod.nodeName) ?? [])
    : nodeAddressPodsOn(context, pod.nodeName);
  return candidates.filter((other) => nodeLocal(context, pod, other));
}

export const podNetworkReach: EdgeRule<'CAN_REACH'> = {
  id: 'POD_NETWORK_REACH',
  type: 'CAN_REACH',
  family: 'network',
  mitre: 'T1210',
  summary: "A pod can connect to another pod: the source's egress and the destination's ingress policies both allow some port",
  fixes({to}): Fix[] {
    const namespace = namespaceOfId(to);
    return namespace
      ? [
          {
            id: `deny-ingress:${namespace}`,
            action: `add a default-deny ingress NetworkPolicy in namespace ${namespace}, then allow only what its pods need`,
            object: `Namespace/${namespace}`,
          },
        ]
      : [];
  },
  build: () => [],
  edgesFrom(context, source) {
    const {model, network} = context;
    const pod = model.podsById.get(source);
    const cls = pod && network.classOfPod(source);
    if (!pod || !cls) return [];
    // Traffic between a pod and its own node is always let in, both ways: under profiles
    // where host networking is the node, that joins host-networked pods and their neighbours.
    const local = nodeLocalNeighbours(context, pod);
    const localIds = new Set(local.map((neighbour) => neighbour.id));
    const edges: Array<AttackEdge<'CAN_REACH'>> = [];
    for (const d of network.reachableFrom(cls).members()) {
      const destination = network.classes[d]!;
      const explanation = network.explain({kind: 'pod', cls}, {kind: 'pod', cls: destination});
      for (const target of destination.pods) {
        if (target === source || localIds.has(target)) continue;
        const targetPod = model.podsById.get(target)!;
        edges.push(reachEdge(context, source, targetPod, explanation.ports, connectionEvidence(explanation, pod, targetPod)));
      }
    }
    for (const neighbour of local) edges.push(nodeLocalEdge(context, pod, neighbour));
    return edges.sort((a, b) => compareStrings(a.target, b.target));
  },
};
