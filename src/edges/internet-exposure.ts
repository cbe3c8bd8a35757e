/**
 * INTERNET_EXPOSURE: the Internet reaches a pod through something that exposes it (a
 * LoadBalancer or NodePort Service, externalIPs, an Ingress or HTTPRoute backend, a
 * hostPort, the host network), on the pod ports it exposes, and the pod's ingress
 * policies let that traffic in. A pod that merely accepts anything is not exposed.
 * See docs/edges/INTERNET_EXPOSURE.md.
 */
import {controllerLabel, ingressControllerPods} from '../engines/network/controllers.js';
import {exposures} from '../engines/network/exposure.js';
import type {NetworkClass} from '../engines/network/policies.js';
import type {ConnectionExplanation} from '../engines/network/engine.js';
import {PortSet} from '../engines/network/ports.js';
import {INTERNET} from '../graph/ids.js';
import type {PodInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';
import {uniqueEvidence} from './edge-collector.js';
import {networkStepInto} from './known-flaw.js';
import {connectionEvidence} from './network-evidence.js';
import type {RuleContext} from '../engines/context.js';
import type {AttackEdge, EdgeRule, Fix} from './rule.js';

interface Admission {
  ports: PortSet;
  explanations: Array<{explanation: ConnectionExplanation; controller: PodInfo | undefined}>;
}

/**
 * What the pod admits from outside: from any outside address for direct ways; for
 * Ingress and HTTPRoute traffic, from the controller pods the snapshot holds (their
 * egress and the pod's ingress), or from an unknown source when it holds none.
 * Computed once per class and kind of way.
 */
function admissions(context: RuleContext): (cls: NetworkClass, proxied: boolean) => Admission {
  const {model, network} = context;
  const controllers = ingressControllerPods(model).filter((pod) => network.classOfPod(pod.id));
  const cache = new Map<string, Admission>();
  return (cls, proxied) => {
    const key = `${cls.index}/${proxied}`;
    let admission = cache.get(key);
    if (!admission) {
      const destination = {kind: 'pod' as const, cls};
      const explanations = !proxied
        ? network.sourceAtoms.map((atom) => ({explanation: network.explain({kind: 'external', atom}, destination), controller: undefined}))
        : controllers.length === 0
          ? [{explanation: network.explain({kind: 'ingress-controller'}, destination), controller: undefined}]
          : controllers.map((pod) => ({
              explanation: network.explain({kind: 'pod', cls: network.classOfPod(pod.id)!}, destination),
              controller: pod,
            }));
      admission = {ports: explanations.reduce((ports, e) => ports.union(e.explanation.ports), PortSet.NONE), explanations};
      cache.set(key, admission);
    }
    return admission;
  };
}

function controllerEvidence(controller: PodInfo): Evidence {
  const key = controllerLabel(controller)!;
  return {
    object: controller.source.object,
    field: controller.source.specPath.replace(/spec$/, 'metadata.labels'),
    value: `${key}=${controller.labels[key]}`,
    note: 'the ingress controller forwards the traffic from this pod (recognised by this label)',
  };
}

export const internetExposure: EdgeRule<'CAN_REACH'> = {
  id: 'INTERNET_EXPOSURE',
  type: 'CAN_REACH',
  family: 'network',
  mitre: 'T1190',
  summary:
    'The Internet reaches a pod through a LoadBalancer, NodePort, externalIP, Ingress, HTTPRoute, hostPort or the host network, and its ingress policies let the traffic in',
  fixes({
    to,
    attributes: {
      evidence: [first],
    },
  }): Fix[] {
    return first
      ? [
          {
            id: `unexpose:${first.object}`,
            action: `stop exposing ${to} through ${first.object} (or restrict its sources)`,
            object: first.object,
          },
        ]
      : [];
  },
  build(context) {
    const {model, network} = context;
    const admitted = admissions(context);
    const edges: Array<AttackEdge<'CAN_REACH'>> = [];
    for (const exposure of exposures(model)) {
      const pod = model.podsById.get(exposure.pod)!;
      const cls = network.classOfPod(pod.id);
      if (!cls) continue; // a pod that carries no traffic
      const admission = admitted(cls, exposure.proxied);
      const ports = admission.ports.intersect(exposure.ports);
      if (ports.isEmpty()) continue;
      const policyEvidence = admission.explanations
        .filter(({explanation}) => !explanation.ports.intersect(ports).isEmpty())
        .flatMap(({explanation, controller}) => [
          ...(controller ? [controllerEvidence(controller)] : []),
          ...connectionEvidence(explanation, controller, pod, ports),
        ]);
      // A known flaw makes the step cheaper, not certain: the exposure itself stays an assumption.
      const step = networkStepInto(model, pod);
      edges.push({
        source: INTERNET,
        target: pod.id,
        attributes: {
          type: 'CAN_REACH',
          attack: true,
          technique: 'INTERNET_EXPOSURE',
          mitre: 'T1190',
          certainty: 'conditional',
          cost: step.cost,
          way: exposure.way,
          via: exposure.via,
          ports: ports.format(),
          evidence: uniqueEvidence([
            {object: exposure.via, field: exposure.field, value: exposure.value ?? ports.format(), note: exposure.detail},
            ...policyEvidence,
            ...step.evidence,
          ]),
        },
      });
    }
    return edges;
  },
};
