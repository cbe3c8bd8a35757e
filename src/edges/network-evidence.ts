/**
 * kubepath network evidence
 * =========================
 *
 * How a `CAN_REACH` edge explains itself: the engine's allowing verdicts on both
 * sides of the connection, as evidence naming the policy and the rule field, or, where
 * no policy decided, the pod whose openness is the reason. Shared by the network rules.
 */
import type {ConnectionExplanation, Verdict} from '../engines/network/engine.js';
import type {PortSet} from '../engines/network/ports.js';
import type {PodInfo} from '../graph/model.js';
import type {Evidence} from '../graph/types.js';

function verdictEvidence(verdict: Verdict, side: 'egress' | 'ingress', pod: PodInfo): Evidence {
  const ports = verdict.ports.format();
  if (verdict.rule) {
    return {object: verdict.rule.policy, field: verdict.rule.field, value: ports, note: `${verdict.tier} ${side} rule allows ${ports}`};
  }
  return {object: pod.source.object, field: pod.source.specPath, value: ports, note: `${side} open: ${verdict.reason ?? verdict.tier}`};
}

/**
 * Evidence for an allowed connection: what let it out of the source and into the
 * destination, limited to verdicts about the `relevant` ports when given.
 */
export function connectionEvidence(
  explanation: ConnectionExplanation,
  source: PodInfo | undefined,
  destination: PodInfo,
  relevant?: PortSet,
): Evidence[] {
  const allows = (verdicts: Verdict[] | undefined) =>
    (verdicts ?? []).filter((v) => v.action === 'Allow' && (!relevant || !v.ports.intersect(relevant).isEmpty()));
  return [
    ...(source ? allows(explanation.egress).map((v) => verdictEvidence(v, 'egress', source)) : []),
    ...allows(explanation.ingress).map((v) => verdictEvidence(v, 'ingress', destination)),
  ];
}
