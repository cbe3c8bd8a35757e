/**
 * kubepath NetworkPolicy selection
 * ================================
 *
 * Which classes each NetworkPolicy selects, computed once: a policy selects classes of
 * its own namespace only (the range `buildClasses` keeps per namespace), and never
 * node traffic. A class selected by a policy of some direction is isolated for it: only
 * that direction's rules of its selecting policies let connections through.
 */
import type {ClassIndex} from './classes.js';
import type {CompiledNetworkPolicy, Direction} from './policies.js';

export interface ClassSelection {
  /** The classes each policy selects, in index order; every policy has an entry, in the order given. */
  subjects: ReadonlyMap<CompiledNetworkPolicy, Int32Array>;
  /** Per direction, per class index: the policies that isolate the class for that direction. */
  isolating: Readonly<Record<Direction, readonly CompiledNetworkPolicy[][]>>;
}

export function selectClasses(index: ClassIndex, policies: readonly CompiledNetworkPolicy[]): ClassSelection {
  const {classes} = index;
  const subjects = new Map<CompiledNetworkPolicy, Int32Array>();
  const isolating: Record<Direction, CompiledNetworkPolicy[][]> = {ingress: classes.map(() => []), egress: classes.map(() => [])};
  for (const policy of policies) {
    const [first, end] = index.namespaceRange.get(policy.namespace) ?? [0, 0];
    const selected: number[] = [];
    for (let c = first; c < end; c++) {
      const cls = classes[c]!;
      if (cls.nodeNetwork || !policy.selects(cls.labels)) continue;
      selected.push(c);
      if (policy.isolatesIngress) isolating.ingress[c]!.push(policy);
      if (policy.isolatesEgress) isolating.egress[c]!.push(policy);
    }
    subjects.set(policy, Int32Array.from(selected));
  }
  return {subjects, isolating};
}
