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
import type {AttackEdgeAttributes, Certainty} from '../graph/types.js';
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
  const classes = moves.classes();
  const finiteClasses = classBits(classes.length, (index) => !definiteOnly || moves.stepInto(classes[index]!).certainty === 'definite');
  return {node: () => 0, group: () => 0, cls: () => 0, anyClass: 0, finiteClasses};
}

/** The class indexes that pass, as a bitset of 32-class words. */
function classBits(count: number, passes: (index: number) => boolean): Uint32Array {
  const bits = new Uint32Array(Math.ceil(count / 32));
  for (let index = 0; index < count; index++) if (passes(index)) bits[index >>> 5]! |= 1 << (index & 31);
  return bits;
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
      for (const {source, cost: moveCost, certainty} of item.sources)
        if (!definiteOnly || certainty === 'definite') relax(source, cost + moveCost);
    }
  }
  return {
    node: (id) => nodes.get(id) ?? Infinity,
    group: (group) => groups.get(group) ?? Infinity,
    cls: (index) => classes[index]!,
    anyClass: hub,
    finiteClasses: classBits(classes.length, (index) => classes[index]! < Infinity),
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
  kind: 'relay';
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
  certainty: Certainty;
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
      if (bound < Infinity)
        found.push({
          estimate: attributes.cost + bound,
          cost: attributes.cost,
          certainty: attributes.certainty,
          technique: attributes.technique,
          target,
          attributes,
        });
    }
    for (const {rule, group, cost, certainty} of this.moves.groupsFrom(node)) {
      const relay = this.groupRelay(rule, group);
      if (relay.bound < Infinity) found.push({estimate: cost + relay.bound, cost, certainty, technique: rule.id, relay});
    }
    for (const pod of this.moves.nodeLocal(node)) {
      const bound = this.distances.node(pod);
      const step = this.moves.stepInto(this.moves.classOf(pod)!);
      if (bound < Infinity)
        found.push({estimate: step.cost + bound, cost: step.cost, certainty: step.certainty, technique: NETWORK_TECHNIQUE, target: pod});
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
    if (!relay)
      this.groupRelays.set(
        group,
        (relay = {kind: 'relay', targets: group.targets, technique: rule.id, rule, bound: this.distances.group(group)}),
      );
    return relay;
  }

  classRelay(index: number): Relay {
    let relay = this.classRelays.get(index);
    if (!relay)
      this.classRelays.set(
        index,
        (relay = {
          kind: 'relay',
          targets: this.moves.classes()[index]!.pods,
          technique: NETWORK_TECHNIQUE,
          bound: this.distances.cls(index),
        }),
      );
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
interface CursorAt {
  node: string;
  cost: number;
  hops: number;
  banned?: ReadonlySet<string>;
  index: number;
}

/** A cursor over the node's moves. */
interface MoveCursor extends CursorAt {
  kind: 'moves';
  moves: readonly Move[];
}

/** A cursor over the network moves of the node's class: its destinations, worked out when the cursor first comes up. */
interface NetworkCursor extends CursorAt {
  kind: 'network';
  cls: number;
  classes?: Int32Array;
}

/** What A*'s queue holds: nodes to settle (by id: a push allocates nothing), relays to expand, and cursors over a settled node's moves. */
type Queued = string | Relay | MoveCursor | NetworkCursor;

/** One search: from the sources to the first target reached (see AStar). */
interface SearchRequest {
  moves: AttackMoves;
  options: SearchOptions;
  distances: Distances;
  sources: readonly string[];
  isTarget: (node: string) => boolean;
  /** What a spur search may not use (default: nothing barred). */
  restrictions?: Restrictions;
  /** The steps a spur's root has taken already (default 0). */
  rootHops?: number;
  /** What costs more is left out (default: nothing). */
  limit?: number;
}

/**
 * A* from the sources to the first target reached by a path of at least one step (a
 * spur's root has taken `rootHops` already), or every node reached when `isTarget` is
 * never true. A settled node's moves are taken one at a time, most promising first, so
 * a node with thousands of moves (the Internet, an identity with a cluster-wide grant)
 * costs only those that could still lead to a path. Leaves out what would cost more
 * than `limit`.
 */
class AStar {
  readonly labels = new Map<string, Label>();
  readonly settled = new Set<string>();
  private readonly relayLabels = new Map<Relay, RelayLabel>();
  private readonly heap = new MinHeap<Queued>();
  private readonly order: MoveOrder;
  private readonly classes: readonly NetworkClass[];
  /** Per class, the cheapest cost its destinations were walked at. */
  private readonly expandedAt: Float64Array;
  private readonly restrictions: Restrictions;
  private readonly restricted: boolean;
  private readonly rootHops: number;
  private readonly limit: number;

  constructor(private readonly request: SearchRequest) {
    this.order = moveOrderOf(request.moves, request.distances);
    this.classes = request.moves.classes();
    this.expandedAt = new Float64Array(this.classes.length).fill(Infinity);
    this.restrictions = request.restrictions ?? NO_RESTRICTIONS;
    this.restricted = this.restrictions.nodes.size > 0;
    this.rootHops = request.rootHops ?? 0;
    this.limit = request.limit ?? Infinity;
  }

  /** The target found, if any. */
  run(): string | undefined {
    for (const source of this.request.sources) this.relax(source, 0, 0, {});
    for (let entry = this.heap.pop(); entry; entry = this.heap.pop()) {
      const item = entry.item;
      if (typeof item === 'string') {
        if (this.settle(item)) return item;
        continue;
      }
      switch (item.kind) {
        case 'relay':
          this.expandRelay(item, -entry.tie);
          break;
        case 'network':
          // First up: the class's destinations, in their real order.
          if (!item.classes) {
            item.classes = this.order.network(this.classes[item.cls]!);
            this.advance(item);
            break;
          }
          this.takeClass(item, item.classes);
          item.index++;
          this.advance(item);
          break;
        case 'moves':
          this.takeMove(item);
          item.index++;
          this.advance(item);
          break;
      }
    }
    return undefined;
  }

  /** Settles a node unless it is settled already, and queues cursors over its moves; true when it is a target. */
  private settle(node: string): boolean {
    if (this.settled.has(node)) return false;
    this.settled.add(node);
    const label = this.labels.get(node)!;
    const {isTarget, options, distances, moves} = this.request;
    if (this.rootHops + label.hops >= 1 && isTarget(node)) return true;
    if (this.rootHops + label.hops >= options.maxDepth) return false;
    const banned = this.restrictions.moves.get(node);
    const cursor = {node, cost: label.cost, hops: label.hops + 1, banned, index: 0};
    this.advance({...cursor, kind: 'moves', moves: this.order.of(node)});
    const cls = moves.classOf(node);
    // Every pod of a class reaches the same classes: a class's destinations are walked again only from a cheaper pod.
    if (!cls || distances.anyClass === Infinity || (!banned && this.expandedAt[cls.index]! <= label.cost)) return false;
    if (!banned) this.expandedAt[cls.index] = label.cost;
    // The network cursor starts at the cheapest class any pod could lead to; its real order is worked out when it comes first.
    this.push(label.cost, label.cost + distances.anyClass, {...cursor, kind: 'network', cls: cls.index});
    return false;
  }

  /** A relay's targets, at the relay's cost, once: when it comes first at the cost it was last relaxed to. */
  private expandRelay(relay: Relay, cost: number): void {
    const label = this.relayLabels.get(relay)!;
    if (label.expanded || label.cost !== cost) return;
    label.expanded = true;
    const how = relay.rule ? {from: label.from, rule: relay.rule} : {from: label.from};
    for (const target of relay.targets) {
      if (target !== label.from && !relay.banned?.has(moveKey(target, relay.technique))) this.relax(target, label.cost, label.hops, how);
    }
  }

  // Among equal estimates, the deeper node first: A* then runs down one cheapest path.
  private push(cost: number, estimate: number, item: Queued): boolean {
    if (estimate > this.limit) return false;
    this.heap.push(estimate, item, -cost);
    return true;
  }

  private relax(node: string, cost: number, hops: number, how: Omit<Label, 'cost' | 'hops'>): void {
    const known = this.labels.get(node);
    if ((known && known.cost <= cost) || (this.restricted && this.restrictions.nodes.has(node))) return;
    if (this.push(cost, cost + this.request.distances.node(node), node)) this.labels.set(node, {cost, hops, ...how});
  }

  /** The spur node's own relays leave out the moves earlier paths took from it. */
  private relaxRelay(shared: Relay, cost: number, cursor: CursorAt): void {
    const relay = cursor.banned ? {...shared, banned: cursor.banned} : shared;
    const known = this.relayLabels.get(relay);
    if (known && known.cost <= cost) return;
    if (this.push(cost, cost + relay.bound, relay))
      this.relayLabels.set(relay, {cost, hops: cursor.hops, from: cursor.node, expanded: false});
  }

  /** Queues the cursor at the estimate of its next move, if it has one. */
  private advance(cursor: MoveCursor | NetworkCursor): void {
    let estimate: number | undefined;
    if (cursor.kind === 'moves')
      estimate = cursor.index < cursor.moves.length ? cursor.cost + cursor.moves[cursor.index]!.estimate : undefined;
    else
      estimate = cursor.index < cursor.classes!.length ? cursor.cost + this.order.classEstimate(cursor.classes![cursor.index]!) : undefined;
    if (estimate !== undefined) this.push(cursor.cost, estimate, cursor);
  }

  private takeClass(cursor: NetworkCursor, classes: Int32Array): void {
    const index = classes[cursor.index]!;
    this.relaxRelay(this.order.classRelay(index), cursor.cost + this.request.moves.stepInto(this.classes[index]!).cost, cursor);
  }

  private takeMove(cursor: MoveCursor): void {
    const {node, cost, hops, banned} = cursor;
    const move = cursor.moves[cursor.index]!;
    if (this.request.options.definiteOnly && move.certainty !== 'definite') return;
    if (move.relay) this.relaxRelay(move.relay, cost + move.cost, cursor);
    else if (!banned?.has(moveKey(move.target!, move.technique))) {
      this.relax(
        move.target!,
        cost + move.cost,
        hops,
        move.attributes ? {from: node, edge: {source: node, target: move.target!, attributes: move.attributes}} : {from: node},
      );
    }
  }
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
const pathKey = (path: AttackPath): string =>
  [path.source, ...path.steps.map((s) => `${s.attributes.technique}\u0000${s.to}`)].join('\u0001');
const nodesOf = (path: AttackPath): string[] => [path.source, ...path.steps.map((s) => s.to)];

/** The cheapest path from the sources to a target, if any costs at most the request's limit. */
function cheapest(request: SearchRequest): AttackPath | undefined {
  const search = new AStar(request);
  const found = search.run();
  return found === undefined ? undefined : pathTo(request.moves, search.labels, found);
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
  const isTarget = (node: string): boolean => targets.has(node);
  const request = {moves, options, distances, isTarget};
  const first = cheapest({...request, sources});
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
    offer(cheapest({...request, sources: sources.filter((source) => !usedSources.has(source)), limit: limit()}));
    for (let i = 0; i < nodes.length - 1; i++) {
      const root = nodes.slice(0, i + 1);
      const banned = new Set<string>();
      for (const path of accepted) {
        const pathNodes = nodesOf(path);
        if (pathNodes.length > i + 1 && root.every((node, j) => pathNodes[j] === node))
          banned.add(moveKey(pathNodes[i + 1]!, path.steps[i]!.attributes.technique));
      }
      const restrictions: Restrictions = {nodes: new Set(root.slice(0, i)), moves: new Map([[nodes[i]!, banned]])};
      const rootCost = costOf(previous.steps.slice(0, i));
      const spur = cheapest({...request, sources: [nodes[i]!], restrictions, rootHops: i, limit: limit() - rootCost});
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
  const search = new AStar({moves, options, distances: noDistances(moves, options.definiteOnly), sources, isTarget: () => false});
  search.run();
  const {labels, settled} = search;
  return [...settled]
    .filter((node) => labels.get(node)!.hops > 0)
    .map((node) => ({node, cost: labels.get(node)!.cost}))
    .sort((a, b) => a.cost - b.cost || compareStrings(a.node, b.node));
}
