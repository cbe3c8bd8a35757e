/**
 * kubepath graph JSON
 * ===================
 *
 * `graph -o json`: `{"nodes":[{"id","kind","name","namespace",...}],"edges":[{"source",
 * "target","type","attack",...}]}`, the edges rules are asked for per source included
 * (they are not held in the graph), nodes by id, edges by source, target, type and
 * then their attributes, so the same graph always gives the same bytes.
 */
import type {AttackEdge} from '../edges/rule.js';
import type {EdgeAttributes, KubeGraph} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import {joined} from './chunks.js';
import {jsonItems} from './json-stream.js';

export interface GraphJson {
  nodes: Array<Record<string, unknown>>;
  edges: Array<Record<string, unknown>>;
}

interface Entry {
  edge: Record<string, unknown>;
  order: string;
  rest: Record<string, unknown>;
  restKey?: string;
}

const restKey = (entry: Entry): string => (entry.restKey ??= JSON.stringify(entry.rest));

/** The graph's nodes and edges, and the edges rules are asked for per source (`listed`, which the graph does not hold). */
export function graphToJson(graph: KubeGraph, listed: Iterable<AttackEdge> = []): GraphJson {
  const nodes = graph
    .mapNodes((_key, attributes) => ({...attributes}))
    .sort((a, b) => compareStrings(a.id, b.id));
  const entry = (source: string, target: string, attributes: EdgeAttributes): Entry => {
    const {type, attack, ...rest} = attributes;
    return {edge: {source, target, type, attack, ...rest}, order: `${source}\u0000${target}\u0000${type}`, rest};
  };
  const entries = graph.mapEdges((_key, attributes, source, target) => entry(source, target, attributes));
  for (const {source, target, attributes} of listed) entries.push(entry(source, target, attributes));
  // Ends and type order almost every pair; the attributes' JSON (evidence can be long) only parallel edges.
  const edges = entries.sort((a, b) => compareStrings(a.order, b.order) || compareStrings(restKey(a), restKey(b))).map(({edge}) => edge);
  return {nodes, edges};
}

/** One node or edge per line: readable, diffable, and never one giant string. */
export function* graphJsonChunks(json: GraphJson): Generator<string> {
  yield* joined(
    (function* () {
      yield '{"nodes":[';
      yield* jsonItems(json.nodes);
      yield '\n],"edges":[';
      yield* jsonItems(json.edges);
      yield '\n]}\n';
    })(),
  );
}
