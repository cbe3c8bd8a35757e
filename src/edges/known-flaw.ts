/**
 * What a network step into a pod costs. Reaching a service gains the attacker
 * nothing unless the service has a flaw: without a vulnerability report that flaw is
 * assumed (cost 3, conditional); when a report (`--vulns`) names an exploitable
 * vulnerability in one of the pod's images, the flaw is known (cost 2, definite), so
 * paths through exploitable services rank first. Both CAN_REACH rules and path
 * search price network steps here. From the Internet the step stays conditional:
 * whether the Internet truly reaches an exposure (source ranges, firewalls, node
 * addresses) is beyond the input. See docs/vulns.md.
 */
import type {ClusterModel, PodInfo} from '../graph/model.js';
import type {Certainty, Evidence} from '../graph/types.js';
import {describeExploitable, hasKnownFlaw} from '../graph/vulnerabilities.js';
import {COST} from './rule.js';

export interface NetworkStepTerms {
  cost: number;
  certainty: Certainty;
}

const ASSUMED_FLAW: NetworkStepTerms = {cost: COST.needsFlaw, certainty: 'conditional'};
// Exploiting a flaw a report names is one deliberate action.
const KNOWN_FLAW: NetworkStepTerms = {cost: COST.deliberate, certainty: 'definite'};

export const stepTerms = (knownFlaw: boolean): NetworkStepTerms => (knownFlaw ? KNOWN_FLAW : ASSUMED_FLAW);

/** The network step into a pod: its terms, and the images whose vulnerabilities make the flaw known. */
export function networkStepInto(model: ClusterModel, pod: PodInfo): NetworkStepTerms & {evidence: Evidence[]} {
  if (!hasKnownFlaw(model, pod.id)) return {...ASSUMED_FLAW, evidence: []};
  const evidence = model.vulnerabilities
    .get(pod.id)!
    .containers.filter((container) => container.exploitable.length > 0)
    .map((container): Evidence => ({
      object: pod.source.object,
      field: container.field,
      value: container.image,
      note: `known exploitable vulnerabilities in container ${container.container}: ${describeExploitable(container.exploitable)} (${container.scans.join('; ')}): the flaw a network step needs is known, not assumed`,
    }));
  return {...KNOWN_FLAW, evidence};
}
