/**
 * kubepath → Cypher script
 * ========================
 *
 * The export records as a script `cypher-shell -f FILE` runs, for analysts without a
 * live server at hand: the constraint, then each batch one `:begin`/`:commit`
 * transaction of the same statements the live export runs (cypher.ts), values written
 * as escaped literals, and last the removal of what an earlier load of the cluster
 * left. The run id is the records' own digest, so the same input gives the same bytes,
 * and loading a script twice changes nothing.
 */
import {chunks, groupBy} from '../util/group.js';
import {CONSTRAINT, cypherLiteral, mergeNodes, mergeRelationships, staleNodes, staleRelationships} from './cypher.js';
import {BATCH_BYTES, contentRun, recordBytes, type ExportRecords} from './records.js';

export interface ScriptOptions {
  cluster: string;
  batchSize: number;
}

export function* cypherScript(records: ExportRecords, {cluster, batchSize}: ScriptOptions): Generator<string> {
  const run = contentRun('script', records);
  const values = (rows: unknown[]) => ({rows: cypherLiteral(rows), cluster: cypherLiteral(cluster), run: cypherLiteral(run)});
  yield `// kubepath export cypher: ${records.nodes.length} nodes and ${records.relationships.length} relationships, cluster ${cypherLiteral(cluster)}, run ${run}\n`;
  yield '// load with: cypher-shell -a bolt://HOST:7687 -u neo4j -f THIS_FILE\n';
  yield `${CONSTRAINT};\n`;
  for (const [label, nodes] of groupBy(records.nodes, (node) => node.label)) {
    for (const batch of chunks(nodes, batchSize, recordBytes, BATCH_BYTES)) {
      yield `:begin\n${mergeNodes(label, values(batch.map((node) => ({id: node.id, properties: node.properties}))))};\n:commit\n`;
    }
  }
  for (const [type, relationships] of groupBy(records.relationships, (relationship) => relationship.type)) {
    for (const batch of chunks(relationships, batchSize, recordBytes, BATCH_BYTES)) {
      yield `:begin\n${mergeRelationships(type, values(batch.map(({source, target, key, properties}) => ({source, target, key, properties}))))};\n:commit\n`;
    }
  }
  yield `${staleRelationships(values([]))};\n`;
  yield `${staleNodes(values([]))};\n`;
}
