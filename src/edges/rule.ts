/**
 * kubepath edge rules
 * ===================
 *
 * One attack technique, one rule file. A rule reads the cluster model (and the
 * engines in its context) and returns the edges it proves, each with its evidence;
 * it names its family (for the report's colours) and the changes that remove each of
 * its edges (the fixes `analyze` ranks). Every rule has a page `docs/edges/<id>.md`
 * and fixtures `test/fixtures/edges/<id>/positive.*.yaml` and `negative.*.yaml`
 * (checked by test/edges.test.ts).
 */
import type {RuleContext} from '../engines/context.js';
import type {AttackEdgeAttributes, AttackEdgeType, Certainty} from '../graph/types.js';

export interface AttackEdge<T extends AttackEdgeType = AttackEdgeType> {
  source: string;
  target: string;
  attributes: AttackEdgeAttributes<T>;
}

/**
 * The attacker-effort scale edge costs are on (docs/edges/README.md, "Cost scale"):
 * what holds by definition, using what is already in hand, one deliberate action with
 * granted rights, a step that also needs a flaw on the other side.
 */
export const COST = {byDefinition: 0, inHand: 1, deliberate: 2, needsFlaw: 3} as const;

/** What kind of move an edge is, by the name the report shows it under. */
export const EDGE_FAMILIES = {network: 'network', identity: 'identity and tokens', rbac: 'RBAC', escape: 'escape to node'} as const;
export type EdgeFamily = keyof typeof EDGE_FAMILIES;

/** One change that removes an edge. */
export interface Fix {
  /** Stable key: what kind of change, on which object. */
  id: string;
  /** The change, in words a platform engineer can act on. */
  action: string;
  /** The object to change (a snapshot key, or a namespace). */
  object: string;
}

/** One step of an attack path: an edge, as path search reports it. */
export interface EdgeStep<T extends AttackEdgeType = AttackEdgeType> {
  from: string;
  to: string;
  attributes: AttackEdgeAttributes<T>;
}

/** The fixes of a rule whose edges hold by definition (a node hosts its pods, a member is in its group): none. */
export const noFixes = (): Fix[] => [];

/**
 * Objects a rule's edges reach together: every source with the group has an edge to
 * each of its targets (but itself), at one cost and certainty per source. Path search
 * follows a group once, not each of its edges (src/paths/search.ts).
 */
export interface MoveGroup {
  /** Graph ids, ascending by the rule's target order. */
  readonly targets: readonly string[];
  /** Who has the group, and at what cost and certainty. */
  readonly sources: ReadonlyArray<{source: string; cost: number; certainty: Certainty}>;
}

/** One source's way to a group of targets. */
export interface GroupMove {
  group: MoveGroup;
  cost: number;
  certainty: Certainty;
}

/** One technique. `T` is the edge type it draws, which fixes the details its edges carry. */
export interface EdgeRule<T extends AttackEdgeType = AttackEdgeType> {
  /** Upper-snake id shared by the rule, its doc page and its fixtures, e.g. `ESCAPES_TO_PRIVILEGED`. */
  id: string;
  /** The edge type the rule draws (docs/interface.md, attack edges). */
  type: T;
  /** Rules that draw the same edge type share its family (test/edges.test.ts checks). */
  family: EdgeFamily;
  /** MITRE ATT&CK technique id, e.g. `T1611`. */
  mitre: string;
  summary: string;
  /**
   * The single changes that remove the step's edge, from its evidence (docs/findings.md);
   * none where the edge holds through several grants at once, and `noFixes` where it
   * holds by definition. A fix cuts a path when it removes one of its steps.
   */
  fixes(step: EdgeStep<T>): Fix[];
  /** The edges drawn into the graph. */
  build(context: RuleContext): Array<AttackEdge<T>>;
  /**
   * For a rule whose edges are too many to draw (pod-to-pod reachability grows with
   * pods squared; a cluster-wide grant to exec reaches every pod): the edges leaving
   * one node, computed when asked, sorted by target. Such a rule's `build`
   * draws only what is bounded by the number of nodes.
   */
  edgesFrom?(context: RuleContext, source: string): Array<AttackEdge<T>>;
  /**
   * The sources `edgesFrom` has edges from, sorted: for listing every edge (graph
   * output, exports, the bench). Absent where such a list is not an answer anyone
   * reads (every pod pair: `kubepath reach` lists connectivity by workload).
   */
  sources?(context: RuleContext): readonly string[];
  /**
   * The same edges as `edgesFrom`, in groups (identity → object grants: one group per
   * namespace a grant covers): path search follows these, and `groupsTo` back.
   * An edge's cost is the cheapest of the groups that lead to its target; it is definite
   * if any of them is.
   */
  groupsFrom?(context: RuleContext, source: string): readonly GroupMove[];
  /** The groups that hold a target. */
  groupsTo?(context: RuleContext, target: string): readonly MoveGroup[];
  /** How many edges `edgesFrom` gives for the source, without making them (for summaries). */
  countFrom?(context: RuleContext, source: string): number;
  /** The one edge `edgesFrom` gives from the source to the target, if any, with all its evidence. */
  edgeBetween?(context: RuleContext, source: string, target: string): AttackEdge<T> | undefined;
}

/** Every edge of a rule: those it draws, then those `edgesFrom` gives for its sources (or the sources given). */
export function ruleEdges(rule: EdgeRule, context: RuleContext, sources: readonly string[] = rule.sources?.(context) ?? []): AttackEdge[] {
  const edges = rule.build(context);
  if (rule.edgesFrom) for (const source of sources) for (const edge of rule.edgesFrom(context, source)) edges.push(edge);
  return edges;
}

/** How many edges of each type the rules asked per source have: what summaries add to the graph's counts. */
export function listedEdgeCounts(rules: readonly EdgeRule[], context: RuleContext): Map<AttackEdgeType, number> {
  const counts = new Map<AttackEdgeType, number>();
  for (const rule of rules) {
    if (!rule.sources || !rule.edgesFrom) continue;
    let count = 0;
    for (const source of rule.sources(context))
      count += rule.countFrom ? rule.countFrom(context, source) : rule.edgesFrom(context, source).length;
    if (count > 0) counts.set(rule.type, (counts.get(rule.type) ?? 0) + count);
  }
  return counts;
}
