/**
 * kubepath → Neo4j
 * ================
 *
 * Loads the export records into a live Neo4j with neo4j-driver, the way Cartography
 * does: constraints first, then nodes label by label and relationships type by type
 * in batched `UNWIND $rows ... MERGE` (the statements of cypher.ts), every value a
 * parameter. Every node carries the label
 * `KubepathNode`, its `cluster` and `id` (unique together, so several clusters live
 * side by side), and the `run` that wrote it; items of the cluster an earlier run wrote
 * and this one did not are deleted at the end, so exporting again replaces rather than
 * duplicates.
 */
import neo4j, {type Driver, type QueryStatistics} from 'neo4j-driver';
import {UsageError} from '../snapshot/errors.js';
import {chunks, groupBy} from '../util/group.js';
import {CONSTRAINT, mergeNodes, mergeRelationships, staleNodes, staleRelationships, wipe} from './cypher.js';
import type {NodeRecord, RelationshipRecord} from './records.js';

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
  /** Items of the cluster that earlier runs wrote and this one did not. */
  deleted: {nodes: number; relationships: number};
  run: string;
}

const PARAMETERS = {rows: '$rows', cluster: '$cluster', run: '$run'};

/** The driver's failures, as what the user can do about them (exit 2). */
function explain(error: unknown, target: Neo4jTarget): never {
  const code = (error as {code?: string}).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') throw new UsageError(`cannot reach Neo4j at ${target.uri}: ${message}`);
  if (code.startsWith('Neo.ClientError.Security.')) throw new UsageError(`Neo4j at ${target.uri} refused user ${JSON.stringify(target.user)}: ${message}`);
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') throw new UsageError(`Neo4j at ${target.uri} has no database ${JSON.stringify(target.database)}: ${message}`);
  throw error;
}



/** Writes the records into the target; the driver is closed before returning. */
export async function loadIntoNeo4j(target: Neo4jTarget, records: {nodes: NodeRecord[]; relationships: RelationshipRecord[]}, options: LoadOptions): Promise<LoadCounts> {
  let driver: Driver;
  try {
    driver = neo4j.driver(target.uri, neo4j.auth.basic(target.user, target.password), {disableLosslessIntegers: true});
  } catch (error) {
    throw new UsageError(`not a Neo4j URI: ${JSON.stringify(target.uri)} (${error instanceof Error ? error.message : String(error)})`);
  }
  const session = () => driver.session({database: target.database, defaultAccessMode: neo4j.session.WRITE});
  const write: Write = async (cypher, parameters) => {
    const s = session();
    try {
      return (await s.executeWrite((tx) => tx.run(cypher, parameters))).summary.counters.updates();
    } finally {
      await s.close();
    }
  };
  const run = `${new Date().toISOString()}/${Math.random().toString(36).slice(2, 10)}`;
  const {cluster} = options;
  try {
    await driver.verifyConnectivity({database: target.database});
    // A first query reaches the database: a missing one fails here, before anything is written.
    await write('RETURN 1', {});
    await write(CONSTRAINT, {});
    if (options.wipe) {
      const deleted = await deleteInBatches(write, wipe('$limit'), 'nodesDeleted', options.batchSize);
      options.progress(`wiped ${deleted} kubepath nodes`);
    }
    let written = 0;
    for (const [label, nodes] of groupBy(records.nodes, (node) => node.label)) {
      for (const batch of chunks(nodes, options.batchSize)) {
        const rows = batch.map((node) => ({id: node.id, properties: node.properties}));
        await write(mergeNodes(label, PARAMETERS), {rows, cluster, run});
        written += batch.length;
        options.progress(`nodes ${written}/${records.nodes.length}`);
      }
    }
    written = 0;
    for (const [type, relationships] of groupBy(records.relationships, (relationship) => relationship.type)) {
      for (const batch of chunks(relationships, options.batchSize)) {
        const rows = batch.map(({source, target: end, key, properties}) => ({source, target: end, key, properties}));
        await write(mergeRelationships(type, PARAMETERS), {rows, cluster, run});
        written += batch.length;
        options.progress(`relationships ${written}/${records.relationships.length}`);
      }
    }
    const deleted = {
      relationships: await deleteInBatches(write, staleRelationships(PARAMETERS, '$limit'), 'relationshipsDeleted', options.batchSize, {cluster, run}),
      nodes: await deleteInBatches(write, staleNodes(PARAMETERS, '$limit'), 'nodesDeleted', options.batchSize, {cluster, run}),
    };
    return {nodes: records.nodes.length, relationships: records.relationships.length, deleted, run};
  } catch (error) {
    return explain(error, target);
  } finally {
    await driver.close();
  }
}

type Write = (cypher: string, parameters: Record<string, unknown>) => Promise<ReturnType<QueryStatistics['updates']>>;

/** Runs a `... LIMIT $limit ... DELETE` statement until it deletes nothing more; how many it deleted, by the counter named. */
async function deleteInBatches(write: Write, cypher: string, counter: 'nodesDeleted' | 'relationshipsDeleted', limit: number, parameters: Record<string, unknown> = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = (await write(cypher, {...parameters, limit: neo4j.int(limit)}))[counter];
    if (deleted === 0) return total;
    total += deleted;
  }
}
