import {Flags} from '@oclif/core';
import {analysisFlags, liveFlags, jsonFlag, KubepathCommand, outputFileFlag, outputFormat, verboseFlag, tablePalette} from '../cli/base.js';
import {RULES} from '../edges/index.js';
import {listedEdgeCounts} from '../edges/rule.js';
import {findingsToJson, formatFindingsText} from '../output/findings.js';
import {codeSpan, findingsMarkdown, postureMarkdown} from '../output/markdown.js';
import {formatVersionsText, versionsMarkdown} from '../output/versions.js';
import {formatPostureText, postureJson} from '../output/posture.js';
import {findingsSarif} from '../output/sarif.js';
import {atOrAbove, FINDINGS_EXIT_CODE, SEVERITIES, type Severity} from '../paths/findings.js';
import {renderSummaryText, summarize} from '../output/summary.js';
import {jsonChunks} from '../output/json-stream.js';
import {writeOutput} from '../output/write.js';

export default class Analyze extends KubepathCommand {
  static override summary = 'Analyze a cluster: ranked attack paths from entry points to crown jewels';
  static override description = [
    'Finds the attack paths from the Internet (and pods named by --assume-breach) to the crown jewels: cluster-admin, nodes, secrets, kube-system, and whatever --crown-jewel or the label kubepath.io/crown-jewel=true marks. One finding per root cause, ranked by severity then cost (docs/findings.md).',
    'Also summarizes what was loaded: objects read, what manifest mode filled in, the graph, skipped kinds and coverage gaps.',
  ].join('\n\n');
  static override usage = 'analyze INPUT... [--assume-breach SEL|all] [--crown-jewel SEL] [-o table|json|markdown|sarif] [--fail-on SEVERITY]';
  static override examples = [
    '<%= config.bin %> analyze examples/multi-tenant',
    '<%= config.bin %> analyze examples/multi-tenant --assume-breach pod:shop/storefront -o json',
    'kubectl get pods,deploy -A -o json | <%= config.bin %> analyze -',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['table', 'json', 'markdown', 'sarif'], default: 'table'}),
    'fail-on': Flags.string({description: 'exit with code 3 when a finding is at or above this severity (for CI)', options: [...SEVERITIES]}),
    json: jsonFlag,
    ...analysisFlags,
    ...liveFlags,
    'output-file': outputFileFlag,
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Analyze);
    this.checkOutput(flags['output-file'], argv as string[], flags);
    const format = outputFormat<'table' | 'json' | 'markdown' | 'sarif'>(flags, 'table');
    const {snapshot, warnings, analysis} = await this.analyzed(argv as string[], flags);
    const {model, context, graph, entryPoints, findings: found, chokePoints} = analysis;
    const summary = summarize(model, graph, warnings, listedEdgeCounts(RULES, context));
    const report = findingsToJson(found, entryPoints, chokePoints);
    const posture = postureJson(analysis.posture, flags['team-key']);
    const chunks =
      format === 'json'
        ? jsonChunks({...summary, versions: analysis.versions, ...report, posture})
        : format === 'markdown'
          ? [findingsMarkdown(report) + versionsMarkdown(analysis.versions, codeSpan) + postureMarkdown(posture)]
          : format === 'sarif'
            ? jsonChunks(findingsSarif(found, {version: this.config.version, locations: snapshot.locations}))
            : [
                renderSummaryText(summary, flags.verbose) +
                  formatVersionsText(analysis.versions, tablePalette(flags['output-file'])) +
                  formatFindingsText(report, tablePalette(flags['output-file'])) +
                  formatPostureText(posture, tablePalette(flags['output-file'])),
              ];
    await writeOutput(chunks, flags['output-file']);
    if (flags['fail-on'] && atOrAbove(found, flags['fail-on'] as Severity)) process.exitCode = FINDINGS_EXIT_CODE;
  }
}
