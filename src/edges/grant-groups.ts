/**
 * kubepath identity → object edges, asked per identity
 * ====================================================
 *
 * The RBAC rules that join identities to objects (CAN_EXEC and CAN_PATCH to pods,
 * CAN_CREATE_PRIVILEGED_POD to nodes, CAN_READ_SECRET to secrets, CAN_MINT_TOKEN and
 * CAN_CREATE_POD_AS to service accounts) hold one edge per grant holder and object in
 * scope: a cluster-wide grant to exec reaches every pod, so at 150,000 pods they are
 * millions. Like pod-to-pod reachability, the graph does not hold them: path search
 * asks `edgesFrom` one identity at a time, and `sources` lists the identities that
 * have any, for whoever must list every edge (graph output, exports, the bench).
 *
 * What keeps it cheap: objects that must get the same answer share a group (the
 * objects of a namespace, unless a resourceNames list names one; the pods of a node
 * for nodes/proxy), and a rule's facet (one way to the objects) answers once per
 * group. Every group's answer is worked out once per context, then inverted into
 * groups by identity.
 */
import type {AttackEdgeAttributes, Certainty, Evidence} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import type {AttackEdge, EdgeRule, RuleContext} from './rule.js';

/** One identity's grant toward a group's objects. */
export interface Found {
  certainty: Certainty;
  evidence: Evidence[];
  /** Holds only after the identity writes a binding for itself: the edge costs that write more. */
  escalated?: boolean;
}

/** What writing a binding for oneself adds to an edge's cost: one deliberate action (docs/edges/README.md). */
export const ESCALATION_COST = 2;

/** One way to the objects, e.g. `create pods/exec` in the pod's namespace. */
export interface GrantFacet<T> {
  /** The group of a target (targets of one group get one answer), or undefined where the facet does not apply. */
  group(target: T): string | undefined;
  /** Who, by source identity, for the group of this target (called with the group's first target). */
  answer(target: T): ReadonlyMap<string, Found>;
  /** Evidence that belongs to one target, after the grant's (e.g. the node a pod runs on), if any; the same object for a target each time. */
  targetEvidence?(target: T): Evidence | undefined;
}

export interface GrantEdgeSpec<T> {
  rule: Pick<EdgeRule, 'id' | 'type' | 'mitre'>;
  cost: number;
  /** Every object the edges may reach, in id order. */
  targets(context: RuleContext): readonly T[];
  id(target: T): string;
  facets(context: RuleContext): ReadonlyArray<GrantFacet<T>>;
}

interface Group {
  /** Positions in the index's targets, ascending. */
  members: number[];
  /** Per member, the facet's evidence for that target (none when the facet has none). */
  extras?: Array<Evidence | undefined>;
  answer: ReadonlyMap<string, Found>;
}

interface Index<T> {
  targets: readonly T[];
  ids: string[];
  /** Per source identity, the groups whose answer names it, in facet then target order. */
  bySource: Map<string, Array<Group>>;
  sources: string[];
}

/** Who has what toward which group, worked out once per rule and context. */
function indexer<T>(spec: GrantEdgeSpec<T>): (context: RuleContext) => Index<T> {
  const indexes = new WeakMap<RuleContext, Index<T>>();
  return (context) => {
    let index = indexes.get(context);
    if (index) return index;
    const targets = spec.targets(context);
    const bySource = new Map<string, Array<Group>>();
    for (const facet of spec.facets(context)) {
      const groups = new Map<string, number[]>();
      targets.forEach((target, position) => {
        const key = facet.group(target);
        if (key === undefined) return;
        const members = groups.get(key);
        if (members) members.push(position);
        else groups.set(key, [position]);
      });
      for (const members of groups.values()) {
        const group: Group = {members, answer: facet.answer(targets[members[0]!]!)};
        if (facet.targetEvidence) group.extras = members.map((position) => facet.targetEvidence!(targets[position]!));
        for (const grant of group.answer.values()) Object.freeze(grant.evidence);
        for (const source of group.answer.keys()) {
          const list = bySource.get(source);
          if (list) list.push(group);
          else bySource.set(source, [group]);
        }
      }
    }
    index = {targets, ids: targets.map(spec.id), bySource, sources: [...bySource.keys()].sort(compareStrings)};
    indexes.set(context, index);
    return index;
  };
}

/**
 * The answers a target is reached through, as a path in a trie by answer: targets
 * reached through the same answers share one joined evidence array.
 */
interface Joined {
  evidence: Evidence[];
  next: Map<Evidence[], Joined>;
  /** The attributes of edges with just this evidence, by certainty and escalation: shared, frozen. */
  attributes: Partial<Record<string, AttackEdgeAttributes>>;
  /** The same, for edges with one target item more (targets sharing the item share them). */
  withItem?: Map<Evidence, Partial<Record<string, AttackEdgeAttributes>>>;
}

function join(from: Joined | undefined, part: Evidence[]): Joined {
  if (!from) return {evidence: part, next: new Map(), attributes: {}};
  let joined = from.next.get(part);
  // Each facet words its evidence apart (what the grant allows there), so answers never repeat one another.
  if (!joined) from.next.set(part, (joined = {evidence: Object.freeze([...from.evidence, ...part]) as Evidence[], next: new Map(), attributes: {}}));
  return joined;
}

interface Slot {
  joined: Joined;
  certainty: Certainty;
  /** Every way to the target needs an escalation first. */
  escalated: boolean;
  extra?: Evidence[];
}

function attributesOf(spec: GrantEdgeSpec<unknown>, slot: Slot, evidence: Evidence[]): AttackEdgeAttributes {
  const cost = spec.cost + (slot.escalated ? ESCALATION_COST : 0);
  return {type: spec.rule.type, attack: true, technique: spec.rule.id, mitre: spec.rule.mitre, certainty: slot.certainty, cost, evidence};
}

/**
 * The `build`, `sources` and `edgesFrom` of a rule whose edges are asked per identity:
 * one edge per object, evidence of every facet and group joined, definite if any is,
 * costing an escalation more when every way to it needs one.
 * No identity gets an edge to itself (running as yourself gains nothing). Answers'
 * evidence arrays, and the attributes of edges with the same evidence, are frozen and
 * shared by the edges they explain.
 */
export function grantEdges<T>(spec: GrantEdgeSpec<T>): Pick<EdgeRule, 'build' | 'sources' | 'edgesFrom'> {
  const index = indexer(spec);
  return {
    build: () => [],
    sources: (context) => index(context).sources,
    edgesFrom(context, source) {
      const {targets, ids, bySource} = index(context);
      const groups = bySource.get(source) ?? [];
      const roots = new Map<Evidence[], Joined>();
      // By target position; a sparse Map where the groups cover few targets.
      const covered = groups.reduce((sum, group) => sum + group.members.length, 0);
      const slots: Map<number, Slot> | Array<Slot | undefined> = covered * 8 < targets.length ? new Map() : new Array<Slot | undefined>(targets.length);
      const get = slots instanceof Map ? (i: number) => slots.get(i) : (i: number) => slots[i];
      const set = slots instanceof Map ? (i: number, slot: Slot) => slots.set(i, slot) : (i: number, slot: Slot) => (slots[i] = slot);
      for (const group of groups) {
        const grant = group.answer.get(source)!;
        let root = roots.get(grant.evidence);
        if (!root) roots.set(grant.evidence, (root = join(undefined, grant.evidence)));
        for (let m = 0; m < group.members.length; m++) {
          const position = group.members[m]!;
          let slot = get(position);
          if (!slot) set(position, (slot = {joined: root, certainty: grant.certainty, escalated: grant.escalated === true}));
          else {
            slot.joined = join(slot.joined, grant.evidence);
            if (grant.certainty === 'definite') slot.certainty = 'definite';
            if (!grant.escalated) slot.escalated = false;
          }
          const item = group.extras?.[m];
          // Facets share a target's item (e.g. both nodes/proxy routes): kept once.
          if (!item) continue;
          if (!slot.extra) slot.extra = [item];
          else if (!slot.extra.includes(item)) slot.extra.push(item);
        }
      }
      const positions = slots instanceof Map ? [...slots.keys()].sort((a, b) => a - b) : slots.keys();
      const edges: AttackEdge[] = [];
      for (const position of positions) {
        const slot = get(position);
        const target = ids[position]!;
        if (!slot || target === source) continue;
        const {joined, extra} = slot;
        const key = `${slot.certainty}${slot.escalated ? ' escalated' : ''}`;
        let shared = joined.attributes;
        if (extra?.length === 1) {
          joined.withItem ??= new Map();
          const known = joined.withItem.get(extra[0]!);
          if (known) shared = known;
          else joined.withItem.set(extra[0]!, (shared = {}));
        }
        const attributes =
          extra && extra.length > 1
            ? attributesOf(spec, slot, joined.evidence.concat(extra))
            : (shared[key] ??= Object.freeze(attributesOf(spec, slot, extra ? joined.evidence.concat(extra) : joined.evidence)));
        edges.push({source, target, attributes});
      }
      return edges;
    },
  };
}
