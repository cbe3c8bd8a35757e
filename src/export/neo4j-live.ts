/**
 * kubepath → Neo4j
 * ================
 *
 * Loads the export records into a live Neo4j with neo4j-driver, the way Cartography
 * does: constraints first, then nodes and relationships in batched `UNWIND $rows ...`
 * statements (cypher.ts), every value a parameter and each row's label or type a
 * dynamic one: nodes merged by `(cluster, id)`, relationships created between the
 * element ids the node batches returned. Every node carries the label
 * `KubepathNode`, its `cluster` and `id` (unique together, so several clusters live
 * side by side), and the `run` that wrote it; items of the cluster an earlier run wrote
 * and this one did not are deleted at the end, so exporting again replaces rather than
 * duplicates.
 */
import neo4j, {type Driver, type QueryResult, type QueryStatistics, type Record as Neo4jRecord, type Session} from 'neo4j-driver';
import {UsageError} from '../snapshot/errors.js';
import {chunks} from '../util/group.js';
import {InFlight} from '../util/in-flight.js';
import {
  CONSTRAINT,
  createRelationships,
  mergeNodes,
  NODE_ELEMENTS,
  ROW_LABEL,
  ROW_TYPE,
  staleNodes,
  staleRelationships,
  wipe,
  wipeRelationships,
} from './cypher.js';
import {BATCH_BYTES, recordBytes, type ExportRecords, type NodeRecord, type Properties, type RelationshipRecord} from './records.js';

export interface Neo4jTarget {
  uri: string;
  user: string;
  password: string;
  database?: string;
}

export interface LoadOptions {
  cluster: string;
  /** Delete every kubepath node first, of every cluster. */
  wipe: boolean;
  batchSize: number;
  progress: (line: string) => void;
}

export interface LoadCounts {
  nodes: number;
  relationships: number;
  /** Nodes of the cluster that earlier runs wrote and this one did not; every relationship earlier runs wrote (each run writes its own). */
  deleted: {nodes: number; relationships: number};
  run: string;
}

/** Relationship batches in flight at once. */
const CONCURRENT_WRITES = 2;
/** Tries of a relationship batch the server rolled back (deadlocks between the batches in flight). */
const CREATE_ATTEMPTS = 5;

const PARAMETERS = {rows: '$rows', cluster: '$cluster', run: '$run'};

type QueryParameters = Record<string, unknown>;
type Counters = ReturnType<QueryStatistics['updates']>;

/** The driver's failures, as what the user can do about them (exit 2). */
function explain(error: unknown, target: Neo4jTarget): never {
  const code = (error as {code?: string}).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') throw new UsageError(`cannot reach Neo4j at ${target.uri}: ${message}`);
  if (code.startsWith('Neo.ClientError.Security.'))
    throw new UsageError(`Neo4j at ${target.uri} refused user ${JSON.stringify(target.user)}: ${message}`);
  if (code === 'Neo.ClientError.Database.DatabaseNotFound')
    throw new UsageError(`Neo4j at ${target.uri} has no database ${JSON.stringify(target.database)}: ${message}`);
  throw error;
}

/** The driver to the target, and the ways a load talks to the server through it: a session per statement. */
class Connection {
  private constructor(
    readonly target: Neo4jTarget,
    private readonly driver: Driver,
  ) {}

  /** The driver checks the URI at once; it connects on first use. */
  static open(target: Neo4jTarget): Connection {
    try {
      return new Connection(
        target,
        neo4j.driver(target.uri, neo4j.auth.basic(target.user, target.password), {disableLosslessIntegers: true}),
      );
    } catch (error) {
      throw new UsageError(`not a Neo4j URI: ${JSON.stringify(target.uri)} (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  async verify(): Promise<void> {
    await this.driver.verifyConnectivity({database: this.target.database});
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  async write(cypher: string, parameters: QueryParameters): Promise<Counters> {
    return (await this.execute(cypher, parameters)).summary.counters.updates();
  }

  async read(cypher: string, parameters: QueryParameters): Promise<Neo4jRecord[]> {
    return (await this.execute(cypher, parameters)).records;
  }

  /**
   * A write that must not be repeated once committed (CREATE): retried only when the
   * server says it rolled the transaction back (a transient error before the commit, such
   * as a deadlock between the two batches in flight). A failed commit is not retried, as it
   * may have landed; the export fails and the next one removes what this run wrote.
   */
  async writeOnce(cypher: string, parameters: QueryParameters): Promise<Counters> {
    for (let attempt = 1; ; attempt++) {
      const s = this.session();
      try {
        const tx = s.beginTransaction();
        let counters;
        try {
          counters = (await tx.run(cypher, parameters)).summary.counters.updates();
        } catch (error) {
          await tx.rollback().catch(() => {});
          if (attempt < CREATE_ATTEMPTS && String((error as {code?: string}).code).startsWith('Neo.TransientError.')) {
            await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
            continue;
          }
          throw error;
        }
        await tx.commit();
        return counters;
      } finally {
        await s.close();
      }
    }
  }

  /** Runs a `... LIMIT $limit ... DELETE` statement until it deletes nothing more; how many it deleted, by the counter named. */
  async deleteInBatches(
    cypher: string,
    counter: 'nodesDeleted' | 'relationshipsDeleted',
    limit: number,
    parameters: QueryParameters = {},
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = (await this.write(cypher, {...parameters, limit: neo4j.int(limit)}))[counter];
      if (deleted === 0) return total;
      total += deleted;
    }
  }

  private session(): Session {
    return this.driver.session({database: this.target.database, defaultAccessMode: neo4j.session.WRITE});
  }

  private async execute(cypher: string, parameters: QueryParameters): Promise<QueryResult> {
    const s = this.session();
    try {
      return await s.executeWrite((tx) => tx.run(cypher, parameters));
    } finally {
      await s.close();
    }
  }
}

/** One load: its options, and the run it stamps on everything it writes. */
type Load = LoadOptions & {run: string};

/** Fails before anything is written when the server or the database is missing; then the constraint, and the wipe asked for. */
async function prepare(connection: Connection, load: Load): Promise<void> {
  await connection.verify();
  // A first query reaches the database: a missing one fails here, before anything is written.
  await connection.write('RETURN 1', {});
  await connection.write(CONSTRAINT, {});
  if (load.wipe) await wipeAll(connection, load);
}

async function wipeAll(connection: Connection, {batchSize, progress}: Load): Promise<void> {
  // Relationships first, in bounded batches: a hub node's DETACH DELETE would take all of its at once.
  await connection.deleteInBatches(wipeRelationships('$limit'), 'relationshipsDeleted', batchSize);
  const deleted = await connection.deleteInBatches(wipe('$limit'), 'nodesDeleted', batchSize);
  progress(`wiped ${deleted} kubepath nodes`);
}

/** Merges the nodes batch by batch; the element id of each, by its kubepath id, for the relationships to join. */
async function writeNodes(
  connection: Connection,
  nodes: readonly NodeRecord[],
  {cluster, run, batchSize, progress}: Load,
): Promise<Map<string, string>> {
  const elements = new Map<string, string>();
  let written = 0;
  for (const batch of chunks(nodes, batchSize, recordBytes, BATCH_BYTES)) {
    const rows = batch.map((node) => ({id: node.id, label: node.label, properties: withIntegers(node.properties)}));
    for (const record of await connection.read(mergeNodes(ROW_LABEL, PARAMETERS) + NODE_ELEMENTS, {rows, cluster, run}))
      elements.set(record.get('id'), record.get('element'));
    written += batch.length;
    progress(`nodes ${written}/${nodes.length}`);
  }
  return elements;
}

/** Creates the relationships between the nodes' elements, two batches in flight. */
async function writeRelationships(
  connection: Connection,
  relationships: readonly RelationshipRecord[],
  elements: ReadonlyMap<string, string>,
  {cluster, run, batchSize, progress}: Load,
): Promise<void> {
  let written = 0;
  // Created, not merged, so batches never wait on one another's reads: two at once keep both the client and the server busy.
  const writes = new InFlight(CONCURRENT_WRITES);
  const names = new Set<string>();
  for (const relationship of relationships) for (const name in relationship.properties) names.add(name);
  const statement = createRelationships(ROW_TYPE, PARAMETERS, [...names].sort());
  for (const batch of chunks(relationships, batchSize, recordBytes, BATCH_BYTES)) {
    const rows = batch.map(({source, target: end, type, key, properties}) => ({
      a: elements.get(source),
      source,
      b: elements.get(end),
      target: end,
      type,
      key,
      properties: withIntegers(properties),
    }));
    await writes.run(async () => {
      const created = (await connection.writeOnce(statement, {rows, cluster, run})).relationshipsCreated;
      // An end that is gone (another export or a --wipe of the same database at the same time) would drop a relationship unseen.
      if (created !== rows.length)
        throw new UsageError(
          `Neo4j at ${connection.target.uri}: ${rows.length - created} relationships found no end node (did another export or --wipe run at the same time?); export again`,
        );
      written += batch.length;
      progress(`relationships ${written}/${relationships.length}`);
    });
  }
  await writes.drain();
}

/** Deletes what earlier runs wrote for the cluster and this one did not, relationships first. */
async function deleteStale(connection: Connection, {cluster, run, batchSize}: Load): Promise<LoadCounts['deleted']> {
  return {
    relationships: await connection.deleteInBatches(staleRelationships(PARAMETERS, '$limit'), 'relationshipsDeleted', batchSize, {
      cluster,
      run,
    }),
    nodes: await connection.deleteInBatches(staleNodes(PARAMETERS, '$limit'), 'nodesDeleted', batchSize, {cluster, run}),
  };
}

/** Writes the records into the target; the driver is closed before returning. */
export async function loadIntoNeo4j(target: Neo4jTarget, records: ExportRecords, options: LoadOptions): Promise<LoadCounts> {
  const connection = Connection.open(target);
  const load: Load = {...options, run: `${new Date().toISOString()}/${Math.random().toString(36).slice(2, 10)}`};
  try {
    await prepare(connection, load);
    const elements = await writeNodes(connection, records.nodes, load);
    await writeRelationships(connection, records.relationships, elements, load);
    const deleted = await deleteStale(connection, load);
    return {nodes: records.nodes.length, relationships: records.relationships.length, deleted, run: load.run};
  } catch (error) {
    return explain(error, target);
  } finally {
    await connection.close();
  }
}

/** Whole numbers as Neo4j integers, as the script and CSV exports store them (the driver sends a JS number as a float). */
function withIntegers(properties: Properties): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) {
    converted[name] =
      typeof value === 'number' && Number.isSafeInteger(value)
        ? neo4j.int(value)
        : Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isSafeInteger(item)) && value.length > 0
          ? value.map((item) => neo4j.int(item as number))
          : value;
  }
  return converted;
}
