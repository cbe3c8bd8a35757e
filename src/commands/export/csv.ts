import {Flags} from '@oclif/core';
import {analysisFlags, liveFlags, clusterFlag, KubepathCommand} from '../../cli/base.js';
import {csvFiles} from '../../export/csv.js';
import {analysisRecords} from '../../export/records.js';
import {writeOutputFolder} from '../../output/write.js';

export default class ExportCsv extends KubepathCommand {
  static override summary = 'Write the attack graph as CSV files for neo4j-admin database import';
  static override description =
    'The graph and the findings of `analyze` with the same flags: one node file per kind and one relationship file per type, in the header format of `neo4j-admin database import full`, and a README.md with the exact import command (docs/export.md). The folder is written whole or not at all.';
  static override usage = 'export csv INPUT... --out DIR [--cluster NAME]';
  static override examples = ['<%= config.bin %> export csv examples/multi-tenant --out graph-csv && cat graph-csv/README.md'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    out: Flags.string({description: 'the folder to write (new, or empty)', required: true}),
    cluster: clusterFlag,
    ...analysisFlags,
    ...liveFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ExportCsv);
    this.checkOutput(flags.out, argv as string[], flags, 'folder');
    const {analysis} = await this.analyzed(argv as string[], flags);
    await writeOutputFolder(csvFiles(analysisRecords(analysis), {cluster: flags.cluster}), flags.out);
  }
}
