import {Flags} from '@oclif/core';
import {cniFlag, formatsOf, KubepathCommand, liveFlags, outputFlags, verboseFlag, repeatable, writeRendered} from '../cli/base.js';
import {buildNetworkEngine} from '../engines/network/engine.js';
import {CNI_PROFILES} from '../engines/network/profile.js';
import {ingressRoutes} from '../engines/network/routes.js';
import {buildModel} from '../graph/model.js';
import {connectivityList, formatConnectivityText, type ConnectionLine} from '../output/connlist.js';
import {checkFilterMatches, explainPairs, formatExplanations, peerFilter, type Explanation} from '../output/explain.js';
import {jsonChunks, lazyArray} from '../output/json-stream.js';
import type {Renderers} from '../output/render.js';
import {UsageError} from '../snapshot/errors.js';

/**
 * What reach's formats are made from: the connections, or with --explain the
 * explanations, made pair by pair as they are written (the list can be far larger
 * than the model).
 */
type ReachOutput = {connections: Iterable<ConnectionLine>} | {explanations: Iterable<Explanation>};

export const RENDERERS = {
  text: (output) => ('explanations' in output ? formatExplanations(output.explanations) : formatConnectivityText(output.connections)),
  json: (output) => jsonChunks(lazyArray('explanations' in output ? output.explanations : output.connections)),
} satisfies Renderers<ReachOutput>;

/**
 * `--explain SRC DST` takes exactly the two words after it; every other repeatable flag
 * takes one word a time, so the pair is given to the parser as two repeats.
 */
function explainAsRepeats(argv: readonly string[]): string[] {
  const given: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    given.push(argv[i]!);
    if (argv[i] === '--explain' && i + 2 < argv.length && !argv[i + 2]!.startsWith('-')) {
      given.push(argv[i + 1]!, '--explain', argv[i + 2]!);
      i += 2;
    }
  }
  return given;
}

export default class Reach extends KubepathCommand {
  static override summary = 'List which workloads can connect to which, and on what ports';
  static override description = [
    'Evaluates NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy exactly. -o text prints the netpol-analyzer connectivity-list format (SRC => DST : CONN); -o json gives the same facts as [{"src","dst","conn"}].',
    'SEL is a node id (pod:shop/web-0, workload:shop/Deployment/web, internet), a wildcard (pod:shop/*) or ns:NAME; internet stands for outside addresses and the ingress controller.',
    '--explain SRC DST names the policy rule behind every allowed or denied part of each matching connection.',
  ].join('\n\n');
  static override usage = `reach INPUT... [-o ${formatsOf(RENDERERS)}] [--from SEL] [--to SEL] [--explain SRC DST] [--cni generic|calico|cilium]`;
  static override examples = [
    '<%= config.bin %> reach examples/multi-tenant',
    '<%= config.bin %> reach manifests/ -o json --from ns:shop',
    '<%= config.bin %> reach examples/multi-tenant --explain pod:shop/storefront pod:payments/card-vault',
  ];
  // INPUT... is variadic: files, folders and `-`.
  static override strict = false;
  static override flags = {
    ...liveFlags,
    ...outputFlags(RENDERERS, {default: 'text', aliases: ['txt']}),
    from: Flags.string({...repeatable, description: 'only connections from peers matching SEL (repeatable)', helpValue: 'SEL'}),
    to: Flags.string({...repeatable, description: 'only connections to peers matching SEL (repeatable)', helpValue: 'SEL'}),
    explain: Flags.string({...repeatable, description: 'explain the connections from SRC to DST (two selectors)', helpValue: 'SRC DST'}),
    cni: cniFlag,
    verbose: verboseFlag,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Reach, explainAsRepeats(this.argv));
    this.checkOutput(flags['output-file'], argv as string[], flags);
    if (flags.explain && flags.explain.length !== 2)
      throw new UsageError(`--explain takes two selectors, SRC and DST, not ${flags.explain.length}`);
    if (flags.explain && (flags.from || flags.to))
      throw new UsageError('--explain SRC DST names both ends already: leave out --from and --to');
    const from = peerFilter(flags.explain ? [flags.explain[0]!] : flags.from);
    const to = peerFilter(flags.explain ? [flags.explain[1]!] : flags.to);
    const {snapshot} = await this.load(argv as string[], flags);
    const model = buildModel(snapshot);
    const engine = buildNetworkEngine(model, CNI_PROFILES[flags.cni]);
    checkFilterMatches(from, engine.peers);
    checkFilterMatches(to, engine.peers);
    const routes = ingressRoutes(model, engine);
    await writeRendered(
      RENDERERS,
      flags,
      flags.explain ? {explanations: explainPairs(engine, routes, from, to)} : {connections: connectivityList(engine, routes, {from, to})},
    );
  }
}
