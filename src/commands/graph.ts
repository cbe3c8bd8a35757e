import {formatsOf, KubepathCommand, liveFlags, modelFlags, outputFlags, writeRendered} from '../cli/base.js';
import {createRuleContext} from '../engines/context.js';
import {RULES} from '../edges/index.js';
import {buildGraph} from '../graph/build.js';
import type {KubeGraph} from '../graph/types.js';
import {graphJsonChunks, type ListedEdges} from '../output/graph-json.js';
import type {Renderers} from '../output/render.js';

export const RENDERERS = {
  json: ({graph, listed}) => graphJsonChunks(graph, listed),
} satisfies Renderers<{graph: KubeGraph; listed: ListedEdges}>;

export default class Graph extends KubepathCommand {
  static override summary = 'Print the attack graph: every node and edge, with evidence';
  static override usage = `graph INPUT... -o ${formatsOf(RENDERERS)}`;
  static override examples = ['<%= config.bin %> graph examples/multi-tenant -o json > graph.json'];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    ...liveFlags,
    ...outputFlags(RENDERERS, {default: 'json'}),
    ...modelFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Graph);
    this.checkOutput(flags['output-file'], argv as string[], flags);
    const given = this.modelInputs(flags);
    const {snapshot} = await this.load(argv as string[], flags);
    const model = this.modelOf(snapshot, given);
    const context = createRuleContext(model);
    const graph = buildGraph(model, RULES, context);
    await writeRendered(RENDERERS, flags, {graph, listed: {rules: RULES, context}});
  }
}
