/**
 * kubepath benchmark pipeline run
 * ===============================
 *
 * One measured run of the real pipeline on one input file: loadInputs (read,
 * parse, redact, validate), buildModel, then either buildGraph (`graph`) or the
 * network engine (`reach`: build the classes and compiled policies, then ask every
 * class what it reaches, which is the whole class-level reachability relation), each
 * timed. It runs in a process of its own, started by bench.ts, so that the peak
 * memory it reports is this run's alone. Prints one JSON line of figures on stdout.
 */
import {statSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {buildNetworkEngine} from '../engines/network/engine.js';
import {createRuleContext} from '../edges/context.js';
import {RULES} from '../edges/index.js';
import type {RuleContext} from '../edges/rule.js';
import {buildGraph} from '../graph/build.js';
import {buildModel} from '../graph/model.js';
import {loadInputs} from '../snapshot/load.js';

export type Phase = 'graph' | 'reach';

export interface ReachFigures {
  /** Classes and compiled policies. */
  engineSeconds: number;
  /** Each rule's class set (built on the first question), then every class's reachable set. */
  sweepSeconds: number;
  classes: number;
  peers: number;
  /** Ordered class pairs with some port open (a class reaching itself counts). */
  classPairs: number;
}

export interface PipelineFigures {
  file: string;
  phase: Phase;
  bytes: number;
  loadSeconds: number;
  modelSeconds: number;
  /** buildGraph, or for the reach phase the engine build and the sweep. */
  graphSeconds: number;
  /**
   * Within buildGraph: each rule's build (engines it needs included) and the edges it
   * drew; after it, for rules asked per source, the time to list every edge they hold
   * (each source's edgesFrom, counted, not kept) and how many.
   */
  rules?: Array<{rule: string; seconds: number; edges: number; listedSeconds?: number; listedEdges?: number}>;
  totalSeconds: number;
  reach?: ReachFigures;
  snapshotObjects: number;
  snapshotPods: number;
  modelPods: number;
  graphNodes: number;
  graphEdges: number;
  warnings: number;
  /** Resident memory after each phase, and the peak the kernel saw (MiB). */
  rssAfterLoadMiB: number;
  rssAfterModelMiB: number;
  rssAfterGraphMiB: number;
  maxRssMiB: number;
}

const MiB = 1024 * 1024;

/** Every edge of the rules asked per source, as graph output lists them: timed and counted, not kept. */
function listImplicitEdges(context: RuleContext, rules: NonNullable<PipelineFigures['rules']>): void {
  for (const rule of RULES) {
    if (!rule.sources || !rule.edgesFrom) continue;
    const started = performance.now();
    let listed = 0;
    for (const source of rule.sources(context)) listed += rule.edgesFrom(context, source).length;
    const figures = rules.find((r) => r.rule === rule.id)!;
    figures.listedSeconds = (performance.now() - started) / 1000;
    figures.listedEdges = listed;
  }
}

async function main(): Promise<void> {
  const [phase, file] = process.argv.slice(2);
  if ((phase !== 'graph' && phase !== 'reach') || !file || process.argv.length > 4) {
    process.stderr.write('usage: node dist/bench/pipeline.js graph|reach FILE\n');
    process.exit(2);
  }
  const bytes = statSync(file).size;

  const started = performance.now();
  const {snapshot, warnings} = await loadInputs([file]);
  const loaded = performance.now();
  const rssAfterLoad = process.memoryUsage.rss();
  const model = buildModel(snapshot);
  const modelled = performance.now();
  const rssAfterModel = process.memoryUsage.rss();
  let graphOrder = 0;
  let graphSize = 0;
  let reach: ReachFigures | undefined;
  const rules: NonNullable<PipelineFigures['rules']> = [];
  const context = createRuleContext(model);
  if (phase === 'graph') {
    const graph = buildGraph(model, RULES, context, (rule, seconds, edges) => rules.push({rule, seconds, edges}));
    graphOrder = graph.order;
    graphSize = graph.size;
  } else {
    const engine = buildNetworkEngine(model);
    const built = performance.now();
    let classPairs = 0;
    for (const cls of engine.classes) classPairs += engine.reachableFrom(cls).count();
    const engineSeconds = (built - modelled) / 1000;
    reach = {engineSeconds, sweepSeconds: (performance.now() - built) / 1000, classes: engine.classes.length, peers: engine.peers.length, classPairs};
  }
  const graphed = performance.now();
  const rssAfterGraph = process.memoryUsage.rss();
  if (phase === 'graph') listImplicitEdges(context, rules);

  let snapshotObjects = 0;
  for (const list of Object.values(snapshot.objects) as unknown[][]) snapshotObjects += list.length;
  const figures: PipelineFigures = {
    file,
    phase,
    bytes,
    loadSeconds: (loaded - started) / 1000,
    modelSeconds: (modelled - loaded) / 1000,
    graphSeconds: (graphed - modelled) / 1000,
    totalSeconds: (graphed - started) / 1000,
    snapshotObjects,
    snapshotPods: snapshot.objects.pods.length,
    modelPods: model.pods.length,
    graphNodes: graphOrder,
    graphEdges: graphSize,
    warnings: warnings.length,
    rssAfterLoadMiB: rssAfterLoad / MiB,
    rssAfterModelMiB: rssAfterModel / MiB,
    rssAfterGraphMiB: rssAfterGraph / MiB,
    // maxRSS is in KiB on Linux and macOS.
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (reach) figures.reach = reach;
  if (phase === 'graph') figures.rules = rules;
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`kubepath bench pipeline: ${error.name}: ${error.message.split('\n')[0]}\n`);
  if (process.env.KUBEPATH_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exit(1);
});
