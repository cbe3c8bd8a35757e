/**
 * kubepath coverage gaps
 * ======================
 *
 * What a kind kubepath could not read may change in its conclusions. Most gaps hide
 * paths (a Role never read grants nothing here; a pod never listed is no entry
 * point), so conclusions drawn are sound but incomplete. Network reach is the
 * exception: NetworkPolicies (and admin network policies) only ever take
 * connections away, and namespace labels decide which namespaces a policy
 * selects, so a network step into or out of a namespace whose policies kubepath
 * could not read (ingress rules where it lands, egress rules where it starts), or
 * any network step when namespace labels are unread, may not exist. Those steps' findings carry the gaps that may
 * overstate them; every gap is listed with what it may hide. A list the collector gave
 * up at one of its bounds (timeout, too-large, continue-loop: collect/bounds.ts) kept
 * nothing, so its gap hides what a forbidden one does.
 */
import {namespaceOfId, parseId} from '../graph/ids.js';
import {kindNamed, WORKLOAD_HIDES} from '../snapshot/kinds.js';
import type {CoverageGap} from '../snapshot/snapshot.js';
import type {AttackPath} from './search.js';
import {compareStrings} from '../util/order.js';

/** A gap as shown next to the conclusions it may affect. */
export interface GapNote {
  kind: string;
  namespace?: string;
  reason: CoverageGap['reason'];
  /** What the gap may change, in a sentence. */
  effect: string;
}

/** What a gap may change; a kind the server does not serve cannot exist there, so it changes nothing. */
export function gapNote(gap: CoverageGap): GapNote {
  const effect =
    gap.reason === 'not-served'
      ? 'nothing: the API server does not serve this kind, so the cluster holds none'
      : // A kind this kubepath does not read (in a snapshot saved by hand or by a newer one) reads as a workload, as always.
        (kindNamed(gap.kind)?.hides ?? WORKLOAD_HIDES);
  return {kind: gap.kind, ...(gap.namespace === undefined ? {} : {namespace: gap.namespace}), reason: gap.reason, effect};
}

/** `pod:shop/web-0` → `shop`. */
const podNamespace = (id: string): string | undefined => (parseId(id)?.prefix === 'pod' ? namespaceOfId(id) : undefined);

/** The gaps that may make a step of these paths untrue: unread network policy where a network step starts or lands. */
export function gapsOnPaths(paths: readonly AttackPath[], gaps: readonly CoverageGap[]): GapNote[] {
  const relevant = gaps.filter((gap) => gap.reason !== 'not-served' && kindNamed(gap.kind)?.decidesReach === true);
  if (relevant.length === 0) return [];
  const touched = new Set<string>();
  let reaches = false;
  for (const path of paths) {
    for (const step of path.steps) {
      if (step.attributes.type !== 'CAN_REACH') continue;
      reaches = true;
      for (const end of [step.from, step.to]) {
        const namespace = podNamespace(end);
        if (namespace !== undefined) touched.add(namespace);
      }
    }
  }
  if (!reaches) return [];
  // Cluster-wide gaps (admin policies, namespace labels) matter wherever a network step is taken.
  return relevant
    .filter((gap) => gap.namespace === undefined || touched.has(gap.namespace))
    .map(gapNote)
    .sort((a, b) => compareStrings(`${a.kind}/${a.namespace ?? ''}`, `${b.kind}/${b.namespace ?? ''}`));
}

/** `NetworkPolicy in shop could not be read (forbidden): ...`; `name` formats the kind and namespace for the medium (escaped text, a code span). */
export function describeGap(gap: GapNote, name: (text: string) => string = (text) => text): string {
  return `${name(gap.kind)}${gap.namespace ? ` in ${name(gap.namespace)}` : ''} could not be read (${gap.reason}): ${gap.effect}`;
}
