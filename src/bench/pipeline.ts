/**
 * kubepath benchmark pipeline run
 * ===============================
 *
 * One measured run of the real pipeline on one input file: loadInputs (read,
 * parse, redact, validate), buildModel, then one of: buildGraph (`graph`); the
 * network engine (`reach`: build the classes and compiled policies, then ask every
 * class what it reaches, which is the whole class-level reachability relation); or
 * the privilege edges (`privilege`: the RBAC engine, then every rule but the network
 * ones, each drawing its edges and listing those it is asked for per identity); or
 * `analyze`: graph and findings end to end, then one paths query; or `export`: the
 * analysis's export records, loaded into the Neo4j bench.ts started. Each is timed. It runs in a process of its own, started by bench.ts, so that the peak
 * memory it reports is this run's alone. Prints one JSON line of figures on stdout.
 */
import {statSync, writeFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {buildNetworkEngine} from '../engines/network/engine.js';
import {createRuleContext, type RuleContext} from '../engines/context.js';
import {RULES} from '../edges/index.js';
import {listedEdgeCounts, type EdgeRule} from '../edges/rule.js';
import {buildGraph} from '../graph/build.js';
import {CLUSTER_ADMIN, INTERNET} from '../graph/ids.js';
import {buildModel} from '../graph/model.js';
import {DEFAULT_PROFILE} from '../engines/network/profile.js';
import {summarize} from '../output/summary.js';
import {loadIntoNeo4j, type Neo4jTarget} from '../export/neo4j-live.js';
import {NEO4J_ENV} from './environment.js';
import {analysisRecords} from '../export/records.js';
import {renderReport} from '../output/report.js';
import {reportData} from '../output/report-data.js';
import {analyze} from '../paths/analysis.js';
import {cheapestPaths} from '../paths/search.js';
import {loadInputs} from '../snapshot/load.js';

export type Phase = 'graph' | 'reach' | 'privilege' | 'analyze' | 'export' | 'report';

/** `report`: the analysis, then `kubepath report`'s page, written beside the input as FILE.report.html. */
export interface ReportFigures {
  /** The report's data and page, after the analysis. */
  seconds: number;
  bytes: number;
  /** Nodes and edges in the data: drawn, and offered for expanding. */
  nodes: number;
  edges: number;
}

/**
 * `export`: the analysis's records (graph and findings), then `export neo4j`'s load of
 * them into a local Neo4j just started, twice: as the first cluster the server sees (its
 * code not yet compiled by the JVM's JIT), then as a second cluster (warm).
 */
export interface ExportFigures {
  nodes: number;
  relationships: number;
  /** Analysis to export records (what `export neo4j` does before it connects). */
  recordsSeconds: number;
  /** Connect, constraint, every batch, and the removal of stale items: the first load into the new server. */
  firstLoadSeconds: number;
  /** The same, for the second load (another --cluster, so it writes as much). */
  loadSeconds: number;
}

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

/** `analyze`: graph and findings end to end, then one paths query (internet to cluster-admin, 5 paths) on the built graph. */
export interface AnalyzeFigures {
  findings: number;
  querySeconds: number;
  queryPaths: number;
}

export interface RuleFigures {
  rule: string;
  seconds: number;
  edges: number;
  /** Whether the rule is asked per identity (its edges are not held in the graph). */
  perSource?: boolean;
}

export interface PipelineFigures {
  file: string;
  phase: Phase;
  bytes: number;
  loadSeconds: number;
  modelSeconds: number;
  /** buildGraph; for the reach phase the engine build and the sweep; for the privilege phase the RBAC engine and every privilege edge. */
  graphSeconds: number;
  /**
   * `graph`: within buildGraph, each rule's build (engines it needs included) and the
   * edges it drew. `privilege`: each rule's build plus listing the edges it is asked
   * for per identity (each source's edgesFrom, counted, not kept), and all its edges.
   */
  rules?: RuleFigures[];
  analysis?: AnalyzeFigures;
  exported?: ExportFigures;
  report?: ReportFigures;
  /** `privilege`: the RBAC engine's build, before any rule. */
  rbacSeconds?: number;
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

/** Network rules (CAN_REACH) are the network issue's; every other rule draws a privilege edge. */
export const isPrivilegeRule = (rule: EdgeRule): boolean => rule.type !== 'CAN_REACH';

/** Every privilege edge: each rule's drawn edges, and those it lists per identity (counted, not kept). */
function privilegeEdges(context: RuleContext): RuleFigures[] {
  return RULES.filter(isPrivilegeRule).map((rule) => {
    const started = performance.now();
    let edges = rule.build(context).length;
    if (rule.sources && rule.edgesFrom) for (const source of rule.sources(context)) edges += rule.edgesFrom(context, source).length;
    return {rule: rule.id, seconds: (performance.now() - started) / 1000, edges, ...(rule.sources ? {perSource: true} : {})};
  });
}

async function main(): Promise<void> {
  const PHASES: readonly Phase[] = ['graph', 'reach', 'privilege', 'analyze', 'export', 'report'];
  const [given, file] = process.argv.slice(2);
  const phase = PHASES.find((name) => name === given);
  if (!phase || !file || process.argv.length > 4) {
    process.stderr.write(`usage: [${NEO4J_ENV}=JSON] node dist/bench/pipeline.js graph|reach|privilege|analyze|export|report FILE\n`);
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
  let rules: RuleFigures[] = [];
  let rbacSeconds: number | undefined;
  const context = createRuleContext(model);
  let analysis: AnalyzeFigures | undefined;
  let exported: ExportFigures | undefined;
  let report: ReportFigures | undefined;
  if (phase === 'report') {
    const analysed = analyze(model, {cni: DEFAULT_PROFILE, maxDepth: 12});
    graphOrder = analysed.graph.order;
    graphSize = analysed.graph.size;
    const reported = performance.now();
    const data = reportData(analysed, {
      cluster: file,
      version: 'bench',
      summary: summarize(model, analysed.graph, warnings, listedEdgeCounts(RULES, analysed.context)),
    });
    const page = renderReport(data);
    writeFileSync(`${file}.report.html`, page);
    report = {
      seconds: (performance.now() - reported) / 1000,
      bytes: Buffer.byteLength(page),
      nodes: data.nodes.length,
      edges: data.edges.length,
    };
  } else if (phase === 'export') {
    const target = JSON.parse(process.env[NEO4J_ENV] ?? 'null') as Neo4jTarget | null;
    if (!target) throw new Error(`the export phase needs ${NEO4J_ENV}`);
    const analysed = analyze(model, {cni: DEFAULT_PROFILE, maxDepth: 12});
    const records = analysisRecords(analysed);
    graphOrder = analysed.graph.order;
    graphSize = analysed.graph.size;
    const recorded = performance.now();
    await loadIntoNeo4j(target, records, {cluster: 'bench-first', wipe: false, batchSize: 5000, progress: () => {}});
    const first = performance.now();
    await loadIntoNeo4j(target, records, {cluster: 'bench-second', wipe: false, batchSize: 5000, progress: () => {}});
    exported = {
      nodes: records.nodes.length,
      relationships: records.relationships.length,
      recordsSeconds: (recorded - modelled) / 1000,
      firstLoadSeconds: (first - recorded) / 1000,
      loadSeconds: (performance.now() - first) / 1000,
    };
  } else if (phase === 'analyze') {
    const {graph, context: analysed, moves, findings} = analyze(model, {cni: DEFAULT_PROFILE, maxDepth: 12});
    // The command's summary counts every edge, those asked per identity included: timed as the command does it.
    summarize(model, graph, warnings, listedEdgeCounts(RULES, analysed));
    graphOrder = graph.order;
    graphSize = graph.size;
    const queried = performance.now();
    const paths = cheapestPaths(moves, [INTERNET], new Set([CLUSTER_ADMIN]), {maxPaths: 5, maxDepth: 12, definiteOnly: false});
    analysis = {findings: findings.length, querySeconds: (performance.now() - queried) / 1000, queryPaths: paths.length};
  } else if (phase === 'privilege') {
    const rbacStarted = performance.now();
    void context.rbac;
    rbacSeconds = (performance.now() - rbacStarted) / 1000;
    rules = privilegeEdges(context);
  } else if (phase === 'graph') {
    const perSource = new Set(RULES.filter((rule) => rule.sources).map((rule) => rule.id));
    const graph = buildGraph(model, RULES, context, (rule, seconds, edges) =>
      rules.push({rule, seconds, edges, ...(perSource.has(rule) ? {perSource: true} : {})}),
    );
    graphOrder = graph.order;
    graphSize = graph.size;
  } else {
    const engine = buildNetworkEngine(model);
    const built = performance.now();
    let classPairs = 0;
    for (const cls of engine.classes) classPairs += engine.reachableFrom(cls).count();
    const engineSeconds = (built - modelled) / 1000;
    reach = {
      engineSeconds,
      sweepSeconds: (performance.now() - built) / 1000,
      classes: engine.classes.length,
      peers: engine.peers.length,
      classPairs,
    };
  }
  // For analyze, the single query is timed on its own, after the findings.
  const graphed = performance.now() - (analysis?.querySeconds ?? 0) * 1000;
  const rssAfterGraph = process.memoryUsage.rss();

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
  if (analysis) figures.analysis = analysis;
  if (exported) figures.exported = exported;
  if (report) figures.report = report;
  if (phase === 'graph' || phase === 'privilege') figures.rules = rules;
  if (rbacSeconds !== undefined) figures.rbacSeconds = rbacSeconds;
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`kubepath bench pipeline: ${error.name}: ${error.message.split('\n')[0]}\n`);
  if (process.env.KUBEPATH_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exit(1);
});
