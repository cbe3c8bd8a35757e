/**
 * kubepath export records
 * =======================
 *
 * The graph as the exports write it (Neo4j live, and the offline formats): the nodes
 * and edges of `graph -o json`, identity → object edges included, with properties a
 * property graph can hold. Neo4j takes primitives and arrays of one primitive type
 * only, so anything else (a labels map, an edge's evidence) is kept as its JSON text,
 * under the same name; evidence also gives `evidenceObjects`, the objects it names,
 * to query by. The graph's node kinds become node labels and edge types relationship types;
 * both are checked against a strict identifier pattern, since Cypher cannot take them
 * as parameters.
 */
import {createHash} from 'node:crypto';
import {RULES} from '../edges/index.js';
import {graphToJson, type GraphJson} from '../output/graph-json.js';
import type {Analysis} from '../paths/analysis.js';
import {compareStrings} from '../util/order.js';
import {findingsGraphJson} from './findings.js';

export type PropertyValue = string | number | boolean | string[] | number[] | boolean[];
export type Properties = Record<string, PropertyValue>;

export interface NodeRecord {
  id: string;
  label: string;
  properties: Properties;
}

export interface ExportRecords {
  nodes: NodeRecord[];
  relationships: RelationshipRecord[];
}

export interface RelationshipRecord {
  source: string;
  target: string;
  type: string;
  /** Tells parallel edges of one type between the same nodes apart, stable across runs. */
  key: string;
  properties: Properties;
}

/** The most property text one transaction carries: a batch stops at this or its row count, whichever comes first, so edges with long evidence never exhaust the server's transaction memory. */
export const BATCH_BYTES = 8 * 1024 * 1024;

/** About how many bytes a record's values take (string lengths; other values count 8). */
export function recordBytes(record: NodeRecord | RelationshipRecord): number {
  let bytes = 64;
  for (const value of Object.values(record.properties)) {
    if (typeof value === 'string') bytes += value.length;
    else if (Array.isArray(value)) for (const item of value) bytes += typeof item === 'string' ? item.length : 8;
    else bytes += 8;
  }
  return bytes;
}

/** What a label or relationship type may be: written into Cypher as is, so nothing else. */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function identifier(text: string, what: string): string {
  if (!IDENTIFIER.test(text)) throw new Error(`kubepath export: ${what} ${JSON.stringify(text)} is not a plain identifier`);
  return text;
}

function propertyValue(value: unknown): PropertyValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === typeof value[0] && ['string', 'number', 'boolean'].includes(typeof item))
  ) {
    return value as PropertyValue;
  }
  return JSON.stringify(value);
}

function properties(entries: Record<string, unknown>, skip: ReadonlySet<string>): Properties {
  const result: Properties = {};
  for (const [name, value] of Object.entries(entries)) {
    if (skip.has(name)) continue;
    const stored = propertyValue(value);
    if (stored !== undefined) result[name] = stored;
  }
  return result;
}

const NODE_KEYS = new Set(['id']);
const EDGE_KEYS = new Set(['source', 'target', 'type']);

/** The records of a graph, nodes by id, relationships in `graph -o json` order. */
export function exportRecords(json: GraphJson): ExportRecords {
  const nodes = json.nodes.map((node) => ({
    id: String(node.id),
    label: identifier(String(node.kind), 'node kind'),
    properties: properties(node, NODE_KEYS),
  }));
  const seen = new Map<string, number>();
  const relationships = json.edges.map((edge) => {
    const type = identifier(String(edge.type), 'edge type');
    const evidence = Array.isArray(edge.evidence) ? (edge.evidence as Array<{object?: unknown}>) : [];
    const objects = [...new Set(evidence.map((item) => item.object).filter((object): object is string => typeof object === 'string'))].sort(
      compareStrings,
    );
    // The rule and, for escapes, the technique tell parallel edges apart; a counter the rare rest.
    const base = [edge.technique, edge.escape].filter((part) => typeof part === 'string').join(':') || type;
    const pair = `${edge.source}\u0000${edge.target}\u0000${type}\u0000${base}`;
    const count = seen.get(pair) ?? 0;
    seen.set(pair, count + 1);
    const props = properties(edge, EDGE_KEYS);
    if (objects.length > 0) props.evidenceObjects = objects;
    return {
      source: String(edge.source),
      target: String(edge.target),
      type,
      key: count === 0 ? base : `${base}#${count + 1}`,
      properties: props,
    };
  });
  return {nodes, relationships};
}

/** The records of an analysed cluster: its whole graph (what `graph -o json` prints), and its findings (findings.ts). */
export function analysisRecords(analysis: Analysis): ExportRecords {
  const graph = graphToJson(analysis.graph, {rules: RULES, context: analysis.context});
  const found = findingsGraphJson(analysis);
  return exportRecords({nodes: [...graph.nodes, ...found.nodes], edges: [...graph.edges, ...found.edges]});
}

/** A run id from the records themselves, for the file exports: the same input gives the same bytes. */
export function contentRun(prefix: string, records: ExportRecords): string {
  const digest = createHash('sha256');
  for (const node of records.nodes) digest.update(JSON.stringify(node));
  for (const relationship of records.relationships) digest.update(JSON.stringify(relationship));
  return `${prefix}:${digest.digest('hex').slice(0, 16)}`;
}
