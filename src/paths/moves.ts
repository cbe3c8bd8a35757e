/**
 * kubepath attack moves
 * =====================
 *
 * What path search follows out of a node: the graph's attack edges (never its context
 * edges), the edges rules give per source (identity → object grants), and pod-to-pod
 * network reach, which stays at class level: every pod of a network class reaches the
 * same classes, so a search expands each class once and each destination class once,
 * whatever the number of pods (docs/paths.md).
 */
import {nodeLocalNeighbours, podReachEdge} from '../edges/pod-network-reach.js';
import type {AttackEdge, EdgeRule, RuleContext} from '../edges/rule.js';
import type {ClassSet} from '../engines/network/classset.js';
import type {NetworkClass} from '../engines/network/policies.js';
import type {AttackEdgeAttributes, KubeGraph} from '../graph/types.js';

/** The pod-to-pod network rule's cost and certainty (POD_NETWORK_REACH): every network move has them. */
export const NETWORK_MOVE = {cost: 3, certainty: 'conditional'} as const;

const NONE: readonly string[] = Object.freeze([]);

export class AttackMoves {
  private readonly perSource: readonly EdgeRule[];
  private readonly explicit = new Map<string, AttackEdge[]>();
  private readonly asked = new Map<string, AttackEdge[]>();
  private readonly local = new Map<string, readonly string[]>();

  constructor(
    readonly graph: KubeGraph,
    readonly context: RuleContext,
    rules: readonly EdgeRule[],
  ) {
    // Rules that list their sources are asked here; pod-to-pod reach is expanded by class.
    this.perSource = rules.filter((rule) => rule.edgesFrom && rule.sources);
  }

  /** The attack edges out of a node, network reach between pods aside: drawn ones, then those rules give for it. */
  edgesFrom(node: string): readonly AttackEdge[] {
    let edges = this.explicit.get(node);
    if (!edges) {
      edges = [];
      if (this.graph.hasNode(node)) {
        this.graph.forEachOutEdge(node, (_key, attributes, source, target) => {
          if (attributes.attack) edges!.push({source, target, attributes: attributes as AttackEdgeAttributes});
        });
      }
      // A loop, not push(...): an identity with a cluster-wide grant has an edge to every pod.
      for (const rule of this.perSource) for (const edge of this.askedOf(rule, node)) edges.push(edge);
      this.explicit.set(node, edges);
    }
    return edges;
  }

  private askedOf(rule: EdgeRule, node: string): AttackEdge[] {
    const key = `${rule.id}\u0000${node}`;
    let edges = this.asked.get(key);
    if (!edges) this.asked.set(key, (edges = rule.edgesFrom!(this.context, node)));
    return edges;
  }

  /** The network class of a pod, if it takes part in pod traffic. */
  classOf(node: string): NetworkClass | undefined {
    return this.context.model.podsById.has(node) ? this.context.network.classOfPod(node) : undefined;
  }

  reachableFrom(cls: NetworkClass): ClassSet {
    return this.context.network.reachableFrom(cls);
  }

  classes(): readonly NetworkClass[] {
    return this.context.network.classes;
  }

  /** Pods a pod reaches on its own node whatever policies say (host networking under node profiles); worked out once per pod. */
  nodeLocal(pod: string): readonly string[] {
    let local = this.local.get(pod);
    if (!local) {
      const info = this.context.model.podsById.get(pod);
      const found = info ? nodeLocalNeighbours(this.context, info).map((neighbour) => neighbour.id) : [];
      this.local.set(pod, (local = found.length > 0 ? found : NONE));
    }
    return local;
  }

  /** Whether the input still has the step's edge (same ends, same rule). */
  hasStep(from: string, to: string, technique: string): boolean {
    if (technique === 'POD_NETWORK_REACH') return podReachEdge(this.context, from, to) !== undefined;
    return this.edgesFrom(from).some((edge) => edge.target === to && edge.attributes.technique === technique);
  }

  /** The network edge between two pods, with its evidence, for a step of a reported path. */
  networkEdge(source: string, target: string): AttackEdge {
    const edge = podReachEdge(this.context, source, target);
    if (!edge) throw new Error(`kubepath paths: no network edge ${source} -> ${target}, though the class sweep said so`);
    return edge;
  }
}
