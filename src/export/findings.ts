/**
 * kubepath findings as graph
 * ==========================
 *
 * What the exports add to the graph so that analysts find `analyze`'s conclusions in
 * Neo4j beside the graph they came from:
 *
 * - a `Finding` node per finding (`finding:<finding id>`), with `analyze -o json`'s
 *   fields (its cheapest path, root cause and fixes as JSON text), and `FINDING_PATH`
 *   relationships to each node of its cheapest path, numbered by `order` from 0 (the
 *   entry point);
 * - a `Fix` node per suggested change (`fix:<fix id>`), with `CUTS` relationships to the
 *   findings it cuts (`paths`: how many of that finding's paths); the choke points carry
 *   their rank and how many paths of all findings they cut;
 * - the pod-to-pod `CAN_REACH` edges the findings' paths take. The graph leaves pod-to-pod
 *   reach out (one edge per reachable pair would not fit: docs/graph.md), so without
 *   them a finding's path could not be walked in Cypher.
 */
import type {Analysis} from '../paths/analysis.js';
import {NETWORK_TECHNIQUE} from '../paths/moves.js';
import type {PathStep} from '../paths/search.js';
import {findingToJson} from '../output/findings.js';
import type {GraphJson} from '../output/graph-json.js';
import {compareStrings} from '../util/order.js';

export const findingNodeId = (findingId: string): string => `finding:${findingId}`;
export const fixNodeId = (fixId: string): string => `fix:${fixId}`;

type FindingsInput = Pick<Analysis, 'graph' | 'findings' | 'chokePoints'>;

/** The findings, fixes and path edges as `graph -o json` nodes and edges, sorted as it sorts them. */
export function findingsGraphJson({graph, findings, chokePoints}: FindingsInput): GraphJson {
  const nodes: Array<Record<string, unknown>> = [];
  const edges: Array<Record<string, unknown>> = [];
  const fixes = new Map<string, Record<string, unknown>>();
  findings.forEach((finding, index) => {
    const {id, ...fields} = findingToJson(finding);
    const node = findingNodeId(finding.id);
    nodes.push({
      id: node,
      kind: 'Finding',
      name: finding.title,
      findingId: id,
      rank: index + 1,
      source: finding.path.source,
      target: finding.path.target,
      ...fields,
    });
    [finding.path.source, ...finding.path.steps.map((step) => step.to)].forEach((onPath, order) => {
      // `any pod` (--assume-breach all) is an entry point, not a node.
      if (graph.hasNode(onPath)) edges.push({source: node, target: onPath, type: 'FINDING_PATH', attack: false, order});
    });
    for (const fix of finding.fixes) {
      if (!fixes.has(fix.id))
        fixes.set(fix.id, {id: fixNodeId(fix.id), kind: 'Fix', name: fix.action, fixId: fix.id, action: fix.action, object: fix.object});
      edges.push({source: fixNodeId(fix.id), target: node, type: 'CUTS', attack: false, paths: fix.paths, of: finding.paths});
    }
  });
  chokePoints.forEach((fix, index) => {
    const node = fixes.get(fix.id) ?? {
      id: fixNodeId(fix.id),
      kind: 'Fix',
      name: fix.action,
      fixId: fix.id,
      action: fix.action,
      object: fix.object,
    };
    fixes.set(fix.id, Object.assign(node, {chokePointRank: index + 1, chokePointPaths: fix.paths}));
  });
  nodes.push(...fixes.values());
  edges.push(...networkSteps(findings.flatMap((finding) => finding.path.steps)));
  nodes.sort((a, b) => compareStrings(String(a.id), String(b.id)));
  edges.sort((a, b) => compareStrings(edgeOrder(a), edgeOrder(b)));
  return {nodes, edges};
}

/** The pod-to-pod network moves among the steps, once each, as graph edges. */
function networkSteps(steps: readonly PathStep[]): Array<Record<string, unknown>> {
  const unique = new Map<string, Record<string, unknown>>();
  for (const {from, to, attributes} of steps) {
    if (attributes.technique !== NETWORK_TECHNIQUE) continue;
    const {type, attack, ...rest} = attributes;
    unique.set(`${from}\u0000${to}`, {source: from, target: to, type, attack, ...rest});
  }
  return [...unique.values()];
}

// `order` as fixed-width digits, so step 10 sorts after step 2.
const edgeOrder = (edge: Record<string, unknown>): string =>
  `${String(edge.source)}\u0000${String(edge.target)}\u0000${String(edge.type)}\u0000${String(edge.order ?? '').padStart(6, '0')}`;
