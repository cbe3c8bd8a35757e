/**
 * kubepath identity → object edges, asked per identity
 * ====================================================
 *
 * The RBAC rules that join identities to objects (CAN_EXEC and CAN_PATCH to pods,
 * CAN_CREATE_PRIVILEGED_POD to nodes, CAN_READ_SECRET to secrets, CAN_MINT_TOKEN and
 * CAN_CREATE_POD_AS to service accounts) hold one edge per grant holder and object in
 * scope: a cluster-wide grant to exec reaches every pod, so at 150,000 pods they are
 * millions. Like pod-to-pod reachability, the graph does not hold them. Path search
 * follows the groups below (`groupsFrom`, and `groupsTo` back) and asks `edgeBetween`
 * for the steps it reports; `edgesFrom` lists one identity's edges and `sources` the
 * identities that have any, for whoever must list every edge (graph output, exports).
 *
 * What keeps it cheap: objects that must get the same answer share a group (the
 * objects of a namespace, unless a resourceNames list names one; the pods of a node
 * for nodes/proxy), and a rule's facet (one way to the objects) answers once per
 * group. Every group's answer is worked out once per context, then inverted into
 * groups by identity.
 */
import type {AttackEdgeAttributes, Certainty, Evidence} from '../graph/types.js';
import {pushTo} from '../util/group.js';
import {compareStrings} from '../util/order.js';
import {perObject} from '../util/memo.js';
import {compactEvidence} from './edge-collector.js';
import type {RuleContext} from '../engines/context.js';
import {COST, type AttackEdge, type EdgeRule, type MoveGroup} from './rule.js';

/** One identity's grant toward a group's objects. */
export interface Found {
  certainty: Certainty;
  evidence: Evidence[];
  /** Holds only after the identity writes a binding for itself: the edge costs that write more. */
  escalated?: boolean;
}

/** What writing a binding for oneself adds to an edge's cost: one deliberate action (docs/edges/README.md). */
export const ESCALATION_COST = COST.deliberate;

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

/** Targets of one facet that get the same answer. */
export interface GrantGroup extends MoveGroup {
  /** Positions in the index's targets, ascending. */
  members: number[];
  /** Per member, the facet's evidence for that target (none when the facet has none). */
  extras?: Array<Evidence | undefined>;
  answer: ReadonlyMap<string, Found>;
}

interface Index<T> {
  targets: readonly T[];
  ids: string[];
  positionOf: Map<string, number>;
  /** Per facet, the group of each target position (undefined where the facet does not apply). */
  groupAt: Array<Array<GrantGroup | undefined>>;
  /** Per source identity, the groups whose answer names it, in facet then target order. */
  bySource: Map<string, Array<GrantGroup>>;
  sources: string[];
}

/** What an edge's attributes take from the rule. */
type EdgeSpec = Pick<GrantEdgeSpec<unknown>, 'rule' | 'cost'>;

const costOf = (spec: EdgeSpec, grant: Found): number => spec.cost + (grant.escalated ? ESCALATION_COST : 0);

function buildIndex<T>(spec: GrantEdgeSpec<T>, context: RuleContext): Index<T> {
  const targets = spec.targets(context);
  const ids = targets.map(spec.id);
  const bySource = new Map<string, Array<GrantGroup>>();
  const groupAt: Array<Array<GrantGroup | undefined>> = [];
  for (const facet of spec.facets(context)) {
    const at = new Array<GrantGroup | undefined>(targets.length);
    groupAt.push(at);
    for (const group of facetGroups(spec, facet, targets, ids)) {
      for (const position of group.members) at[position] = group;
      for (const source of group.answer.keys()) pushTo(bySource, source, group);
    }
  }
  const positionOf = new Map(ids.map((id, position) => [id, position]));
  return {targets, ids, positionOf, groupAt, bySource, sources: [...bySource.keys()].sort(compareStrings)};
}

/** A facet's groups, in the order of their first targets, each answered once. */
function facetGroups<T>(spec: GrantEdgeSpec<T>, facet: GrantFacet<T>, targets: readonly T[], ids: readonly string[]): GrantGroup[] {
  const byKey = new Map<string, number[]>();
  targets.forEach((target, position) => {
    const key = facet.group(target);
    if (key !== undefined) pushTo(byKey, key, position);
  });
  return [...byKey.values()].map((members) => {
    const answer = facet.answer(targets[members[0]!]!);
    const sources = [...answer].map(([source, grant]) => ({source, cost: costOf(spec, grant), certainty: grant.certainty}));
    const group: GrantGroup = {members, answer, targets: members.map((position) => ids[position]!), sources};
    if (facet.targetEvidence) group.extras = members.map((position) => facet.targetEvidence!(targets[position]!));
    for (const grant of answer.values()) Object.freeze(grant.evidence);
    return group;
  });
}

/** Where a position stands among a group's ascending members. */
function memberIndex(members: readonly number[], position: number): number {
  let [low, high] = [0, members.length - 1];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (members[middle]! < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The answers a target is reached through, as a path in a trie by answer: targets
 * reached through the same answers share one joined evidence array.
 */
interface Joined {
  evidence: Evidence[];
  next: Map<Evidence[], Joined>;
  /** The attributes of edges with just this evidence, by certainty and escalation: shared, frozen. */
  attributes: Partial<Record<number, AttackEdgeAttributes>>;
  /** The same, for edges with one target item more (targets sharing the item share them). */
  withItem?: Map<Evidence, Partial<Record<number, AttackEdgeAttributes>>>;
}

function join(from: Joined | undefined, part: Evidence[]): Joined {
  if (!from) return {evidence: Object.freeze(compactEvidence(part)) as Evidence[], next: new Map(), attributes: {}};
  let joined = from.next.get(part);
  // Facets name the same binding and rule, each with what it allows there: compacted, each is named once with all of it.
  if (!joined)
    from.next.set(
      part,
      (joined = {evidence: Object.freeze(compactEvidence([...from.evidence, ...part])) as Evidence[], next: new Map(), attributes: {}}),
    );
  return joined;
}

/** Per target reached: some way to it is definite; some way to it needs no escalation. */
const DEFINITE = 1;
const DIRECT = 2;

function attributesOf(spec: EdgeSpec, flags: number, evidence: Evidence[]): AttackEdgeAttributes {
  const certainty: Certainty = flags & DEFINITE ? 'definite' : 'conditional';
  const cost = spec.cost + (flags & DIRECT ? 0 : ESCALATION_COST);
  return {type: spec.rule.type, attack: true, technique: spec.rule.id, mitre: spec.rule.mitre, certainty, cost, evidence};
}

const flagsOf = (grant: Found): number => (grant.certainty === 'definite' ? DEFINITE : 0) | (grant.escalated ? 0 : DIRECT);

/**
 * One identity's edges (`edgesFrom`), joined target by target: each target reached gets
 * the evidence of every group it is reached through, joined in the order added through
 * the trie above, definite if any grant is, costing an escalation more when every grant
 * needs one, and its own evidence items once each. Targets are held in columns: by
 * position where the groups cover many of them, else in slots handed out as they come.
 */
export class EdgeJoiner {
  /** Per target position reached, its slot; none when the columns are by position. */
  private readonly slots: Map<number, number> | undefined;
  private readonly joinedAt: Array<Joined | undefined>;
  private readonly flags: Uint8Array;
  /** A target's own evidence: one item in a column, more (rare) in a Map. */
  private readonly itemAt: Array<Evidence | undefined>;
  private readonly moreItems = new Map<number, Evidence[]>();
  private readonly roots = new Map<Evidence[], Joined>();

  /** `ids` are the targets by position; `covered` bounds how many of them the groups hold (their sizes summed). */
  constructor(
    private readonly spec: EdgeSpec,
    private readonly ids: readonly string[],
    covered: number,
  ) {
    this.slots = covered * 8 < ids.length ? new Map() : undefined;
    const size = this.slots ? covered : ids.length;
    this.joinedAt = new Array<Joined | undefined>(size);
    this.flags = new Uint8Array(size);
    this.itemAt = new Array<Evidence | undefined>(size);
  }

  /** A group the identity's grant reaches: each member joins the grant's evidence and flags, and its own item. */
  add(group: Pick<GrantGroup, 'members' | 'extras'>, grant: Found): void {
    let root = this.roots.get(grant.evidence);
    if (!root) this.roots.set(grant.evidence, (root = join(undefined, grant.evidence)));
    const grantFlags = flagsOf(grant);
    const {members, extras} = group;
    const {joinedAt, flags} = this;
    for (let m = 0; m < members.length; m++) {
      const slot = this.slotOf(members[m]!);
      const joined = joinedAt[slot];
      joinedAt[slot] = joined ? join(joined, grant.evidence) : root;
      flags[slot]! |= grantFlags;
      const item = extras?.[m];
      if (item) this.addItem(slot, item);
    }
  }

  /** The edges from the source to every target reached but itself, by target position. */
  edgesFrom(source: string): AttackEdge[] {
    const edges: AttackEdge[] = [];
    const emit = (position: number, slot: number): void => {
      const joined = this.joinedAt[slot];
      const target = this.ids[position]!;
      if (joined && target !== source) edges.push({source, target, attributes: this.attributesAt(slot, joined)});
    };
    if (this.slots) for (const [position, slot] of [...this.slots].sort(([x], [y]) => x - y)) emit(position, slot);
    else for (let position = 0; position < this.ids.length; position++) emit(position, position);
    return edges;
  }

  private slotOf(position: number): number {
    if (!this.slots) return position;
    let slot = this.slots.get(position);
    if (slot === undefined) this.slots.set(position, (slot = this.slots.size));
    return slot;
  }

  /** Facets share a target's item (e.g. both nodes/proxy routes): kept once. */
  private addItem(slot: number, item: Evidence): void {
    const first = this.itemAt[slot];
    if (!first) this.itemAt[slot] = item;
    else if (first !== item) {
      const more = this.moreItems.get(slot);
      if (!more) this.moreItems.set(slot, [first, item]);
      else if (!more.includes(item)) more.push(item);
    }
  }

  /** A target's attributes: shared with every target of the same evidence, item and flags, but for a target with several items. */
  private attributesAt(slot: number, joined: Joined): AttackEdgeAttributes {
    const item = this.itemAt[slot];
    const more = item && this.moreItems.get(slot);
    const flags = this.flags[slot]!;
    if (more) return attributesOf(this.spec, flags, joined.evidence.concat(more));
    let shared = joined.attributes;
    if (item) {
      joined.withItem ??= new Map();
      const known = joined.withItem.get(item);
      if (known) shared = known;
      else joined.withItem.set(item, (shared = {}));
    }
    return (shared[flags] ??= Object.freeze(attributesOf(this.spec, flags, item ? [...joined.evidence, item] : joined.evidence)));
  }
}

/** One target of edgesFrom, joined the same way: facet by facet, then the target's own evidence. */
function edgeBetween(spec: EdgeSpec, {positionOf, groupAt}: Index<unknown>, source: string, target: string): AttackEdge | undefined {
  const position = positionOf.get(target);
  if (position === undefined || target === source) return undefined;
  let evidence: Evidence[] | undefined;
  let flags = 0;
  const items: Evidence[] = [];
  for (const at of groupAt) {
    const group = at[position];
    const grant = group?.answer.get(source);
    if (!grant) continue;
    // As join() compacts, facet by facet.
    evidence = compactEvidence(evidence ? [...evidence, ...grant.evidence] : grant.evidence);
    flags |= flagsOf(grant);
    const item = group!.extras?.[memberIndex(group!.members, position)];
    if (item && !items.includes(item)) items.push(item);
  }
  return evidence && {source, target, attributes: attributesOf(spec, flags, [...evidence, ...items])};
}

/**
 * Counts a source's targets (`countFrom`) without making its edges: targets in several
 * of its groups count once, by stamping each target position with the count that met it.
 */
class TargetCounter {
  private seenBy = new Uint32Array(0);
  private counting = 0;

  count({ids, bySource}: Index<unknown>, source: string): number {
    if (this.seenBy.length !== ids.length) [this.seenBy, this.counting] = [new Uint32Array(ids.length), 0];
    const seenBy = this.seenBy;
    const stamp = ++this.counting;
    let count = 0;
    for (const group of bySource.get(source) ?? []) {
      for (const position of group.members) {
        if (seenBy[position] === stamp || ids[position] === source) continue;
        seenBy[position] = stamp;
        count++;
      }
    }
    return count;
  }
}

/**
 * The `build`, `sources` and `edgesFrom` of a rule whose edges are asked per identity:
 * one edge per object, evidence of every facet and group joined, definite if any is,
 * costing an escalation more when every way to it needs one (EdgeJoiner).
 * No identity gets an edge to itself (running as yourself gains nothing). Answers'
 * evidence arrays, and the attributes of edges with the same evidence, are frozen and
 * shared by the edges they explain.
 */
export function grantEdges<T>(
  spec: GrantEdgeSpec<T>,
): Pick<EdgeRule, 'build' | 'sources' | 'edgesFrom' | 'countFrom' | 'groupsFrom' | 'groupsTo' | 'edgeBetween'> {
  // Who has what toward which group, worked out once per rule and context.
  const index = perObject((context: RuleContext) => buildIndex(spec, context));
  const counter = new TargetCounter();
  return {
    build: () => [],
    sources: (context) => index(context).sources,
    groupsFrom(context, source) {
      return (index(context).bySource.get(source) ?? []).map((group) => {
        const grant = group.answer.get(source)!;
        return {group, cost: costOf(spec, grant), certainty: grant.certainty};
      });
    },
    countFrom: (context, source) => counter.count(index(context), source),
    groupsTo(context, target) {
      const {positionOf, groupAt} = index(context);
      const position = positionOf.get(target);
      if (position === undefined) return [];
      const groups: GrantGroup[] = [];
      for (const at of groupAt) if (at[position]) groups.push(at[position]!);
      return groups;
    },
    edgeBetween: (context, source, target) => edgeBetween(spec, index(context), source, target),
    edgesFrom(context, source) {
      const {ids, bySource} = index(context);
      const groups = bySource.get(source) ?? [];
      const joiner = new EdgeJoiner(
        spec,
        ids,
        groups.reduce((sum, group) => sum + group.members.length, 0),
      );
      for (const group of groups) joiner.add(group, group.answer.get(source)!);
      return joiner.edgesFrom(source);
    },
  };
}
