import {Flags} from '@oclif/core';
import {jsonFlag, KubepathCommand, liveFlags, outputFileFlag, modelFlags} from '../cli/base.js';
import {createRuleContext} from '../engines/context.js';
import {RULES} from '../edges/index.js';
import {buildGraph} from '../graph/build.js';
import {graphJsonChunks} from '../output/graph-json.js';
import {writeOutput} from '../output/write.js';

export default class Graph extends KubepathCommand {
  static override summary = 'Print the attack graph: every node and edge, with evidence';
  static override usage = 'graph INPUT... -o json';
  static override examples = ['<%= config.bin %> graph examples/multi-tenant -o json > graph.json'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    ...liveFlags,
    output: Flags.string({char: 'o', description: 'output format', options: ['json'], default: 'json'}),
    json: jsonFlag,
    ...modelFlags,
    'output-file': outputFileFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Graph);
    this.checkOutput(flags['output-file'], argv as string[], flags);
    const given = this.modelInputs(flags);
    const {snapshot} = await this.load(argv as string[], flags);
    const model = this.modelOf(snapshot, given);
    const context = createRuleContext(model);
    const graph = buildGraph(model, RULES, context);
    await writeOutput(graphJsonChunks(graph, {rules: RULES, context}), flags['output-file']);
  }
}
