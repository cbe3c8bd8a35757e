/**
 * Path search against a reference: every loop-free path up to a cost, enumerated by
 * depth-first search over the edges as the rules list them one by one (the graph's
 * attack edges, `edgesFrom` of every per-source rule and of pod-to-pod reach), with no
 * groups, class relays, A* bounds or Yen pruning. The K paths kubepath reports must
 * cost exactly what the K cheapest reference paths cost, and each must be one of them.
 */
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {RULES} from '../src/edges/index.js';
import type {AttackEdge} from '../src/edges/rule.js';
import {selectNodes} from '../src/graph/selector.js';
import type {AttackMoves} from '../src/paths/moves.js';
import {cheapestPaths, type AttackPath, type SearchOptions} from '../src/paths/search.js';
import {EXAMPLE, generatedCluster} from './helpers/cli.js';
import {attackMovesOf} from './helpers/load.js';
import type {ClusterModel} from '../src/graph/model.js';
import {readTrivyReport, type ScannedImage} from '../src/vulns/trivy.js';

/** A scan of every third distinct image of the model, each with one CRITICAL vulnerability. */
function everyThirdImageCritical(model: ClusterModel): ScannedImage[] {
  const images = [...new Set(model.pods.flatMap((pod) => pod.spec.containers.map((container) => container.image ?? '')))]
    .filter(Boolean)
    .sort();
  return images
    .filter((_image, index) => index % 3 === 0)
    .map((image, index) => ({
      file: 'generated',
      at: `[${index}]`,
      names: [image],
      ids: [],
      vulnerabilities: [{id: `CVE-2099-${index}`, severity: 'CRITICAL', package: 'libexample', attackVectors: ['N']}],
    }));
}

/** Every attack edge out of each node, listed edge by edge. */
function edgeLists(moves: AttackMoves): Map<string, AttackEdge[]> {
  const out = new Map<string, AttackEdge[]>();
  const add = (edge: AttackEdge): void => {
    const list = out.get(edge.source);
    if (list) list.push(edge);
    else out.set(edge.source, [edge]);
  };
  moves.graph.forEachEdge((_key, attributes, source, target) => {
    if (attributes.attack) add({source, target, attributes: attributes as AttackEdge['attributes']});
  });
  for (const rule of RULES) {
    if (!rule.edgesFrom) continue;
    const sources = rule.sources ? rule.sources(moves.context) : [...moves.context.model.podsById.keys()];
    for (const source of sources) for (const edge of rule.edgesFrom(moves.context, source)) add(edge);
  }
  return out;
}

/** Costs of every loop-free path from the sources to a first target, at most `limit`, and their keys. */
function referencePaths(
  edges: Map<string, AttackEdge[]>,
  sources: string[],
  targets: Set<string>,
  limit: number,
  options: SearchOptions,
): Map<string, number> {
  const found = new Map<string, number>();
  const onPath = new Set<string>();
  const steps: string[] = [];
  const walk = (node: string, cost: number): void => {
    if (steps.length > 0 && targets.has(node)) {
      found.set(steps.join('|'), cost);
      return;
    }
    if (steps.length >= options.maxDepth) return;
    onPath.add(node);
    for (const edge of edges.get(node) ?? []) {
      const next = cost + edge.attributes.cost;
      if (next > limit || onPath.has(edge.target)) continue;
      if (options.definiteOnly && edge.attributes.certainty !== 'definite') continue;
      steps.push(`${node} ${edge.attributes.technique} ${edge.target}`);
      walk(edge.target, next);
      steps.pop();
    }
    onPath.delete(node);
  };
  for (const source of sources) walk(source, 0);
  return found;
}

const keyOf = (path: AttackPath): string => path.steps.map((s) => `${s.from} ${s.attributes.technique} ${s.to}`).join('|');

function expectAsReference(
  moves: AttackMoves,
  edges: Map<string, AttackEdge[]>,
  from: string[],
  to: string[],
  options: SearchOptions,
): void {
  const sources = selectNodes(moves.graph, from, '--from');
  const targets = new Set(selectNodes(moves.graph, to, '--to'));
  const paths = cheapestPaths(moves, sources, targets, options);
  const limit = paths.length === options.maxPaths ? paths[paths.length - 1]!.cost : Infinity;
  // Without a full answer, the reference must find nothing more: bound it by depth alone (few such queries).
  const reference = referencePaths(edges, sources, targets, limit === Infinity ? 40 : limit, options);
  const cheapest = [...reference.values()].sort((a, b) => a - b).slice(0, options.maxPaths);
  const query = `${from.join(',')} -> ${to.join(',')}${options.definiteOnly ? ' (definite)' : ''}`;
  expect(
    paths.map((path) => path.cost),
    query,
  ).toEqual(cheapest);
  for (const path of paths) {
    expect(reference.get(keyOf(path)), `${query}: ${keyOf(path)} is a path the edges allow, at its cost`).toBe(path.cost);
  }
}

const QUERIES: Array<[string[], string[]]> = [
  [['internet'], ['cluster-admin']],
  [['internet'], ['secret:*']],
  [['internet'], ['node:*']],
  [['ns:payments'], ['cluster-admin']],
  [['ns:shop'], ['ns:kube-system']],
  [['sa:*'], ['node:*']],
];

describe('path search agrees with every path enumerated edge by edge', () => {
  let example: AttackMoves;
  let exampleEdges: Map<string, AttackEdge[]>;
  beforeAll(async () => {
    example = await attackMovesOf(EXAMPLE);
    exampleEdges = edgeLists(example);
  });

  for (const [from, to] of QUERIES) {
    for (const definiteOnly of [false, true]) {
      it(`examples/multi-tenant: ${from} -> ${to}${definiteOnly ? ', definite only' : ''}`, () => {
        expectAsReference(example, exampleEdges, from, to, {maxPaths: 6, maxDepth: 8, definiteOnly});
      });
    }
  }

  it('a generated cluster of 120 pods: from the Internet and from pods, to cluster-admin, nodes and secrets', async () => {
    const moves = await attackMovesOf(generatedCluster(120, 7));
    const edges = edgeLists(moves);
    for (const to of [['cluster-admin'], ['node:*'], ['secret:*']]) {
      for (const from of [['internet'], ['pod:*']])
        expectAsReference(moves, edges, from, to, {maxPaths: 4, maxDepth: 6, definiteOnly: false});
    }
  });

  // Known flaws price network steps per class (2, definite) against the assumed ones (3, conditional).
  it('with a vulnerability report: the example, and a generated cluster where every third image has a CRITICAL vulnerability', async () => {
    const cases: Array<[AttackMoves, Array<[string[], string[]]>]> = [
      [await attackMovesOf(EXAMPLE, () => readTrivyReport(join(EXAMPLE, '..', 'vulns', 'trivy-k8s.json'))), QUERIES],
      [
        await attackMovesOf(generatedCluster(120, 7), everyThirdImageCritical),
        [
          [['internet'], ['secret:*']],
          [['pod:*'], ['node:*']],
          [['ns:*'], ['cluster-admin']],
        ],
      ],
    ];
    for (const [moves, queries] of cases) {
      expect(moves.classes().some((cls) => cls.knownFlaw)).toBe(true);
      const edges = edgeLists(moves);
      for (const [from, to] of queries) {
        for (const definiteOnly of [false, true]) expectAsReference(moves, edges, from, to, {maxPaths: 5, maxDepth: 7, definiteOnly});
      }
    }
  });
});
