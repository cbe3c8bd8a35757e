/**
 * kubepath → CSV for `neo4j-admin database import full`
 * ====================================================
 *
 * The export records as the bulk importer's CSV files, the fastest way to load a large
 * cluster into a new database: one node file per kind (`:ID`, `:LABEL` =
 * `KubepathNode;<Kind>`, then `id`, `cluster`, `run` and the properties, each column
 * typed `long`, `double`, `boolean`, `string` or an array of one of them) and one
 * relationship file per type (`:START_ID`, `:END_ID`, `:TYPE`, `key`, `run`, ...), and a
 * README with the exact command. Every field is quoted (quotes doubled), so commas and
 * line breaks in cluster data stay data (the command passes `--multiline-fields=true`);
 * an array column any of whose items holds the array delimiter is written as JSON text.
 * The run id is the content's digest: the same input gives the same files.
 */
import type {Properties, PropertyValue} from './records.js';
import {contentRun, type ExportRecords} from './records.js';
import {NODE_LABEL} from './cypher.js';
import {groupBy} from '../util/group.js';
import {compareStrings} from '../util/order.js';

export const ARRAY_DELIMITER = ';';

type ColumnType = 'long' | 'double' | 'boolean' | 'string';

/** A column's type over every value it holds: one primitive type, or its array; anything mixed is text. */
function columnType(values: readonly PropertyValue[]): {type: ColumnType; array: boolean} | undefined {
  let found: {type: ColumnType; array: boolean} | undefined;
  for (const value of values) {
    const array = Array.isArray(value);
    const items = (array ? value : [value]) as Array<string | number | boolean>;
    if (array && items.some((item) => typeof item === 'string' && item.includes(ARRAY_DELIMITER))) return undefined;
    let type: ColumnType = typeof items[0] === 'boolean' ? 'boolean' : typeof items[0] === 'number' ? 'long' : 'string';
    if (type === 'long' && items.some((item) => !Number.isInteger(item))) type = 'double';
    if (!found) found = {type, array};
    else if (found.array !== array || (found.type !== type && !(isNumber(found.type) && isNumber(type)))) return undefined;
    else if (type === 'double') found.type = 'double';
  }
  return found;
}

const isNumber = (type: ColumnType): boolean => type === 'long' || type === 'double';
const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`;

function cell(value: PropertyValue | undefined, typed: boolean): string {
  if (value === undefined) return '';
  if (!typed) return quote(typeof value === 'string' ? value : JSON.stringify(value));
  return quote(Array.isArray(value) ? value.map(String).join(ARRAY_DELIMITER) : String(value));
}

/** One CSV file: fixed leading columns, then every property any row has, typed, in name order. */
function table(fixed: string[], rows: Array<{fixed: string[]; properties: Properties}>): string {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.properties)))].filter((name) => !FIXED_NAMES.has(name)).sort(compareStrings);
  const columns = names.map((name) => {
    const type = columnType(rows.map((row) => row.properties[name]).filter((value): value is PropertyValue => value !== undefined));
    return {name, type, header: type ? `${name}:${type.type}${type.array ? '[]' : ''}` : `${name}:string`};
  });
  const lines = [[...fixed, ...columns.map((column) => column.header)].join(',')];
  for (const row of rows) lines.push([...row.fixed.map(quote), ...columns.map((column) => cell(row.properties[column.name], column.type !== undefined))].join(','));
  return `${lines.join('\n')}\n`;
}

/** Properties the fixed columns carry. */
const FIXED_NAMES = new Set(['id', 'cluster', 'run', 'key']);

/** The files, by name, and the README naming them in the import command. */
export function csvFiles(records: ExportRecords, {cluster}: {cluster: string}): Map<string, string> {
  const run = contentRun('csv', records);
  const files = new Map<string, string>();
  const nodeFiles: string[] = [];
  const relationshipFiles: string[] = [];
  for (const [label, nodes] of [...groupBy(records.nodes, (node) => node.label)].sort(([a], [b]) => compareStrings(a, b))) {
    const name = `nodes-${label}.csv`;
    nodeFiles.push(name);
    files.set(name, table([':ID', ':LABEL', 'id', 'cluster', 'run'], nodes.map((node) => ({fixed: [node.id, `${NODE_LABEL};${label}`, node.id, cluster, run], properties: node.properties}))));
  }
  for (const [type, relationships] of [...groupBy(records.relationships, (relationship) => relationship.type)].sort(([a], [b]) => compareStrings(a, b))) {
    const name = `relationships-${type}.csv`;
    relationshipFiles.push(name);
    files.set(
      name,
      table(
        [':START_ID', ':END_ID', ':TYPE', 'key', 'run'],
        relationships.map((relationship) => ({fixed: [relationship.source, relationship.target, type, relationship.key, run], properties: relationship.properties})),
      ),
    );
  }
  files.set('README.md', readme(importArguments(nodeFiles, relationshipFiles), records, cluster, run));
  return files;
}

/** The importer's arguments for these files (paths relative to the folder), the database last. */
export function importArguments(nodeFiles: readonly string[], relationshipFiles: readonly string[], database = 'neo4j'): string[] {
  return [
    'database',
    'import',
    'full',
    ...nodeFiles.map((file) => `--nodes=${file}`),
    ...relationshipFiles.map((file) => `--relationships=${file}`),
    '--multiline-fields=true',
    `--array-delimiter=${ARRAY_DELIMITER}`,
    database,
  ];
}

function readme(args: string[], records: ExportRecords, cluster: string, run: string): string {
  return [
    '# kubepath graph for neo4j-admin',
    '',
    `${records.nodes.length} nodes and ${records.relationships.length} relationships of cluster ${JSON.stringify(cluster)} (run ${run}), written by \`kubepath export csv\`.`,
    'Load them into a new database (the server stopped; `--overwrite-destination` replaces an existing one) from this folder:',
    '',
    '```sh',
    `neo4j-admin ${args.join(' \\\n  ')}`,
    '```',
    '',
    `Then, once the server runs, add the constraint the other exports create: \`CREATE CONSTRAINT kubepath_node_key IF NOT EXISTS FOR (n:${NODE_LABEL}) REQUIRE (n.cluster, n.id) IS UNIQUE\`.`,
    'Every field is quoted, so values may hold commas, quotes and line breaks (hence `--multiline-fields=true`).',
    '',
  ].join('\n');
}
