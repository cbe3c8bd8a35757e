import {Flags} from '@oclif/core';
import {analysisFlags, formatsOf, liveFlags, KubepathCommand, outputFlags, verboseFlag, writeRendered} from '../cli/base.js';
import {RULES} from '../edges/index.js';
import {listedEdgeCounts} from '../edges/rule.js';
import {findingsToJson, formatFindingsText, type FindingsJson} from '../output/findings.js';
import {codeSpan, findingsMarkdown, postureMarkdown} from '../output/markdown.js';
import {formatVersionsText, versionsMarkdown} from '../output/versions.js';
import {formatPostureText, postureJson, type PostureJson} from '../output/posture.js';
import type {Renderers} from '../output/render.js';
import {findingsSarif, type SarifContext} from '../output/sarif.js';
import type {Analysis} from '../paths/analysis.js';
import {atOrAbove, FINDINGS_EXIT_CODE, SEVERITIES, type Severity} from '../paths/findings.js';
import {renderSummaryText, summarize, type LoadSummary} from '../output/summary.js';
import {jsonChunks} from '../output/json-stream.js';

/** What analyze's formats are made from. */
interface AnalyzeOutput {
  analysis: Analysis;
  summary: LoadSummary;
  report: FindingsJson;
  posture: PostureJson;
  sarif: SarifContext;
  verbose: boolean;
}

export const RENDERERS = {
  text: ({analysis, summary, report, posture, verbose}, palette) =>
    renderSummaryText(summary, verbose) +
    formatVersionsText(analysis.versions, palette) +
    formatFindingsText(report, palette) +
    formatPostureText(posture, palette),
  json: ({analysis, summary, report, posture}) => jsonChunks({...summary, versions: analysis.versions, ...report, posture}),
  markdown: ({analysis, report, posture}) =>
    findingsMarkdown(report) + versionsMarkdown(analysis.versions, codeSpan) + postureMarkdown(posture),
  sarif: ({analysis, sarif}) => jsonChunks(findingsSarif(analysis.findings, sarif)),
} satisfies Renderers<AnalyzeOutput>;

export default class Analyze extends KubepathCommand {
  static override summary = 'Analyze a cluster: ranked attack paths from entry points to crown jewels';
  static override description = [
    'Finds the attack paths from the Internet (and pods named by --assume-breach) to the crown jewels: cluster-admin, nodes, secrets, kube-system, and whatever --crown-jewel or the label kubepath.io/crown-jewel=true marks. One finding per root cause, ranked by severity then cost (docs/findings.md).',
    'Also summarizes what was loaded: objects read, what manifest mode filled in, the graph, skipped kinds and coverage gaps.',
  ].join('\n\n');
  static override usage = `analyze INPUT... [--assume-breach SEL|all] [--crown-jewel SEL] [-o ${formatsOf(RENDERERS)}] [--fail-on SEVERITY]`;
  static override examples = [
    '<%= config.bin %> analyze examples/multi-tenant',
    '<%= config.bin %> analyze examples/multi-tenant --assume-breach pod:shop/storefront -o json',
    'kubectl get pods,deploy -A -o json | <%= config.bin %> analyze -',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    ...outputFlags(RENDERERS, {default: 'text', aliases: ['table']}),
    'fail-on': Flags.string({
      description: 'exit with code 3 when a finding is at or above this severity (for CI)',
      options: [...SEVERITIES],
    }),
    ...analysisFlags,
    ...liveFlags,
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Analyze);
    this.checkOutput(flags['output-file'], argv as string[], flags);
    const {snapshot, warnings, analysis} = await this.analyzed(argv as string[], flags);
    await writeRendered(RENDERERS, flags, {
      analysis,
      summary: summarize(analysis.model, analysis.graph, warnings, listedEdgeCounts(RULES, analysis.context)),
      report: findingsToJson(analysis.findings, analysis.entryPoints, analysis.chokePoints),
      posture: postureJson(analysis.posture, flags['team-key']),
      sarif: {version: this.config.version, locations: snapshot.locations},
      verbose: flags.verbose,
    });
    if (flags['fail-on'] && atOrAbove(analysis.findings, flags['fail-on'] as Severity)) process.exitCode = FINDINGS_EXIT_CODE;
  }
}
