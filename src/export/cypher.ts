/**
 * kubepath Cypher
 * ===============
 *
 * The statements both Neo4j exports run, live (values as parameters) and as a script
 * (values as escaped literals): the constraint, node and relationship batches, and the
 * removal of what an earlier run of the cluster left. Only labels and relationship
 * types are spliced in as identifiers, checked by records.ts; a value is a parameter or
 * a literal `cypherLiteral` escaped, never text of its own.
 */
import {safe} from '../output/escape.js';

/** Every node's label, beside its kind's. */
export const NODE_LABEL = 'KubepathNode';

export const CONSTRAINT = `CREATE CONSTRAINT kubepath_node_key IF NOT EXISTS FOR (n:${NODE_LABEL}) REQUIRE (n.cluster, n.id) IS UNIQUE`;

/** How a statement refers to its rows, the cluster and the run: `$rows`, or literals. */
export interface Values {
  rows: string;
  cluster: string;
  run: string;
}

export const mergeNodes = (label: string, {rows, cluster, run}: Values): string =>
  `UNWIND ${rows} AS row MERGE (n:${NODE_LABEL} {cluster: ${cluster}, id: row.id}) SET n = row.properties, n.cluster = ${cluster}, n.id = row.id, n.run = ${run}, n:${label}`;

/**
 * Labels and types taken from each row (Neo4j 5.26's dynamic labels and types): the live
 * export sends every kind in one statement, planned once, instead of one per kind.
 */
export const ROW_LABEL = '$(row.label)';
export const ROW_TYPE = '$(row.type)';

/** The element ids of the nodes a node batch wrote, by kubepath id: what the live export finds relationship ends by. */
export const NODE_ELEMENTS = ' RETURN row.id AS id, elementId(n) AS element';

/** A property or map key as Cypher writes it: in backticks, a backtick doubled, so any name is a name and nothing more. */
export const cypherName = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * Relationships between nodes found by element id (`row.a`, `row.b`), for the live
 * export, their properties (`names`: every name the rows use) set in the pattern: an
 * absent one is null and not stored. CREATE, not MERGE: each live run has an id of its
 * own and removes what earlier runs wrote at its end, so matching the relationships
 * already there would only cost time. Set in the pattern, not by `SET r = map`, the
 * properties need no Eager pass over the batch.
 */
export const createRelationships = (type: string, {rows, cluster, run}: Values, names: readonly string[]): string => {
  const properties = names
    .filter((name) => name !== 'key' && name !== 'run')
    .map((name) => `${cypherName(name)}: row.properties.${cypherName(name)}`);
  return (
    // The element id finds the node; its cluster and id make sure it is still the one meant.
    `UNWIND ${rows} AS row MATCH (a) WHERE elementId(a) = row.a AND a.cluster = ${cluster} AND a.id = row.source ` +
    `MATCH (b) WHERE elementId(b) = row.b AND b.cluster = ${cluster} AND b.id = row.target ` +
    `CREATE (a)-[r:${type} {${[...properties, 'key: row.key', `run: ${run}`].join(', ')}}]->(b)`
  );
};

/** Relationships of one type by their ends' ids, for the script: its run id is the content's, so loading it again must match rather than add. */
export const mergeRelationships = (type: string, {rows, cluster, run}: Values): string =>
  `UNWIND ${rows} AS row MATCH (a:${NODE_LABEL} {cluster: ${cluster}, id: row.source}) MATCH (b:${NODE_LABEL} {cluster: ${cluster}, id: row.target}) ` +
  `MERGE (a)-[r:${type} {key: row.key}]->(b) SET r = row.properties, r.key = row.key, r.run = ${run}`;

/** What earlier runs of the cluster wrote and this one did not; `limit` bounds one transaction's share. */
export const staleRelationships = ({cluster, run}: Omit<Values, 'rows'>, limit?: string): string =>
  `MATCH (:${NODE_LABEL} {cluster: ${cluster}})-[r]->(:${NODE_LABEL} {cluster: ${cluster}}) WHERE r.run <> ${run} WITH r${limit ? ` LIMIT ${limit}` : ''} DELETE r`;

export const staleNodes = ({cluster, run}: Omit<Values, 'rows'>, limit?: string): string =>
  `MATCH (n:${NODE_LABEL} {cluster: ${cluster}}) WHERE n.run <> ${run} WITH n${limit ? ` LIMIT ${limit}` : ''} DETACH DELETE n`;

export const wipeRelationships = (limit: string): string => `MATCH (:${NODE_LABEL})-[r]->() WITH r LIMIT ${limit} DELETE r`;

export const wipe = (limit: string): string => `MATCH (n:${NODE_LABEL}) WITH n LIMIT ${limit} DETACH DELETE n`;

/** A Cypher literal for a value of the export records: strings escaped so nothing in them is Cypher. */
export function cypherLiteral(value: unknown): string {
  if (typeof value === 'string') {
    // Quotes and backslashes escaped, then what `safe` escapes as `\uXXXX`, a Cypher escape too: the same value, inert in the script.
    return `'${safe(value.replace(/[\\']/g, (c) => `\\${c}`))}'`;
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`kubepath export: ${value} has no Cypher literal`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(cypherLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    // Keys in backticks (a backtick doubled), so any name is a key and nothing more.
    return `{${Object.entries(value)
      .map(([key, item]) => `${cypherName(key)}: ${cypherLiteral(item)}`)
      .join(', ')}}`;
  }
  throw new Error(`kubepath export: ${String(value)} has no Cypher literal`);
}
