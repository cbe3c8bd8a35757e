/**
 * kubepath graph JSON
 * ===================
 *
 * `graph -o json`: `{"nodes":[{"id","kind","name","namespace",...}],"edges":[{"source",
 * "target","type","attack",...}]}`, the edges rules are asked for per source included
 * (they are not held in the graph), nodes by id, edges by source, target, type and
 * then their attributes, so the same graph always gives the same bytes. Edges are made
 * and written source by source: the listed ones outnumber the graph's many times over.
 */
import type {RuleContext} from '../engines/context.js';
import type {EdgeRule} from '../edges/rule.js';
import type {EdgeAttributes, KubeGraph} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';
import {joined} from './chunks.js';
import {jsonItems} from './json-stream.js';

export interface GraphJson {
  nodes: Array<Record<string, unknown>>;
  edges: Array<Record<string, unknown>>;
}

/** The rules whose edges are asked for per source (not held in the graph), and what they read. */
export interface ListedEdges {
  rules: readonly EdgeRule[];
  context: RuleContext;
}

interface Entry {
  edge: Record<string, unknown>;
  order: string;
  rest: Record<string, unknown>;
  restKey?: string;
}

const restKey = (entry: Entry): string => (entry.restKey ??= JSON.stringify(entry.rest));

/** The graph's nodes, by id. */
export function graphNodes(graph: KubeGraph): Array<Record<string, unknown>> {
  return graph.mapNodes((_key, attributes) => ({...attributes})).sort((a, b) => compareStrings(a.id, b.id));
}

/**
 * The graph's edges and the listed ones, source by source in id order, each source's by
 * target, type and then attributes: only one source's edges are held at a time (a
 * cluster-wide grant lists an edge to every pod, for every identity holding it).
 */
export function* graphEdges(graph: KubeGraph, listed?: ListedEdges): Generator<Record<string, unknown>> {
  const rulesOf = new Map<string, EdgeRule[]>();
  for (const rule of listed?.rules ?? []) {
    if (!rule.sources || !rule.edgesFrom) continue;
    for (const source of rule.sources(listed!.context)) pushTo(rulesOf, source, rule);
  }
  const sources = [...new Set([...graph.nodes(), ...rulesOf.keys()])].sort(compareStrings);
  const entry = (source: string, target: string, attributes: EdgeAttributes): Entry => {
    const {type, attack, ...rest} = attributes;
    return {edge: {source, target, type, attack, ...rest}, order: `${source}\u0000${target}\u0000${type}`, rest};
  };
  for (const source of sources) {
    const entries = graph.hasNode(source)
      ? graph.mapOutEdges(source, (_key, attributes, from, target) => entry(from, target, attributes))
      : [];
    for (const rule of rulesOf.get(source) ?? []) {
      for (const {target, attributes} of rule.edgesFrom!(listed!.context, source)) entries.push(entry(source, target, attributes));
    }
    // Ends and type order almost every pair; the attributes' JSON (evidence can be long) only parallel edges.
    entries.sort((a, b) => compareStrings(a.order, b.order) || compareStrings(restKey(a), restKey(b)));
    for (const {edge} of entries) yield edge;
  }
}

/** The whole graph as data: its nodes and edges, the listed ones included. */
export function graphToJson(graph: KubeGraph, listed?: ListedEdges): GraphJson {
  return {nodes: graphNodes(graph), edges: [...graphEdges(graph, listed)]};
}

/** One node or edge per line, written as made: readable, diffable, and never one giant string. */
export function graphJsonChunks(graph: KubeGraph, listed?: ListedEdges): Generator<string> {
  function* text(): Generator<string> {
    yield '{"nodes":[';
    yield* jsonItems(graphNodes(graph));
    yield '\n],"edges":[';
    yield* jsonItems(graphEdges(graph, listed));
    yield '\n]}\n';
  }
  return joined(text());
}
