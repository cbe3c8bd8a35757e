import {basename, dirname} from 'node:path';
import {Flags} from '@oclif/core';
import {analysisFlags, liveFlags, KubepathCommand} from '../cli/base.js';
import {RULES} from '../edges/index.js';
import {listedEdgeCounts} from '../edges/rule.js';
import {renderReport} from '../output/report.js';
import {reportData} from '../output/report-data.js';
import {summarize} from '../output/summary.js';
import {writeOutput} from '../output/write.js';

/** The inputs as a name: their folder's when they share one (a manifest folder), else the files'. */
function inputsName(paths: string[]): string {
  const folders = new Set(paths.map((path) => dirname(path)));
  return paths.length > 1 && folders.size === 1 ? basename([...folders][0]!) : paths.map((path) => basename(path)).join(', ');
}

export default class Report extends KubepathCommand {
  static override summary = 'Write a self-contained HTML report that draws the risky paths';
  static override description = [
    'One static HTML file that works offline (no request to any server): the findings of `analyze` with the same flags, ranked; the graph of their paths, left to right from entry point to crown jewel; evidence and fixes for every node and edge; filters, search, a legend and the choke points (docs/report.md).',
    "Only the reported paths are drawn, a workload's pods as one node; a node's other attack edges can be added from its panel. Set SOURCE_DATE_EPOCH for a fixed time in the header: the same input then gives the same bytes.",
  ].join('\n\n');
  static override usage = 'report INPUT... --out report.html [--assume-breach SEL|all] [--crown-jewel SEL] [--cluster NAME]';
  static override examples = ['<%= config.bin %> report examples/multi-tenant --out report.html'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    out: Flags.string({description: 'the HTML file to write (written whole or not at all)', required: true}),
    cluster: Flags.string({description: "the cluster's name in the header (default: the snapshot's, else the inputs' names)"}),
    ...analysisFlags,
    ...liveFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Report);
    this.checkOutput(flags.out, argv as string[], flags);
    const {snapshot, warnings, analysis} = await this.analyzed(argv as string[], flags);
    const summary = summarize(analysis.model, analysis.graph, warnings, listedEdgeCounts(RULES, analysis.context));
    const cluster = flags.cluster ?? snapshot.source.cluster ?? inputsName(snapshot.source.inputs.map((input) => input.path));
    await writeOutput([renderReport(reportData(analysis, {cluster, version: this.config.version, summary}))], flags.out);
  }
}
