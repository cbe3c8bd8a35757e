/**
 * kubepath attack moves
 * =====================
 *
 * What path search follows out of a node, and back into it: the graph's attack edges
 * (never its context edges); the edges rules give per source (identity → object
 * grants), in the groups they share, so a cluster-wide grant is one move per namespace
 * rather than one per object; and pod-to-pod network reach, which stays at class
 * level: every pod of a network class reaches the same classes (docs/paths.md).
 */
import {stepTerms, type NetworkStepTerms} from '../edges/known-flaw.js';
import {nodeLocalNeighbours, podReachEdge} from '../edges/pod-network-reach.js';
import type {RuleContext} from '../engines/context.js';
import type {AttackEdge, EdgeRule, GroupMove, MoveGroup} from '../edges/rule.js';
import type {ClassSet} from '../engines/network/classset.js';
import type {NetworkClass} from '../engines/network/policies.js';
import type {AttackEdgeAttributes, KubeGraph} from '../graph/types.js';

/** The pod-to-pod network rule, whose moves path search takes by class. */
export const NETWORK_TECHNIQUE = 'POD_NETWORK_REACH';

/** A group move with the rule it belongs to. */
export interface RuleGroupMove extends GroupMove {
  rule: EdgeRule;
}

/** A graph edge seen from one end: the node at the other end, and the edge. */
export interface AttackStep {
  node: string;
  attributes: AttackEdgeAttributes;
}

const NONE: readonly never[] = Object.freeze([]);

export class AttackMoves {
  private readonly grouped: readonly EdgeRule[];
  private readonly groupsBySource = new Map<string, readonly RuleGroupMove[]>();
  private readonly groupsByTarget = new Map<string, readonly MoveGroup[]>();
  private readonly outEdges = new Map<string, readonly AttackStep[]>();
  private readonly inEdges = new Map<string, readonly AttackStep[]>();
  private readonly reach = new Map<number, ClassSet>();
  private readonly local = new Map<string, readonly string[]>();

  constructor(
    readonly graph: KubeGraph,
    readonly context: RuleContext,
    rules: readonly EdgeRule[],
  ) {
    // Rules whose edges come in groups are followed by group; pod-to-pod reach is followed by class.
    this.grouped = rules.filter((rule) => rule.groupsFrom && rule.groupsTo && rule.edgeBetween);
  }

  /** The graph's attack edges out of a node, as (target, attributes); kept, as searches ask again. */
  edgesOutOf(node: string): readonly AttackStep[] {
    return this.adjacent(this.outEdges, node, 'forEachOutEdge');
  }

  /** The graph's attack edges into a node, as (source, attributes). */
  edgesInto(node: string): readonly AttackStep[] {
    return this.adjacent(this.inEdges, node, 'forEachInEdge');
  }

  private adjacent(
    cache: Map<string, readonly AttackStep[]>,
    node: string,
    method: 'forEachOutEdge' | 'forEachInEdge',
  ): readonly AttackStep[] {
    let steps = cache.get(node);
    if (!steps) {
      const found: AttackStep[] = [];
      if (this.graph.hasNode(node)) {
        this.graph[method](node, (_key, attributes, source, target) => {
          if (attributes.attack)
            found.push({node: method === 'forEachOutEdge' ? target : source, attributes: attributes as AttackEdgeAttributes});
        });
      }
      cache.set(node, (steps = found.length > 0 ? found : NONE));
    }
    return steps;
  }

  /** The groups of objects a node's grants reach, rule by rule; worked out once per node. */
  groupsFrom(node: string): readonly RuleGroupMove[] {
    let moves = this.groupsBySource.get(node);
    if (!moves) {
      const found: RuleGroupMove[] = [];
      for (const rule of this.grouped) for (const move of rule.groupsFrom!(this.context, node)) found.push({...move, rule});
      this.groupsBySource.set(node, (moves = found.length > 0 ? found : NONE));
    }
    return moves;
  }

  /** The groups that hold a node, of every grouped rule. */
  groupsTo(node: string): readonly MoveGroup[] {
    let groups = this.groupsByTarget.get(node);
    if (!groups) {
      const found: MoveGroup[] = [];
      for (const rule of this.grouped) for (const group of rule.groupsTo!(this.context, node)) found.push(group);
      this.groupsByTarget.set(node, (groups = found.length > 0 ? found : NONE));
    }
    return groups;
  }

  /** The network class of a pod, if it takes part in pod traffic. */
  classOf(node: string): NetworkClass | undefined {
    return this.context.model.podsById.has(node) ? this.context.network.classOfPod(node) : undefined;
  }

  /** The classes a class reaches; kept, as spur searches ask again. */
  reachableFrom(cls: NetworkClass): ClassSet {
    let reach = this.reach.get(cls.index);
    if (!reach) this.reach.set(cls.index, (reach = this.context.network.reachableFrom(cls)));
    return reach;
  }

  /** What a network step into a class's pods costs, and how sure it is: the same for every pod of the class. */
  stepInto(cls: NetworkClass): NetworkStepTerms {
    return stepTerms(cls.knownFlaw);
  }

  classes(): readonly NetworkClass[] {
    return this.context.network.classes;
  }

  /** Pods a pod reaches on its own node whatever policies say (host networking under node profiles), both ways; worked out once per pod. */
  nodeLocal(pod: string): readonly string[] {
    let local = this.local.get(pod);
    if (!local) {
      const info = this.context.model.podsById.get(pod);
      const found = info ? nodeLocalNeighbours(this.context, info).map((neighbour) => neighbour.id) : [];
      this.local.set(pod, (local = found.length > 0 ? found : NONE));
    }
    return local;
  }

  /** A grouped rule's edge between two nodes, with all its evidence. */
  edgeBetween(rule: EdgeRule, source: string, target: string): AttackEdge {
    const edge = rule.edgeBetween!(this.context, source, target);
    if (!edge) throw new Error(`kubepath paths: no ${rule.id} edge ${source} -> ${target}, though its group said so`);
    return edge;
  }

  /** Whether the input still has the step's edge (same ends, same rule). */
  hasStep(from: string, to: string, technique: string): boolean {
    if (technique === NETWORK_TECHNIQUE) return podReachEdge(this.context, from, to) !== undefined;
    const rule = this.grouped.find((candidate) => candidate.id === technique);
    if (rule) return rule.edgeBetween!(this.context, from, to) !== undefined;
    return this.edgesOutOf(from).some((step) => step.node === to && step.attributes.technique === technique);
  }

  /** The network edge between two pods, with its evidence, for a step of a reported path. */
  networkEdge(source: string, target: string): AttackEdge {
    const edge = podReachEdge(this.context, source, target);
    if (!edge) throw new Error(`kubepath paths: no network edge ${source} -> ${target}, though the class sweep said so`);
    return edge;
  }
}
