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

export const mergeRelationships = (type: string, {rows, cluster, run}: Values): string =>
  `UNWIND ${rows} AS row MATCH (a:${NODE_LABEL} {cluster: ${cluster}, id: row.source}) MATCH (b:${NODE_LABEL} {cluster: ${cluster}, id: row.target}) ` +
  `MERGE (a)-[r:${type} {key: row.key}]->(b) SET r = row.properties, r.key = row.key, r.run = ${run}`;

/** What earlier runs of the cluster wrote and this one did not; `limit` bounds one transaction's share. */
export const staleRelationships = ({cluster, run}: Omit<Values, 'rows'>, limit?: string): string =>
  `MATCH (:${NODE_LABEL} {cluster: ${cluster}})-[r]->(:${NODE_LABEL} {cluster: ${cluster}}) WHERE r.run <> ${run} WITH r${limit ? ` LIMIT ${limit}` : ''} DELETE r`;

export const staleNodes = ({cluster, run}: Omit<Values, 'rows'>, limit?: string): string =>
  `MATCH (n:${NODE_LABEL} {cluster: ${cluster}}) WHERE n.run <> ${run} WITH n${limit ? ` LIMIT ${limit}` : ''} DETACH DELETE n`;

export const wipe = (limit: string): string => `MATCH (n:${NODE_LABEL}) WITH n LIMIT ${limit} DETACH DELETE n`;

/** A Cypher literal for a value of the export records: strings escaped so nothing in them is Cypher. */
export function cypherLiteral(value: unknown): string {
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    return `'${value.replace(/[\\'\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => (c === '\\' || c === "'" ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}'`;
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`kubepath export: ${value} has no Cypher literal`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(cypherLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    // Keys in backticks (a backtick doubled), so any name is a key and nothing more.
    return `{${Object.entries(value).map(([key, item]) => `\`${key.replace(/`/g, '``')}\`: ${cypherLiteral(item)}`).join(', ')}}`;
  }
  throw new Error(`kubepath export: ${String(value)} has no Cypher literal`);
}
