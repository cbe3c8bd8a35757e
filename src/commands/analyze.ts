import {Flags} from '@oclif/core';
import {jsonFlag, KubepathCommand, outputFileFlag, outputFormat, verboseFlag} from '../cli/base.js';
import {createRuleContext} from '../edges/context.js';
import {RULES} from '../edges/index.js';
import {listedEdges} from '../edges/rule.js';
import {buildGraph} from '../graph/build.js';
import {buildModel} from '../graph/model.js';
import {renderSummaryText, summarize} from '../output/summary.js';
import {writeOutput} from '../output/write.js';

export default class Analyze extends KubepathCommand {
  static override summary = 'Analyze a cluster: what was loaded and what the graph holds';
  static override description =
    'Loads the inputs, builds the cluster model and graph, and summarizes them: objects read, what manifest mode filled in (representative pods, implicit namespaces and service accounts), the graph, skipped kinds and coverage gaps.';
  static override usage = 'analyze INPUT... [-o table|json]';
  static override examples = ['<%= config.bin %> analyze examples/multi-tenant', 'kubectl get pods,deploy -A -o json | <%= config.bin %> analyze -'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['table', 'json'], default: 'table'}),
    json: jsonFlag,
    'output-file': outputFileFlag,
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Analyze);
    const format = outputFormat<'table' | 'json'>(flags, 'table');
    const {snapshot, warnings} = await this.load(argv as string[]);
    const model = buildModel(snapshot);
    const context = createRuleContext(model);
    const summary = summarize(model, buildGraph(model, RULES, context), warnings, listedEdges(RULES, context));
    const text = format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderSummaryText(summary, flags.verbose);
    await writeOutput([text], flags['output-file']);
  }
}
