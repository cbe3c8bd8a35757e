import {Flags} from '@oclif/core';
import {
  cniFlag,
  formatsOf,
  KubepathCommand,
  liveFlags,
  maxDepthFlag,
  outputFlags,
  verboseFlag,
  modelFlags,
  repeatable,
  writeRendered,
} from '../cli/base.js';
import {createRuleContext} from '../engines/context.js';
import {RULES} from '../edges/index.js';
import {CNI_PROFILES} from '../engines/network/profile.js';
import {buildGraph} from '../graph/build.js';
import {selectNodes} from '../graph/selector.js';
import {pathsMarkdown} from '../output/markdown.js';
import type {Renderers} from '../output/render.js';
import {pathsSarif, type SarifContext} from '../output/sarif.js';
import {formatPathsTable, pathsToJson, reachedSummary, type PathsJson} from '../output/paths.js';
import {jsonChunks} from '../output/json-stream.js';
import {AttackMoves} from '../paths/moves.js';
import {cheapestPaths, reachedFrom, type AttackPath, type SearchOptions} from '../paths/search.js';

/** What paths' formats are made from: the paths found, and the selectors that asked for them. */
interface PathsOutput {
  paths: readonly AttackPath[];
  json: PathsJson;
  from: readonly string[];
  to: readonly string[];
  sarif: SarifContext;
}

export const RENDERERS = {
  text: ({json, from, to}, palette) => formatPathsTable(json, from, to, palette),
  json: ({json}) => jsonChunks(json),
  markdown: ({json, from, to}) => pathsMarkdown(json, from, to),
  sarif: ({paths, sarif}) => jsonChunks(pathsSarif(paths, sarif)),
} satisfies Renderers<PathsOutput>;

export default class Paths extends KubepathCommand {
  static override summary = 'Find the cheapest attack paths from one set of nodes to another';
  static override description = [
    "Follows attack edges only (network reach, tokens, secrets, escapes, nodes, RBAC), cost being the sum of the edges' attacker-effort costs (docs/edges/README.md); returns the K cheapest loop-free paths, cheapest first, each step with its evidence.",
    'SEL is a node id (pod:shop/web-0, sa:ci/deployer, cluster-admin, internet), a wildcard (pod:shop/*, node:*) or ns:NAME. With no path, says how far the sources get.',
  ].join('\n\n');
  static override usage = `paths INPUT... --from SEL --to SEL [--max-paths K] [--max-depth D] [--certainty any|definite] [-o ${formatsOf(RENDERERS)}]`;
  static override examples = [
    '<%= config.bin %> paths examples/multi-tenant --from internet --to cluster-admin',
    '<%= config.bin %> paths examples/multi-tenant --from pod:shop/storefront --to "secret:payments/*" -o json',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    ...liveFlags,
    from: Flags.string({...repeatable, description: 'where the attacker starts (repeatable)', required: true, helpValue: 'SEL'}),
    to: Flags.string({...repeatable, description: 'what the attacker wants (repeatable)', required: true, helpValue: 'SEL'}),
    'max-paths': Flags.integer({description: 'how many paths (K)', default: 5, min: 1, max: 1000}),
    'max-depth': maxDepthFlag,
    certainty: Flags.string({
      description:
        'definite: follow only edges that need no assumption (no network hops, which assume an exploitable service, but into pods whose flaw a --vulns report names)',
      options: ['any', 'definite'],
      default: 'any',
    }),
    ...outputFlags(RENDERERS, {default: 'text', aliases: ['table']}),
    cni: cniFlag,
    ...modelFlags,
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Paths);
    this.checkOutput(flags['output-file'], argv as string[], flags);
    const given = this.modelInputs(flags);
    const {snapshot} = await this.load(argv as string[], flags, {'--from': flags.from, '--to': flags.to});
    const model = this.modelOf(snapshot, given);
    const context = createRuleContext(model, {cni: CNI_PROFILES[flags.cni]});
    const graph = buildGraph(model, RULES, context);
    const sources = selectNodes(graph, flags.from, '--from');
    const targets = new Set(selectNodes(graph, flags.to, '--to'));
    const moves = new AttackMoves(graph, context, RULES);
    const options: SearchOptions = {
      maxPaths: flags['max-paths'],
      maxDepth: flags['max-depth'],
      definiteOnly: flags.certainty === 'definite',
    };
    const paths = cheapestPaths(moves, sources, targets, options);
    const json = pathsToJson(paths, paths.length === 0 ? reachedSummary(graph, reachedFrom(moves, sources, options)) : undefined);
    await writeRendered(RENDERERS, flags, {
      paths,
      json,
      from: flags.from,
      to: flags.to,
      sarif: {version: this.config.version, locations: snapshot.locations},
    });
  }
}
