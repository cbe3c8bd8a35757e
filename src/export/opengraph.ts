/**
 * kubepath → BloodHound OpenGraph
 * ===============================
 *
 * The export records as BloodHound CE's generic OpenGraph JSON, for teams that hunt in
 * BloodHound: `{metadata: {source_kind}, graph: {nodes, edges}}`. A node's id is
 * `k8s://<cluster>/<kubepath id>`, its kinds `K8s<Kind>` and `K8sBase` (the first picks
 * the icon); an edge's kind is `K8s` and its type in PascalCase (`CAN_EXEC` →
 * `K8sCanExec`), its ends matched by id. Property names are lowercase snake_case, as
 * BloodHound asks; values are those of the Neo4j export (primitives, arrays of one
 * type, JSON text for the rest). Written one item per line, as it is made, escaped as
 * every JSON output is (output/json-stream.ts).
 */
import {joined} from '../output/chunks.js';
import {inertJson, jsonItems} from '../output/json-stream.js';
import type {ExportRecords, Properties} from './records.js';

export const SOURCE_KIND = 'Kubepath';

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const pascal = (type: string): string =>
  type.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_match, _sep, letter: string) => letter.toUpperCase());

function snakeProperties(properties: Properties, extra: Properties): Properties {
  const result: Properties = {};
  for (const [name, value] of Object.entries(properties)) result[snake(name)] = value;
  return {...result, ...extra};
}

export const openGraphId = (cluster: string, id: string): string => `k8s://${cluster}/${id}`;
export const openGraphEdgeKind = (type: string): string => `K8s${pascal(type)}`;

export function openGraph(records: ExportRecords, {cluster}: {cluster: string}): Generator<string> {
  function* nodes(): Generator<unknown> {
    for (const node of records.nodes)
      yield {
        id: openGraphId(cluster, node.id),
        kinds: [`K8s${node.label}`, 'K8sBase'],
        properties: snakeProperties(node.properties, {kubepath_id: node.id, cluster}),
      };
  }
  function* edges(): Generator<unknown> {
    for (const edge of records.relationships) {
      yield {
        start: {match_by: 'id', value: openGraphId(cluster, edge.source)},
        end: {match_by: 'id', value: openGraphId(cluster, edge.target)},
        kind: openGraphEdgeKind(edge.type),
        properties: snakeProperties(edge.properties, {key: edge.key}),
      };
    }
  }
  function* text(): Generator<string> {
    yield `{"metadata":${inertJson({source_kind: SOURCE_KIND})},"graph":{"nodes":[`;
    yield* jsonItems(nodes());
    yield '\n],"edges":[';
    yield* jsonItems(edges());
    yield '\n]}}\n';
  }
  return joined(text());
}
