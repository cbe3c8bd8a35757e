import {Flags} from '@oclif/core';
import {analysisFlags, liveFlags, clusterFlag, KubepathCommand} from '../../cli/base.js';
import {openGraph} from '../../export/opengraph.js';
import {analysisRecords} from '../../export/records.js';
import {writeOutput} from '../../output/write.js';

export default class ExportOpenGraph extends KubepathCommand {
  static override summary = 'Write the attack graph as BloodHound CE OpenGraph JSON';
  static override description =
    'The graph and the findings of `analyze` with the same flags. Nodes with kinds K8s<Kind> and K8sBase, edges with kinds K8s<EdgeType> in PascalCase, properties in snake_case, for uploading into BloodHound CE (docs/export.md).';
  static override usage = 'export opengraph INPUT... --out FILE [--cluster NAME]';
  static override examples = ['<%= config.bin %> export opengraph examples/multi-tenant --out kubepath-opengraph.json'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    out: Flags.string({description: 'the JSON file to write (written whole or not at all)', required: true}),
    cluster: clusterFlag,
    ...analysisFlags,
    ...liveFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ExportOpenGraph);
    this.checkOutput(flags.out, argv as string[], flags);
    const {analysis} = await this.analyzed(argv as string[], flags);
    await writeOutput(openGraph(analysisRecords(analysis), {cluster: flags.cluster}), flags.out);
  }
}
