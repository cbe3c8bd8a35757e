/**
 * kubepath path search
 * ====================
 *
 * The K cheapest loop-free attack paths from a set of sources to a set of targets:
 * Yen's algorithm over Dijkstra, on the moves of moves.ts (attack edges only; cost is
 * the sum of the edges' attacker-effort costs, docs/edges/README.md). A path has at
 * least one step and ends at the first target it reaches. `maxDepth` bounds the steps
 * a path may take; `definiteOnly` follows definite edges alone (network reach, which
 * assumes an exploitable service, is conditional and is then left out).
 */
import type {AttackEdge} from '../edges/rule.js';
import type {AttackEdgeAttributes} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import {MinHeap} from './heap.js';
import {NETWORK_MOVE, type AttackMoves} from './moves.js';

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

/** What a spur search may not use: root nodes, and moves out of a node (by target and technique) earlier paths took. */
interface Restrictions {
  nodes: ReadonlySet<string>;
  moves: ReadonlyMap<string, ReadonlySet<string>>;
}

const NONE: Restrictions = {nodes: new Set(), moves: new Map()};
const NETWORK_TECHNIQUE = 'POD_NETWORK_REACH';
const moveKey = (target: string, technique: string): string => `${target}\u0000${technique}`;

interface Label {
  cost: number;
  hops: number;
  from?: string;
  /** The edge taken; none for a network move, whose edge is worked out for the reported path only. */
  edge?: AttackEdge;
}

/** Dijkstra from the sources to the first target reached (with at least `minHops` steps in all), or every node reached when `isTarget` is never true. */
function dijkstra(
  moves: AttackMoves,
  sources: readonly string[],
  isTarget: (node: string) => boolean,
  options: SearchOptions,
  restrictions: Restrictions = NONE,
  rootHops = 0,
): {found?: string; labels: Map<string, Label>; settled: Set<string>} {
  const labels = new Map<string, Label>();
  const settled = new Set<string>();
  const heap = new MinHeap<string>();
  const classes = moves.classes().length;
  const expandedClasses = new Uint8Array(classes);
  // A bitset like the engine's class sets: new destinations are found a 32-class word at a time.
  const relaxedClasses = new Uint32Array(Math.ceil(classes / 32));
  for (const source of sources) {
    if (restrictions.nodes.has(source) || labels.has(source)) continue;
    labels.set(source, {cost: 0, hops: 0});
    heap.push(0, source);
  }
  const restricted = restrictions.nodes.size > 0;
  const relax = (node: string, cost: number, hops: number, from: string, edge?: AttackEdge): void => {
    // A settled node's cost is at most any later one (costs are not negative): the label test covers it.
    const known = labels.get(node);
    if (known && known.cost <= cost) return;
    if (restricted && restrictions.nodes.has(node)) return;
    labels.set(node, edge ? {cost, hops, from, edge} : {cost, hops, from});
    heap.push(cost, node);
  };
  for (let next = heap.pop(); next; next = heap.pop()) {
    const node = next.item;
    if (settled.has(node)) continue;
    settled.add(node);
    const label = labels.get(node)!;
    if (rootHops + label.hops >= 1 && isTarget(node)) return {found: node, labels, settled};
    if (rootHops + label.hops >= options.maxDepth) continue;
    const banned = restrictions.moves.get(node);
    const hops = label.hops + 1;
    for (const edge of moves.edgesFrom(node)) {
      const {certainty, cost, technique} = edge.attributes;
      if (options.definiteOnly && certainty !== 'definite') continue;
      if (banned?.has(moveKey(edge.target, technique))) continue;
      relax(edge.target, label.cost + cost, hops, node, edge);
    }
    if (options.definiteOnly) continue;
    const cls = moves.classOf(node);
    if (!cls) continue;
    const cost = label.cost + NETWORK_MOVE.cost;
    const networkBanned = (pod: string) => banned?.has(moveKey(pod, NETWORK_TECHNIQUE)) === true;
    // Every pod of a class reaches the same classes: the first one settled (the cheapest) expands them for all,
    // and a destination class relaxed once cannot be relaxed cheaper later. A pod with banned moves goes alone.
    if (banned || !expandedClasses[cls.index]) {
      if (!banned) expandedClasses[cls.index] = 1;
      const reach = moves.reachableFrom(cls).words;
      for (let w = 0; w < reach.length; w++) {
        let fresh = reach[w]! & ~relaxedClasses[w]!;
        while (fresh !== 0) {
          const low = fresh & -fresh;
          fresh ^= low;
          const d = w * 32 + (31 - Math.clz32(low));
          let skipped = false;
          for (const pod of moves.classes()[d]!.pods) {
            if (pod === node) continue;
            if (networkBanned(pod)) skipped = true;
            else relax(pod, cost, hops, node);
          }
          if (!skipped) relaxedClasses[w]! |= low;
        }
      }
    }
    for (const pod of moves.nodeLocal(node)) if (!networkBanned(pod)) relax(pod, cost, hops, node);
  }
  return {labels, settled};
}

/** The path to a settled node, its network steps worked out with their evidence. */
function pathTo(moves: AttackMoves, labels: Map<string, Label>, target: string): AttackPath {
  const steps: PathStep[] = [];
  let node = target;
  for (let label = labels.get(node)!; label.from !== undefined; label = labels.get(node)!) {
    const edge = label.edge ?? moves.networkEdge(label.from, node);
    steps.push({from: label.from, to: node, attributes: edge.attributes});
    node = label.from;
  }
  steps.reverse();
  return {source: node, target, cost: labels.get(target)!.cost, steps};
}

const pathKey = (path: AttackPath): string => [path.source, ...path.steps.map((s) => `${s.attributes.technique}\u0000${s.to}`)].join('\u0001');
const nodesOf = (path: AttackPath): string[] => [path.source, ...path.steps.map((s) => s.to)];

/** The cheapest path from the sources to a target, if any. */
function cheapest(moves: AttackMoves, sources: readonly string[], targets: ReadonlySet<string>, options: SearchOptions, restrictions?: Restrictions, rootHops = 0) {
  const {found, labels} = dijkstra(moves, sources, (node) => targets.has(node), options, restrictions, rootHops);
  return found === undefined ? undefined : pathTo(moves, labels, found);
}

/**
 * Yen's K cheapest loop-free paths. The sources act as one start: spurring there
 * looks for a path from a source no earlier path started at; spurring at a path's
 * i-th node keeps its first i steps and bans the moves earlier paths with that root
 * took next.
 */
export function cheapestPaths(moves: AttackMoves, sources: readonly string[], targets: ReadonlySet<string>, options: SearchOptions): AttackPath[] {
  const first = cheapest(moves, sources, targets, options);
  if (!first || options.maxPaths < 1) return [];
  const accepted = [first];
  const seen = new Set([pathKey(first)]);
  const candidates = new MinHeap<AttackPath>();
  const offer = (path: AttackPath | undefined): void => {
    if (!path || seen.has(pathKey(path))) return;
    seen.add(pathKey(path));
    candidates.push(path.cost, path);
  };
  while (accepted.length < options.maxPaths) {
    const previous = accepted[accepted.length - 1]!;
    const nodes = nodesOf(previous);
    const usedSources = new Set(accepted.map((path) => path.source));
    offer(cheapest(moves, sources.filter((source) => !usedSources.has(source)), targets, options));
    for (let i = 0; i < nodes.length - 1; i++) {
      const root = nodes.slice(0, i + 1);
      const banned = new Set<string>();
      for (const path of accepted) {
        const pathNodes = nodesOf(path);
        if (pathNodes.length > i + 1 && root.every((node, j) => pathNodes[j] === node)) banned.add(moveKey(pathNodes[i + 1]!, path.steps[i]!.attributes.technique));
      }
      const restrictions: Restrictions = {nodes: new Set(root.slice(0, i)), moves: new Map([[nodes[i]!, banned]])};
      const spur = cheapest(moves, [nodes[i]!], targets, options, restrictions, i);
      if (spur) {
        const steps = [...previous.steps.slice(0, i), ...spur.steps];
        offer({source: previous.source, target: spur.target, cost: steps.reduce((sum, step) => sum + step.attributes.cost, 0), steps});
      }
    }
    const next = candidates.pop();
    if (!next) break;
    accepted.push(next.item);
  }
  return accepted;
}

/** How far the sources get: every node a search reaches, with its cost, cheapest first. */
export function reachedFrom(moves: AttackMoves, sources: readonly string[], options: SearchOptions): Array<{node: string; cost: number}> {
  const {labels, settled} = dijkstra(moves, sources, () => false, options);
  return [...settled]
    .filter((node) => labels.get(node)!.hops > 0)
    .map((node) => ({node, cost: labels.get(node)!.cost}))
    .sort((a, b) => a.cost - b.cost || compareStrings(a.node, b.node));
}
