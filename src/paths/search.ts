/**
 * kubepath path search
 * ====================
 *
 * The K cheapest loop-free attack paths from a set of sources to a set of targets:
 * Yen's algorithm over A*, on the moves of moves.ts (attack edges only; cost is the
 * sum of the edges' attacker-effort costs, docs/edges/README.md). A path has at least
 * one step and ends at the first target it reaches. `maxDepth` bounds the steps a path
 * may take; `definiteOnly` follows definite edges alone (network reach, which assumes
 * an exploitable service, is then left out, but for pods whose flaw a vulnerability
 * report names).
 *
 * Two kinds of move reach many nodes at one cost: a grant's group of objects and a
 * network class's pods. The search relaxes such a group as one relay node and its
 * members only when the relay comes first in the queue, so a cluster-wide grant costs
 * a move per namespace, not per object.
 *
 * A* is guided by `distancesTo`: one backward search from the targets gives each node
 * a lower bound on its cost to them (exact but for network moves, which it bounds by
 * the cheapest pod any pod could reach, step included), so a search never leaves the
 * nodes that can still beat the best paths known, and every spur search of Yen reuses
 * it. A settled node's moves are taken one at a time in the order of that bound
 * (MoveOrder), so the Internet's thousands of exposed pods cost only the few that lead
 * somewhere.
 */
import type {AttackEdge, EdgeRule, MoveGroup} from '../edges/rule.js';
import type {NetworkClass} from '../engines/network/policies.js';
import type {AttackEdgeAttributes} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import {MinHeap} from './heap.js';
import {NETWORK_TECHNIQUE, type AttackMoves} from './moves.js';

export interface SearchOptions {
  maxPaths: number;
  maxDepth: number;
  definiteOnly: boolean;
}

export interface PathStep {
  from: string;
  to: string;
  attributes: AttackEdgeAttributes;
}

export interface AttackPath {
  source: string;
  target: string;
  cost: number;
  steps: PathStep[];
}

/** Lower bounds on the cost from each node, grant group and network class to the targets: A*'s heuristic. */
export interface Distances {
  node(id: string): number;
  group(group: MoveGroup): number;
  cls(index: number): number;
  /** The least of any class's bound plus the step into it: what a pod's network moves cost at least. */
  anyClass: number;
  /** The classes whose bound is finite, as a bitset of 32-class words. */
  finiteClasses: Uint32Array;
}

/** No guidance: plain Dijkstra, for exploring everything the sources reach (by definite steps only, when asked). */
function noDistances(moves: AttackMoves, definiteOnly: boolean): Distances {
  const finiteClasses = new Uint32Array(Math.ceil(moves.classes().length / 32));
  for (const cls of moves.classes()) if (!definiteOnly || moves.stepInto(cls).certainty === 'definite') finiteClasses[cls.index >>> 5]! |= 1 << (cls.index & 31);
  return {node: () => 0, group: () => 0, cls: () => 0, anyClass: 0, finiteClasses};
}

/** The backward search's one node for every pod: when every pod is relaxed, at the cheapest network move any pod could make. */
const EVERY_POD = Symbol('every pod');

/**
 * The cheapest cost from every node to the targets, by a backward Dijkstra. Network
 * moves are bounded from below through one hub (a pod reaches the cheapest pod of any
 * class, at the step into that class), which keeps the bound admissible and
 * consistent without transposing class reachability.
 */
export function distancesTo(moves: AttackMoves, targets: Iterable<string>, definiteOnly: boolean): Distances {
  const nodes = new Map<string, number>();
  const groups = new Map<MoveGroup, number>();
  const classes = new Float64Array(moves.classes().length).fill(Infinity);
  let hub = Infinity;
  const heap = new MinHeap<string | MoveGroup | number | typeof EVERY_POD>();
  const relax = (node: string, cost: number): void => {
    const known = nodes.get(node);
    if (known !== undefined && known <= cost) return;
    nodes.set(node, cost);
    heap.push(cost, node);
  };
  // A node is expanded once: at the cost it was last relaxed to (a smaller one pops first, and no two pushes share a cost).
  const expand = (node: string, cost: number): void => {
    for (const {node: source, attributes} of moves.edgesInto(node)) {
      if (!definiteOnly || attributes.certainty === 'definite') relax(source, cost + attributes.cost);
    }
    for (const group of moves.groupsTo(node)) {
      if ((groups.get(group) ?? Infinity) <= cost) continue;
      groups.set(group, cost);
      heap.push(cost, group);
    }
    const cls = moves.classOf(node);
    if (!cls) return;
    const step = moves.stepInto(cls);
    if (definiteOnly && step.certainty !== 'definite') return;
    if (classes[cls.index]! > cost) {
      classes[cls.index] = cost;
      heap.push(cost, cls.index);
    }
    // Node-local reach goes both ways.
    for (const pod of moves.nodeLocal(node)) relax(pod, cost + step.cost);
  };
  for (const target of targets) relax(target, 0);
  for (let next = heap.pop(); next; next = heap.pop()) {
    const {priority: cost, item} = next;
    if (typeof item === 'string') {
      if (nodes.get(item) === cost) expand(item, cost);
    } else if (typeof item === 'number') {
      const through = cost + moves.stepInto(moves.classes()[item]!).cost;
      if (hub > through) heap.push((hub = through), EVERY_POD);
    } else if (item === EVERY_POD) {
      // Pushed only when the hub drops, and never below what is popped: the one at the hub's final cost is the only one expanded.
      if (hub !== cost) continue;
      // Every pod at one cost, the cheapest left in the queue: expanded here in turn, as popping each would.
      for (const cls of moves.classes()) {
        for (const pod of cls.pods) {
          const known = nodes.get(pod);
          if (known !== undefined && known <= cost) continue;
          nodes.set(pod, cost);
          expand(pod, cost);
        }
      }
    } else if (groups.get(item) === cost) {
      for (const {source, cost: moveCost, certainty} of item.sources) if (!definiteOnly || certainty === 'definite') relax(source, cost + moveCost);
    }
  }
  const finiteClasses = new Uint32Array(Math.ceil(classes.length / 32));
  classes.forEach((cost, index) => {
    if (cost < Infinity) finiteClasses[index >>> 5]! |= 1 << (index & 31);
  });
  return {
    node: (id) => nodes.get(id) ?? Infinity,
    group: (group) => groups.get(group) ?? Infinity,
    cls: (index) => classes[index]!,
    anyClass: hub,
    finiteClasses,
  };
}

/** What a spur search may not use: root nodes, and moves out of a node (by target and technique) earlier paths took. */
interface Restrictions {
  nodes: ReadonlySet<string>;
  moves: ReadonlyMap<string, ReadonlySet<string>>;
}

const NO_RESTRICTIONS: Restrictions = {nodes: new Set(), moves: new Map()};
const moveKey = (target: string, technique: string): string => `${target}\u0000${technique}`;

/** How a node was reached: the edge, or the grouped rule or network move whose edge is worked out for a reported path only. */
interface Label {
  cost: number;
  hops: number;
  from?: string;
  edge?: AttackEdge;
  rule?: EdgeRule;
}

/** One move to many nodes at one cost: a grant group of a rule, or a network class's pods. */
interface Relay {
  targets: readonly string[];
  technique: string;
  /** The grouped rule; none for network. */
  rule?: EdgeRule;
  /** Moves the spur node may not take: such a relay is the spur node's own. */
  banned?: ReadonlySet<string>;
  bound: number;
}

interface RelayLabel extends Label {
  from: string;
  expanded: boolean;
}

/** A move out of a node, by what it adds to the estimate: to a node along a graph edge or node-local reach, or to a grant group. */
interface Move {
  estimate: number;
  cost: number;
  certainty: string;
  technique: string;
  target?: string;
  /** The graph edge; none for node-local reach, whose edge is worked out for a reported path only. */
  attributes?: AttackEdgeAttributes;
  relay?: Relay;
}

/**
 * The moves out of each node, cheapest estimate first, and each class's network
 * destinations, most promising first: worked out once per node and class for the
 * targets the distances lead to, and shared by every search towards them.
 */
class MoveOrder {
  private readonly byNode = new Map<string, readonly Move[]>();
  private readonly byClass = new Map<number, Int32Array>();
  private readonly groupRelays = new Map<MoveGroup, Relay>();
  private readonly classRelays = new Map<number, Relay>();

  constructor(
    private readonly moves: AttackMoves,
    private readonly distances: Distances,
  ) {}

  of(node: string): readonly Move[] {
    let list = this.byNode.get(node);
    if (list) return list;
    const found: Move[] = [];
    for (const {node: target, attributes} of this.moves.edgesOutOf(node)) {
      const bound = this.distances.node(target);
      if (bound < Infinity) found.push({estimate: attributes.cost + bound, cost: attributes.cost, certainty: attributes.certainty, technique: attributes.technique, target, attributes});
    }
    for (const {rule, group, cost, certainty} of this.moves.groupsFrom(node)) {
      const relay = this.groupRelay(rule, group);
      if (relay.bound < Infinity) found.push({estimate: cost + relay.bound, cost, certainty, technique: rule.id, relay});
    }
    for (const pod of this.moves.nodeLocal(node)) {
      const bound = this.distances.node(pod);
      const step = this.moves.stepInto(this.moves.classOf(pod)!);
      if (bound < Infinity) found.push({estimate: step.cost + bound, cost: step.cost, certainty: step.certainty, technique: NETWORK_TECHNIQUE, target: pod});
    }
    // Stable: equal estimates keep the graph's, then the rules', order.
    found.sort((a, b) => a.estimate - b.estimate);
    this.byNode.set(node, (list = found));
    return list;
  }

  /** What the step into a class and its bound add to the cost so far. */
  classEstimate(index: number): number {
    return this.moves.stepInto(this.moves.classes()[index]!).cost + this.distances.cls(index);
  }

  /** The classes a class reaches whose pods can still get to the targets, by step and bound, then index. */
  network(cls: NetworkClass): Int32Array {
    let order = this.byClass.get(cls.index);
    if (order) return order;
    const reach = this.moves.reachableFrom(cls).words;
    const finite = this.distances.finiteClasses;
    const found: number[] = [];
    for (let w = 0; w < reach.length; w++) {
      let bits = reach[w]! & finite[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        found.push(w * 32 + (31 - Math.clz32(low)));
      }
    }
    order = Int32Array.from(found).sort((a, b) => this.classEstimate(a) - this.classEstimate(b) || a - b);
    this.byClass.set(cls.index, order);
    return order;
  }

  groupRelay(rule: EdgeRule, group: MoveGroup): Relay {
    let relay = this.groupRelays.get(group);
    if (!relay) this.groupRelays.set(group, (relay = {targets: group.targets, technique: rule.id, rule, bound: this.distances.group(group)}));
    return relay;
  }

  classRelay(index: number): Relay {
    let relay = this.classRelays.get(index);
    if (!relay) this.classRelays.set(index, (relay = {targets: this.moves.classes()[index]!.pods, technique: NETWORK_TECHNIQUE, bound: this.distances.cls(index)}));
    return relay;
  }
}

const moveOrders = new WeakMap<Distances, WeakMap<AttackMoves, MoveOrder>>();

function moveOrderOf(moves: AttackMoves, distances: Distances): MoveOrder {
  let byMoves = moveOrders.get(distances);
  if (!byMoves) moveOrders.set(distances, (byMoves = new WeakMap()));
  let order = byMoves.get(moves);
  if (!order) byMoves.set(moves, (order = new MoveOrder(moves, distances)));
  return order;
}

/** Where a settled node's moves stand: the next one is taken when its estimate comes first in the queue. */
interface Cursor {
  node: string;
  cost: number;
  hops: number;
  banned?: ReadonlySet<string>;
  index: number;
  /** The node's moves; or its class, and once the cursor first comes up, the class's network destinations. */
  moves?: readonly Move[];
  cls?: number;
  classes?: Int32Array;
}

/**
 * A* from the sources to the first target reached by a path of at least one step (a
 * spur's root has taken `rootHops` already), or every node reached when `isTarget` is
 * never true. A settled node's moves
 * are taken one at a time, most promising first, so a node with thousands of moves
 * (the Internet, an identity with a cluster-wide grant) costs only those that could
 * still lead to a path. Leaves out what would cost more than `limit`.
 */
function search(
  moves: AttackMoves,
  sources: readonly string[],
  isTarget: (node: string) => boolean,
  options: SearchOptions,
  distances: Distances,
  restrictions: Restrictions = NO_RESTRICTIONS,
  rootHops = 0,
  limit = Infinity,
): {found?: string; labels: Map<string, Label>; settled: Set<string>} {
  const order = moveOrderOf(moves, distances);
  const labels = new Map<string, Label>();
  const settled = new Set<string>();
  const relayLabels = new Map<Relay, RelayLabel>();
  const heap = new MinHeap<string | Relay | Cursor>();
  const classes = moves.classes();
  const expandedAt = new Float64Array(classes.length).fill(Infinity);
  const restricted = restrictions.nodes.size > 0;
  // Among equal estimates, the deeper node first: A* then runs down one cheapest path.
  const push = (cost: number, estimate: number, item: string | Relay | Cursor): boolean => {
    if (estimate > limit) return false;
    heap.push(estimate, item, -cost);
    return true;
  };
  const relax = (node: string, cost: number, hops: number, how: Omit<Label, 'cost' | 'hops'>): void => {
    const known = labels.get(node);
    if ((known && known.cost <= cost) || (restricted && restrictions.nodes.has(node))) return;
    if (push(cost, cost + distances.node(node), node)) labels.set(node, {cost, hops, ...how});
  };
  const relaxRelay = (relay: Relay, cost: number, hops: number, from: string): void => {
    const known = relayLabels.get(relay);
    if (known && known.cost <= cost) return;
    if (push(cost, cost + relay.bound, relay)) relayLabels.set(relay, {cost, hops, from, expanded: false});
  };
  // The spur node's own relays leave out the moves earlier paths took from it.
  const ownRelay = (relay: Relay, banned?: ReadonlySet<string>): Relay => (banned ? {...relay, banned} : relay);
  /** The estimate of a cursor's next move, if it has one. */
  const next = (cursor: Cursor): number | undefined => {
    if (cursor.moves) return cursor.index < cursor.moves.length ? cursor.cost + cursor.moves[cursor.index]!.estimate : undefined;
    return cursor.index < cursor.classes!.length ? cursor.cost + order.classEstimate(cursor.classes![cursor.index]!) : undefined;
  };
  const advance = (cursor: Cursor): void => {
    const estimate = next(cursor);
    if (estimate !== undefined) push(cursor.cost, estimate, cursor);
  };
  const take = (cursor: Cursor): void => {
    const {node, cost, hops, banned} = cursor;
    if (cursor.classes) {
      const index = cursor.classes[cursor.index]!;
      relaxRelay(ownRelay(order.classRelay(index), banned), cost + moves.stepInto(classes[index]!).cost, hops, node);
      return;
    }
    const move = cursor.moves![cursor.index]!;
    if (options.definiteOnly && move.certainty !== 'definite') return;
    if (move.relay) relaxRelay(ownRelay(move.relay, banned), cost + move.cost, hops, node);
    else if (!banned?.has(moveKey(move.target!, move.technique))) {
      relax(move.target!, cost + move.cost, hops, move.attributes ? {from: node, edge: {source: node, target: move.target!, attributes: move.attributes}} : {from: node});
    }
  };

  for (const source of sources) relax(source, 0, 0, {});
  for (let entry = heap.pop(); entry; entry = heap.pop()) {
    const item = entry.item;
    if (typeof item !== 'string') {
      if ('index' in item) {
        if (item.cls !== undefined && !item.classes) {
          item.classes = order.network(classes[item.cls]!);
          advance(item);
          continue;
        }
        take(item);
        item.index++;
        advance(item);
        continue;
      }
      const label = relayLabels.get(item)!;
      if (label.expanded || label.cost !== -entry.tie) continue;
      label.expanded = true;
      const how = item.rule ? {from: label.from, rule: item.rule} : {from: label.from};
      for (const target of item.targets) {
        if (target !== label.from && !item.banned?.has(moveKey(target, item.technique))) relax(target, label.cost, label.hops, how);
      }
      continue;
    }
    const node = item;
    if (settled.has(node)) continue;
    settled.add(node);
    const label = labels.get(node)!;
    if (rootHops + label.hops >= 1 && isTarget(node)) return {found: node, labels, settled};
    if (rootHops + label.hops >= options.maxDepth) continue;
    const banned = restrictions.moves.get(node);
    const cursor = {node, cost: label.cost, hops: label.hops + 1, banned, index: 0};
    advance({...cursor, moves: order.of(node)});
    const cls = moves.classOf(node);
    // Every pod of a class reaches the same classes: a class's destinations are walked again only from a cheaper pod.
    if (!cls || distances.anyClass === Infinity || (!banned && expandedAt[cls.index]! <= label.cost)) continue;
    if (!banned) expandedAt[cls.index] = label.cost;
    // The network cursor starts at the cheapest class any pod could lead to; its real order is worked out when it comes first.
    push(label.cost, label.cost + distances.anyClass, {...cursor, cls: cls.index});
  }
  return {labels, settled};
}

/** The path to a settled node, its grouped and network steps worked out with their evidence. */
function pathTo(moves: AttackMoves, labels: Map<string, Label>, target: string): AttackPath {
  const steps: PathStep[] = [];
  let node = target;
  for (let label = labels.get(node)!; label.from !== undefined; label = labels.get(node)!) {
    const edge = label.edge ?? (label.rule ? moves.edgeBetween(label.rule, label.from, node) : moves.networkEdge(label.from, node));
    steps.push({from: label.from, to: node, attributes: edge.attributes});
    node = label.from;
  }
  steps.reverse();
  return {source: node, target, cost: costOf(steps), steps};
}

const costOf = (steps: readonly PathStep[]): number => steps.reduce((sum, step) => sum + step.attributes.cost, 0);
const pathKey = (path: AttackPath): string => [path.source, ...path.steps.map((s) => `${s.attributes.technique}\u0000${s.to}`)].join('\u0001');
const nodesOf = (path: AttackPath): string[] => [path.source, ...path.steps.map((s) => s.to)];

/** The cheapest path from the sources to a target, if any costs at most `limit`. */
function cheapest(moves: AttackMoves, sources: readonly string[], targets: ReadonlySet<string>, options: SearchOptions, distances: Distances, restrictions?: Restrictions, rootHops = 0, limit = Infinity) {
  const {found, labels} = search(moves, sources, (node) => targets.has(node), options, distances, restrictions, rootHops, limit);
  return found === undefined ? undefined : pathTo(moves, labels, found);
}

/**
 * Yen's K cheapest loop-free paths. The sources act as one start: spurring there
 * looks for a path from a source no earlier path started at; spurring at a path's
 * i-th node keeps its first i steps and bans the moves earlier paths with that root
 * took next. Once enough candidates are known, a spur search stops at the dearest
 * of those still needed. `distances` (from `distancesTo` for these targets and
 * options) may be passed when several searches share the targets.
 */
export function cheapestPaths(
  moves: AttackMoves,
  sources: readonly string[],
  targets: ReadonlySet<string>,
  options: SearchOptions,
  distances: Distances = distancesTo(moves, targets, options.definiteOnly),
): AttackPath[] {
  const first = cheapest(moves, sources, targets, options, distances);
  if (!first || options.maxPaths < 1) return [];
  const accepted = [first];
  const seen = new Set([pathKey(first)]);
  const candidates = new MinHeap<AttackPath>();
  // Candidate costs, ascending: the bound on what is still worth finding.
  const candidateCosts: number[] = [];
  const offer = (path: AttackPath | undefined): void => {
    if (!path || seen.has(pathKey(path))) return;
    seen.add(pathKey(path));
    candidates.push(path.cost, path);
    let at = candidateCosts.length;
    while (at > 0 && candidateCosts[at - 1]! > path.cost) at--;
    candidateCosts.splice(at, 0, path.cost);
  };
  const limit = (): number => candidateCosts[options.maxPaths - accepted.length - 1] ?? Infinity;
  while (accepted.length < options.maxPaths) {
    const previous = accepted[accepted.length - 1]!;
    const nodes = nodesOf(previous);
    const usedSources = new Set(accepted.map((path) => path.source));
    offer(cheapest(moves, sources.filter((source) => !usedSources.has(source)), targets, options, distances, undefined, 0, limit()));
    for (let i = 0; i < nodes.length - 1; i++) {
      const root = nodes.slice(0, i + 1);
      const banned = new Set<string>();
      for (const path of accepted) {
        const pathNodes = nodesOf(path);
        if (pathNodes.length > i + 1 && root.every((node, j) => pathNodes[j] === node)) banned.add(moveKey(pathNodes[i + 1]!, path.steps[i]!.attributes.technique));
      }
      const restrictions: Restrictions = {nodes: new Set(root.slice(0, i)), moves: new Map([[nodes[i]!, banned]])};
      const rootCost = costOf(previous.steps.slice(0, i));
      const spur = cheapest(moves, [nodes[i]!], targets, options, distances, restrictions, i, limit() - rootCost);
      if (spur) {
        const steps = [...previous.steps.slice(0, i), ...spur.steps];
        offer({source: previous.source, target: spur.target, cost: costOf(steps), steps});
      }
    }
    const next = candidates.pop();
    if (!next) break;
    candidateCosts.shift();
    accepted.push(next.item);
  }
  return accepted;
}

/** How far the sources get: every node a search reaches, with its cost, cheapest first. */
export function reachedFrom(moves: AttackMoves, sources: readonly string[], options: SearchOptions): Array<{node: string; cost: number}> {
  const {labels, settled} = search(moves, sources, () => false, options, noDistances(moves, options.definiteOnly));
  return [...settled]
    .filter((node) => labels.get(node)!.hops > 0)
    .map((node) => ({node, cost: labels.get(node)!.cost}))
    .sort((a, b) => a.cost - b.cost || compareStrings(a.node, b.node));
}
