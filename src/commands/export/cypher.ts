import {Flags} from '@oclif/core';
import {analysisFlags, liveFlags, clusterFlag, KubepathCommand} from '../../cli/base.js';
import {cypherScript} from '../../export/cypher-script.js';
import {analysisRecords} from '../../export/records.js';
import {writeOutput} from '../../output/write.js';

export default class ExportCypher extends KubepathCommand {
  static override summary = 'Write the attack graph as a Cypher script (cypher-shell -f)';
  static override description =
    'The graph and findings `export neo4j` writes, as the statements it runs, values as escaped literals, each batch one :begin/:commit transaction: for loading into Neo4j without kubepath at hand. The same input gives the same bytes; loading it again changes nothing (docs/export.md).';
  static override usage = 'export cypher INPUT... --out FILE [--cluster NAME] [--batch-size N]';
  static override examples = [
    '<%= config.bin %> export cypher examples/multi-tenant --out graph.cypher && cypher-shell -u neo4j -f graph.cypher',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    out: Flags.string({description: 'the script to write (written whole or not at all)', required: true}),
    cluster: clusterFlag,
    ...analysisFlags,
    ...liveFlags,
    'batch-size': Flags.integer({description: 'rows per transaction', default: 1000, min: 1, max: 100000}),
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ExportCypher);
    this.checkOutput(flags.out, argv as string[], flags);
    const {analysis} = await this.analyzed(argv as string[], flags);
    await writeOutput(cypherScript(analysisRecords(analysis), {cluster: flags.cluster, batchSize: flags['batch-size']}), flags.out);
  }
}
