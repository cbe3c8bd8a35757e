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
 * A string starting with `=`, `+`, `-`, `@`, tab, carriage return or NUL gets a leading
 * `'`, as OWASP advises against spreadsheet formula injection (docs/export.md).
 * The run id is the content's digest: the same input gives the same files. Each file's
 * text is made a row at a time as it is written, never held whole.
 */
import type {Properties, PropertyValue} from './records.js';
import {contentRun, type ExportRecords} from './records.js';
import {NODE_LABEL} from './cypher.js';
import {groupBy} from '../util/group.js';
import {compareStrings} from '../util/order.js';
import type {OutputFile} from '../output/write.js';

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

/** What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list, and NUL as ASVS adds). */
const FORMULA_START = /^[=+\-@\t\r\0]/;
/** A text cell a spreadsheet would run as a formula, made inert with a leading `'` (which Neo4j then keeps). */
const inert = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * A property's field. Strings are made inert, a string array by its first item (the
 * cell's start); numbers, booleans and JSON text (which starts with `[`, `{` or a
 * number) cannot be formulas.
 */
function cell(value: PropertyValue | undefined, type: ColumnType | undefined): string {
  if (value === undefined) return '';
  if (type === undefined) return quote(typeof value === 'string' ? inert(value) : JSON.stringify(value));
  const text = Array.isArray(value) ? value.map(String).join(ARRAY_DELIMITER) : String(value);
  return quote(type === 'string' ? inert(text) : text);
}

/** One CSV file, a line at a time: fixed leading columns, then every property any row has, typed, in name order. */
function* table<T extends {properties: Properties}>(
  fixed: string[],
  items: readonly T[],
  values: (item: T) => string[],
): Generator<string> {
  const names = [...new Set(items.flatMap((item) => Object.keys(item.properties)))]
    .filter((name) => !FIXED_NAMES.has(name))
    .sort(compareStrings);
  const columns = names.map((name) => {
    const type = columnType(items.map((item) => item.properties[name]).filter((value): value is PropertyValue => value !== undefined));
    return {name, type: type?.type, header: type ? `${name}:${type.type}${type.array ? '[]' : ''}` : `${name}:string`};
  });
  yield `${[...fixed, ...columns.map((column) => column.header)].join(',')}\n`;
  for (const item of items)
    yield `${[...values(item).map(quote), ...columns.map((column) => cell(item.properties[column.name], column.type))].join(',')}\n`;
}

/** Properties the fixed columns carry. */
const FIXED_NAMES = new Set(['id', 'cluster', 'run', 'key']);

/**
 * The files, each made as it is written, and last the README naming them in the import
 * command. The fixed columns are not made inert: ids start with their kind, the label,
 * type, key and run are kubepath's own, and the cluster name is the operator's.
 */
export function csvFiles(records: ExportRecords, {cluster}: {cluster: string}): OutputFile[] {
  const run = contentRun('csv', records);
  const nodes = [...groupBy(records.nodes, (node) => node.label)].sort(([a], [b]) => compareStrings(a, b));
  const relationships = [...groupBy(records.relationships, (relationship) => relationship.type)].sort(([a], [b]) => compareStrings(a, b));
  const nodeFiles = nodes.map(([label, group]) => ({
    name: `nodes-${label}.csv`,
    chunks: table([':ID', ':LABEL', 'id', 'cluster', 'run'], group, (node) => [node.id, `${NODE_LABEL};${label}`, node.id, cluster, run]),
  }));
  const relationshipFiles = relationships.map(([type, group]) => ({
    name: `relationships-${type}.csv`,
    chunks: table([':START_ID', ':END_ID', ':TYPE', 'key', 'run'], group, (relationship) => [
      relationship.source,
      relationship.target,
      type,
      relationship.key,
      run,
    ]),
  }));
  const args = importArguments(
    nodeFiles.map((file) => file.name),
    relationshipFiles.map((file) => file.name),
  );
  return [...nodeFiles, ...relationshipFiles, {name: 'README.md', chunks: [readme(args, records, cluster, run)]}];
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
    "A text value starting with `=`, `+`, `-`, `@`, a tab, a carriage return or NUL, which a spreadsheet would run as a formula, starts with an added `'` here and in the database loaded from these files.",
    '',
  ].join('\n');
}
