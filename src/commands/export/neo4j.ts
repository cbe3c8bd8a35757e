import {Flags} from '@oclif/core';
import {analysisFlags, liveFlags, clusterFlag, jsonFlag, KubepathCommand} from '../../cli/base.js';
import {loadIntoNeo4j, type LoadCounts} from '../../export/neo4j-live.js';
import {analysisRecords} from '../../export/records.js';
import type {Renderers} from '../../output/render.js';
import {UsageError} from '../../snapshot/errors.js';

/** What the export did, where. */
type ExportSummary = {uri: string; database: string | null; cluster: string} & LoadCounts;

/** The summary's formats: a sentence, or with --json the summary itself. */
const RENDERERS = {
  text: ({uri, cluster, nodes, relationships, run, deleted}) =>
    `Exported ${nodes} nodes and ${relationships} relationships to ${uri} (cluster ${JSON.stringify(cluster)}, run ${run}); removed ${deleted.nodes} nodes earlier runs left and the ${deleted.relationships} relationships they wrote (relationships are written anew every run).\n`,
  json: (summary) => `${JSON.stringify(summary, null, 2)}\n`,
} satisfies Renderers<ExportSummary>;

export default class ExportNeo4j extends KubepathCommand {
  static override summary = 'Load the attack graph into a live Neo4j';
  static override description = [
    'Writes every node and edge of `kubepath graph` (identity → object edges included), and the findings of `analyze` with the same flags (Finding and Fix nodes, FINDING_PATH and CUTS relationships), into Neo4j over Bolt: constraints first, then batched MERGE, every value a parameter. Nodes carry the label KubepathNode and their kind, edges their type; evidence is kept as JSON text (and evidenceObjects). Exporting again replaces what an earlier run of the same --cluster wrote (docs/export.md).',
    'The password comes from --password or NEO4J_PASSWORD. `npm run neo4j` starts a local server without Docker.',
  ].join('\n\n');
  static override usage = 'export neo4j INPUT... --uri bolt://HOST:7687 --user U [--password P] [--database D] [--cluster NAME] [--wipe]';
  static override examples = [
    'NEO4J_PASSWORD=kubepath-local <%= config.bin %> export neo4j examples/multi-tenant --uri bolt://127.0.0.1:7687 --user neo4j --cluster demo',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    uri: Flags.string({description: 'the Bolt URI of the server', default: 'bolt://localhost:7687'}),
    user: Flags.string({description: 'the Neo4j user', default: 'neo4j'}),
    password: Flags.string({description: 'the password (default: NEO4J_PASSWORD)'}),
    database: Flags.string({description: 'the database to write into (default: the server default)'}),
    cluster: clusterFlag,
    ...analysisFlags,
    ...liveFlags,
    wipe: Flags.boolean({description: 'delete every kubepath node first, of every cluster', default: false}),
    'batch-size': Flags.integer({description: 'rows per transaction', default: 5000, min: 1, max: 100000}),
    json: jsonFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ExportNeo4j);
    const password = flags.password ?? process.env.NEO4J_PASSWORD;
    if (password === undefined) throw new UsageError('no Neo4j password: give --password or set NEO4J_PASSWORD');
    const {analysis} = await this.analyzed(argv as string[], flags);
    const records = analysisRecords(analysis);
    const target = {uri: flags.uri, user: flags.user, password, database: flags.database};
    const counts = await loadIntoNeo4j(target, records, {
      cluster: flags.cluster,
      wipe: flags.wipe,
      batchSize: flags['batch-size'],
      progress: (line) => process.stderr.write(`kubepath: export neo4j: ${line}\n`),
    });
    const summary = {uri: flags.uri, database: flags.database ?? null, cluster: flags.cluster, ...counts};
    process.stdout.write(RENDERERS[flags.json ? 'json' : 'text'](summary));
  }
}
