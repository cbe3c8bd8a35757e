/**
 * kubepath benchmark
 * ==================
 *
 * `npm run bench [-- --sizes 1000,10000 --reach-sizes 20000 --seed 1]` runs the real pipeline on
 * generated clusters. For each size it generates a cluster file (timing the
 * generator as its own process), then, each in a fresh Node process (pipeline.ts),
 * loads it and builds the model and the graph, loads it and computes network
 * reachability, and loads it and builds every privilege edge, so each run's peak
 * memory is its own, read from `/usr/bin/time -v`
 * where present. Then, for each of the reach sizes, `kubepath reach -o txt` with its whole
 * output (reach-output.ts). Prints a markdown table and rewrites
 * BENCHMARKS.md. Generated files live in a temporary folder and are deleted.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {cpus, platform, release, tmpdir, totalmem} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {randomBytes} from 'node:crypto';
import {layout, NEO4J_VERSION, start, stop} from '../neo4j/local-server.js';
import {NEO4J_ENV} from './environment.js';
import {benchCollect, collectSection, type CollectFigures} from './collect.js';
import {hasGnuTime, MiB, run, type Measured} from './measure.js';
import {benchReachOutput, type ReachOutputFigures} from './reach-output.js';
import type {ExportFigures, Phase, PipelineFigures} from './pipeline.js';

const DEFAULT_SIZES = [1_000, 10_000, 50_000, 150_000];
const GENERATOR = fileURLToPath(new URL('../generate/cli.js', import.meta.url));
const PIPELINE = fileURLToPath(new URL('./pipeline.js', import.meta.url));
const BENCHMARKS_FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
/** The pipeline child's heap limit: room to measure past the 3 GB target rather than die at Node's default. */
const CHILD_HEAP_MB = 8192;

/** kubepath's scale aims: the largest cluster Kubernetes supports, on one 2-core machine. */
const TARGET = {pods: 150_000, genSeconds: 60, loadSeconds: 20, rssMiB: 3 * 1024};
/** The paths issue's aims: analyze end to end at 10k and 150k pods, and one query on the built graph. */
const ANALYZE_TARGETS = [
  {pods: 10_000, seconds: 10},
  {pods: 150_000, seconds: 60, rssMiB: 4 * 1024},
] as const;
const QUERY_TARGET_SECONDS = 1;
/** The Neo4j issue's aim: nodes plus relationships per second from `export neo4j` into the local Neo4j (`npm run neo4j`'s server). */
const EXPORT_TARGET = {pods: 10_000, itemsPerSecond: 20_000};
/** The report issue's aim: the 10k-pod cluster's report built and opened in Chromium within a minute, under 10 MB. */
const REPORT_TARGET = {pods: 10_000, seconds: 60, bytes: 10 * MiB};
const OPEN_REPORT = fileURLToPath(new URL('./open-report.js', import.meta.url));
/** The collector issue's aim: 150k pods collected from an API server, streaming pages, in under 3 GB. */
const COLLECT_TARGET = {pods: 150_000, rssMiB: 3 * 1024};
/** The privilege issue's aim: RBAC and every privilege edge at 150k pods. */
const PRIVILEGE_TARGET_SECONDS = 20;
/** The network issue's aims: reach computation at 10k pods, and at 150k pods within a memory bound. */
const REACH_TARGET = {smallPods: 10_000, smallSeconds: 3, seconds: 30, rssMiB: 4 * 1024};
/** The hardening issue's aim: `reach -o txt` prints every connection of 20,000 pods (it once ran out of string length at 15,000). */
const REACH_OUTPUT_TARGET_PODS = 20_000;
const DEFAULT_REACH_SIZES = [10_000, REACH_OUTPUT_TARGET_PODS];

interface Options {
  sizes: number[];
  /** Where `reach -o txt`'s whole output is measured (it grows with pods squared: 1.4 GB at 20,000). */
  reachSizes: number[];
  seed: number;
  timeoutSeconds: number;
}

interface Row {
  pods: number;
  fileMiB?: number;
  gen: Measured;
  pipeline?: PipelineFigures;
  pipelineRun?: Measured;
  reach?: PipelineFigures;
  reachRun?: Measured;
  privilege?: PipelineFigures;
  privilegeRun?: Measured;
  analysis?: PipelineFigures;
  analysisRun?: Measured;
  exported?: PipelineFigures;
  exportRun?: Measured;
  reported?: PipelineFigures;
  reportRun?: Measured;
  /** `kubepath collect` from the stand-in API server serving this cluster (collect.ts). */
  collected?: CollectFigures;
  /** The report opened in Chromium: until drawn, or why not. */
  opened?: {seconds: number; elements: number; errors: string[]} | {failure: string};
}

/** The local Neo4j the export phase writes into, or why there is none. */
type BenchNeo4j = {target: {uri: string; user: string; password: string}} | {failure: string};

class UsageProblem extends Error {}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({values} = parseArgs({
      args: argv,
      options: {sizes: {type: 'string'}, 'reach-sizes': {type: 'string'}, seed: {type: 'string'}, timeout: {type: 'string'}},
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageProblem((error as Error).message.split('. ')[0]!);
  }
  const podCounts = (flag: string, text: string | undefined, fallback: number[]): number[] => {
    if (text === undefined) return fallback;
    const counts = text === '' ? [] : text.split(',').map((s) => s.trim().replaceAll('_', ''));
    for (const count of counts) {
      if (!/^\d+$/.test(count) || Number(count) < 1)
        throw new UsageProblem(`${flag} takes pod counts separated by commas, e.g. 1000,10000; not ${JSON.stringify(text)}`);
    }
    return counts.map(Number);
  };
  const sizes = podCounts('--sizes', values.sizes, DEFAULT_SIZES);
  const reachSizes = podCounts('--reach-sizes', values['reach-sizes'], DEFAULT_REACH_SIZES);
  const seed = values.seed ?? '1';
  if (!/^-?\d+$/.test(seed)) throw new UsageProblem(`--seed must be an integer, not ${JSON.stringify(seed)}`);
  const timeout = values.timeout ?? '1200';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1)
    throw new UsageProblem(`--timeout must be a number of seconds, not ${JSON.stringify(timeout)}`);
  return {sizes, reachSizes, seed: Number(seed), timeoutSeconds: Number(timeout)};
}

function benchSize(pods: number, options: Options, timeTool: boolean, neo4j: BenchNeo4j | undefined): Row {
  const folder = mkdtempSync(join(tmpdir(), 'kubepath-bench-'));
  const file = join(folder, `cluster-${pods}.json`);
  try {
    progress(`${pods} pods: generating`);
    const gen = run(
      process.execPath,
      [GENERATOR, '--pods', String(pods), '--seed', String(options.seed), '--out', file],
      timeTool,
      options.timeoutSeconds,
    );
    const row: Row = {pods, gen: gen.measured};
    if (gen.measured.failure) return row;
    row.fileMiB = statSync(file).size / MiB;
    progress(`${pods} pods: ${row.fileMiB.toFixed(0)} MB in ${gen.measured.seconds.toFixed(1)} s; loading into the graph`);
    [row.pipeline, row.pipelineRun] = runPipeline('graph', file, timeTool, options);
    if (row.pipeline && row.pipeline.snapshotPods !== pods) {
      progress(`warning: ${pods} pods generated but ${row.pipeline.snapshotPods} loaded`);
    }
    progress(
      `${pods} pods: ${row.pipelineRun.failure ? `failed (${row.pipelineRun.failure})` : `${row.pipeline!.totalSeconds.toFixed(1)} s, ${peakOf(row)?.toFixed(0)} MB`}; computing reachability`,
    );
    [row.reach, row.reachRun] = runPipeline('reach', file, timeTool, options);
    progress(
      `${pods} pods: ${row.reachRun.failure ? `reach failed (${row.reachRun.failure})` : `reach ${reachSeconds(row.reach)?.toFixed(1)} s, ${reachPeakOf(row)?.toFixed(0)} MB`}; building privilege edges`,
    );
    [row.privilege, row.privilegeRun] = runPipeline('privilege', file, timeTool, options);
    progress(
      `${pods} pods: ${row.privilegeRun.failure ? `privilege failed (${row.privilegeRun.failure})` : `privilege edges ${row.privilege!.graphSeconds.toFixed(1)} s`}`,
    );
    if (ANALYZE_TARGETS.some((target) => target.pods === pods)) {
      progress(`${pods} pods: analyzing end to end`);
      [row.analysis, row.analysisRun] = runPipeline('analyze', file, timeTool, options);
      progress(
        `${pods} pods: ${row.analysisRun.failure ? `analyze failed (${row.analysisRun.failure})` : `analyze ${row.analysis!.totalSeconds.toFixed(1)} s`}`,
      );
    }
    if (pods === REPORT_TARGET.pods) {
      progress(`${pods} pods: building the HTML report and opening it in Chromium`);
      [row.reported, row.reportRun] = runPipeline('report', file, timeTool, options);
      if (row.reported) {
        const open = run(process.execPath, [OPEN_REPORT, `${file}.report.html`], false, options.timeoutSeconds);
        row.opened = open.measured.failure
          ? {failure: open.measured.failure}
          : (JSON.parse(open.result.stdout.trim().split('\n').pop()!) as {seconds: number; elements: number; errors: string[]});
      }
    }
    if (pods === EXPORT_TARGET.pods && neo4j) {
      progress(`${pods} pods: exporting into Neo4j`);
      if ('failure' in neo4j) row.exportRun = {seconds: 0, failure: neo4j.failure};
      else [row.exported, row.exportRun] = runPipeline('export', file, timeTool, options, {[NEO4J_ENV]: JSON.stringify(neo4j.target)});
      const figures = row.exported?.exported;
      progress(
        `${pods} pods: ${figures ? `export ${Math.round(itemsOf(figures) / figures.loadSeconds)} items/s` : `export failed (${row.exportRun.failure})`}`,
      );
    }
    return row;
  } finally {
    rmSync(folder, {recursive: true, force: true});
  }
}

function runPipeline(
  phase: Phase,
  file: string,
  timeTool: boolean,
  options: Options,
  env: Record<string, string> = {},
): [PipelineFigures | undefined, Measured] {
  // The young generation the CLI runs with (bin/run.js).
  const {result, measured} = run(
    process.execPath,
    [`--max-old-space-size=${CHILD_HEAP_MB}`, '--max-semi-space-size=32', PIPELINE, phase, file],
    timeTool,
    options.timeoutSeconds,
    env,
  );
  if (measured.failure) return [undefined, measured];
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return [JSON.parse(line) as PipelineFigures, measured];
  } catch {
    measured.failure = `no figures from the ${phase} run: ${JSON.stringify(line.slice(0, 120))}`;
    return [undefined, measured];
  }
}

function reachSeconds(figures: PipelineFigures | undefined): number | undefined {
  return figures?.reach ? figures.reach.engineSeconds + figures.reach.sweepSeconds : undefined;
}

function reachPeakOf(row: Row): number | undefined {
  return row.reachRun?.maxRssMiB ?? row.reach?.maxRssMiB;
}

function progress(message: string): void {
  process.stderr.write(`kubepath bench: ${message}\n`);
}

function peakOf(row: Row): number | undefined {
  return row.pipelineRun?.maxRssMiB ?? row.pipeline?.maxRssMiB;
}

const seconds = (value: number | undefined): string => (value === undefined ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const whole = (value: number | undefined): string => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));

function table(rows: readonly Row[]): string {
  const lines = [
    '| pods | file MB | gen s | load s | model s | graph s | total s | peak RSS MB | graph nodes | edges |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const p = row.pipeline;
    if (row.gen.failure) {
      lines.push(`| ${whole(row.pods)} | – | failed: ${row.gen.failure} | | | | | | | |`);
    } else if (!p) {
      const failure = `failed after ${seconds(row.pipelineRun?.seconds)} s: ${row.pipelineRun?.failure ?? 'unknown'}`;
      lines.push(
        `| ${whole(row.pods)} | ${whole(row.fileMiB)} | ${seconds(row.gen.seconds)} | ${failure.replaceAll('|', '/')} | – | – | – | ${whole(peakOf(row))} | – | – |`,
      );
    } else {
      lines.push(
        `| ${whole(row.pods)} | ${whole(row.fileMiB)} | ${seconds(row.gen.seconds)} | ${seconds(p.loadSeconds)} | ${seconds(p.modelSeconds)} | ${seconds(p.graphSeconds)} | ${seconds(p.totalSeconds)} | ${whole(peakOf(row))} | ${whole(p.graphNodes)} | ${whole(p.graphEdges)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** One row per rule, one column per cluster size: seconds (edges), from the phase `figures` picks. */
function perRuleTable(rows: readonly Row[], figures: (row: Row) => PipelineFigures | undefined): string {
  const measured = rows.filter((row) => figures(row)?.rules);
  if (measured.length === 0) return '';
  const lines = [
    `| rule | ${measured.map((row) => `${whole(row.pods)} pods s (edges)`).join(' | ')} |`,
    `|---|${measured.map(() => '---:').join('|')}|`,
  ];
  for (const {rule, perSource} of figures(measured[0]!)!.rules!) {
    lines.push(
      `| ${rule}${perSource ? ' *' : ''} | ${measured
        .map((row) => {
          const r = figures(row)!.rules!.find((x) => x.rule === rule);
          return r ? `${seconds(r.seconds)} (${whole(r.edges)})` : '–';
        })
        .join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function privilegeTable(rows: readonly Row[]): string {
  const lines = ['| pods | RBAC engine s | rules s | total s | privilege edges | peak RSS MB |', '|---:|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    const p = row.privilege;
    if (!p?.rules) {
      lines.push(
        `| ${whole(row.pods)} | ${`failed: ${row.privilegeRun?.failure ?? row.gen.failure ?? 'not run'}`.replaceAll('|', '/')} | | | | ${whole(row.privilegeRun?.maxRssMiB)} |`,
      );
      continue;
    }
    const ruleSeconds = p.rules.reduce((sum, r) => sum + r.seconds, 0);
    const edges = p.rules.reduce((sum, r) => sum + r.edges, 0);
    lines.push(
      `| ${whole(row.pods)} | ${seconds(p.rbacSeconds)} | ${seconds(ruleSeconds)} | ${seconds(p.graphSeconds)} | ${whole(edges)} | ${whole(row.privilegeRun?.maxRssMiB ?? p.maxRssMiB)} |`,
    );
  }
  return `${lines.join('\n')}\n\n${perRuleTable(rows, (row) => row.privilege)}`;
}

function privilegeNote(rows: readonly Row[]): string {
  const largest = rows.find((row) => row.pods === TARGET.pods);
  const total = largest?.privilege?.graphSeconds;
  if (!largest?.privilege) return `- privilege edges at ${whole(TARGET.pods)} pods: not measured in this run.`;
  return `- evaluate RBAC and build every privilege edge at ${whole(TARGET.pods)} pods in under ${PRIVILEGE_TARGET_SECONDS} s: ${verdict(total! < PRIVILEGE_TARGET_SECONDS)} (${seconds(total)} s).`;
}

function analyzeTable(rows: readonly Row[]): string {
  const lines = [
    '| pods | load s | model s | graph, summary + findings s | total s | findings | query s (5 paths) | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows.filter((r) => r.analysisRun)) {
    const a = row.analysis;
    const peak = row.analysisRun?.maxRssMiB ?? a?.maxRssMiB;
    if (!a?.analysis) {
      lines.push(
        `| ${whole(row.pods)} | ${`failed: ${row.analysisRun?.failure ?? 'not run'}`.replaceAll('|', '/')} | | | | | | ${whole(peak)} |`,
      );
      continue;
    }
    lines.push(
      `| ${whole(row.pods)} | ${seconds(a.loadSeconds)} | ${seconds(a.modelSeconds)} | ${seconds(a.graphSeconds)} | ${seconds(a.totalSeconds)} | ${whole(a.analysis.findings)} | ${seconds(a.analysis.querySeconds)} | ${whole(peak)} |`,
    );
  }
  const notes = ANALYZE_TARGETS.map((target) => {
    const row = rows.find((r) => r.pods === target.pods);
    if (!row?.analysisRun) return `- ${whole(target.pods)} pods: not measured in this run.`;
    const a = row.analysis;
    const peak = row.analysisRun.maxRssMiB ?? a?.maxRssMiB;
    const memory = 'rssMiB' in target ? ` and ${target.rssMiB / 1024} GB` : '';
    const ok = a !== undefined && a.totalSeconds < target.seconds && (!('rssMiB' in target) || (peak ?? Infinity) < target.rssMiB);
    const query = a?.analysis
      ? `; one query ${seconds(a.analysis.querySeconds)} s (under ${QUERY_TARGET_SECONDS} s: ${verdict(a.analysis.querySeconds < QUERY_TARGET_SECONDS)})`
      : '';
    return `- ${whole(target.pods)} pods end to end in under ${target.seconds} s${memory}: ${verdict(a ? ok : undefined)} (${a ? `${seconds(a.totalSeconds)} s, ` : ''}${whole(peak)} MB peak)${query}.`;
  });
  return `${lines.join('\n')}\n\n${notes.join('\n')}`;
}

const itemsOf = (figures: ExportFigures): number => figures.nodes + figures.relationships;

function exportTable(rows: readonly Row[]): string {
  const measured = rows.filter((row) => row.exportRun);
  if (measured.length === 0) return `- ${whole(EXPORT_TARGET.pods)} pods: not measured in this run.`;
  const lines = [
    '| pods | nodes | relationships | analysis to records s | first load s (items per s) | second load s | items per s | client peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const row of measured) {
    const figures = row.exported?.exported;
    const peak = row.exportRun?.maxRssMiB ?? row.exported?.maxRssMiB;
    if (!figures) {
      lines.push(
        `| ${whole(row.pods)} | ${`failed: ${row.exportRun?.failure ?? 'not run'}`.replaceAll('|', '/')} | | | | | | ${whole(peak)} |`,
      );
      notes.push(
        `- export of ${whole(row.pods)} pods at ${whole(EXPORT_TARGET.itemsPerSecond)} items per second or more: ${verdict(undefined)}.`,
      );
      continue;
    }
    const rate = itemsOf(figures) / figures.loadSeconds;
    const firstRate = itemsOf(figures) / figures.firstLoadSeconds;
    lines.push(
      `| ${whole(row.pods)} | ${whole(figures.nodes)} | ${whole(figures.relationships)} | ${seconds(figures.recordsSeconds)} | ${seconds(figures.firstLoadSeconds)} (${whole(firstRate)}) | ${seconds(figures.loadSeconds)} | ${whole(rate)} | ${whole(peak)} |`,
    );
    notes.push(
      `- export of ${whole(row.pods)} pods at ${whole(EXPORT_TARGET.itemsPerSecond)} items per second or more, the server warm: ${verdict(rate >= EXPORT_TARGET.itemsPerSecond)} (${whole(rate)}); ` +
        `the first export into the just-started server, JIT compilation included: ${whole(firstRate)} per second.`,
    );
  }
  return `${lines.join('\n')}\n\n${notes.join('\n')}`;
}

function reportTable(rows: readonly Row[]): string {
  const row = rows.find((r) => r.pods === REPORT_TARGET.pods && r.reportRun);
  if (!row) return `- ${whole(REPORT_TARGET.pods)} pods: not measured in this run.`;
  const figures = row.reported?.report;
  if (!figures) return `- ${whole(row.pods)} pods: the report failed: ${row.reportRun?.failure ?? 'unknown'}.`;
  const opened = row.opened && 'seconds' in row.opened ? row.opened : undefined;
  const build = row.reported!.loadSeconds + row.reported!.modelSeconds + row.reported!.graphSeconds;
  const lines = [
    '| pods | load, analyze and write s | of which the report s | MB | nodes | edges | opened in Chromium s | elements drawn | console errors |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${whole(row.pods)} | ${seconds(build)} | ${seconds(figures.seconds)} | ${(figures.bytes / MiB).toFixed(2)} | ${whole(figures.nodes)} | ${whole(figures.edges)} | ${opened ? seconds(opened.seconds) : `failed: ${row.opened && 'failure' in row.opened ? row.opened.failure : 'not run'}`.replaceAll('|', '/')} | ${opened ? whole(opened.elements) : '–'} | ${opened ? opened.errors.length : '–'} |`,
  ];
  const total = opened ? build + opened.seconds : undefined;
  const ok = total !== undefined && total < REPORT_TARGET.seconds && figures.bytes < REPORT_TARGET.bytes && opened!.errors.length === 0;
  return `${lines.join('\n')}\n\n- built and opened within ${REPORT_TARGET.seconds} s, under ${REPORT_TARGET.bytes / MiB} MB, without console errors: ${verdict(total === undefined ? undefined : ok)}${total === undefined ? '' : ` (${seconds(total)} s, ${(figures.bytes / MiB).toFixed(2)} MB)`}.`;
}

function reachTable(rows: readonly Row[]): string {
  const lines = [
    '| pods | workload peers | classes | engine s | sweep s | reach s | class pairs reached | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const r = row.reach?.reach;
    if (!r) {
      lines.push(
        `| ${whole(row.pods)} | ${`failed: ${row.reachRun?.failure ?? row.gen.failure ?? 'not run'}`.replaceAll('|', '/')} | | | | | | ${whole(reachPeakOf(row))} |`,
      );
      continue;
    }
    lines.push(
      `| ${whole(row.pods)} | ${whole(r.peers)} | ${whole(r.classes)} | ${seconds(r.engineSeconds)} | ${seconds(r.sweepSeconds)} | ${seconds(reachSeconds(row.reach))} | ${whole(r.classPairs)} | ${whole(reachPeakOf(row))} |`,
    );
  }
  return lines.join('\n');
}

function reachNotes(rows: readonly Row[]): string {
  const small = rows.find((row) => row.pods === REACH_TARGET.smallPods);
  const large = rows.find((row) => row.pods === TARGET.pods);
  const lines = ['Targets (network issue):', ''];
  const smallSeconds = reachSeconds(small?.reach);
  lines.push(
    small
      ? `- ${whole(REACH_TARGET.smallPods)} pods in under ${REACH_TARGET.smallSeconds} s: ${verdict(smallSeconds === undefined ? false : smallSeconds < REACH_TARGET.smallSeconds)} (${seconds(smallSeconds)} s).`
      : `- ${whole(REACH_TARGET.smallPods)} pods: not measured in this run.`,
  );
  if (large) {
    const largeSeconds = reachSeconds(large.reach);
    const peak = reachPeakOf(large);
    const ok = largeSeconds !== undefined && largeSeconds < REACH_TARGET.seconds && (peak === undefined || peak < REACH_TARGET.rssMiB);
    lines.push(
      `- ${whole(TARGET.pods)} pods in under ${REACH_TARGET.seconds} s and 4 GB: ${verdict(large.reachRun ? ok : undefined)} (${seconds(largeSeconds)} s, ${whole(peak)} MB peak for the whole run, loading included).`,
    );
  } else lines.push(`- ${whole(TARGET.pods)} pods: not measured in this run.`);
  const measured = rows.filter((row) => row.reach?.reach);
  if (measured.length >= 2) {
    const first = measured[0]!.reach!;
    const last = measured[measured.length - 1]!.reach!;
    const growth = (a: number, b: number) => (b / a).toFixed(1);
    lines.push(
      `- growth from ${whole(first.snapshotPods)} to ${whole(last.snapshotPods)} pods: classes x${growth(first.reach!.classes, last.reach!.classes)}, engine build x${growth(first.reach!.engineSeconds, last.reach!.engineSeconds)}, sweep x${growth(first.reach!.sweepSeconds, last.reach!.sweepSeconds)} (the sweep's answer, class pairs reached, grows x${growth(first.reach!.classPairs, last.reach!.classPairs)}).`,
    );
  }
  return lines.join('\n');
}

function reachOutputSection(measured: readonly ReachOutputFigures[]): string {
  const lines = ['| pods | lines | output MB | s | peak RSS MB |', '|---:|---:|---:|---:|---:|'];
  for (const figures of measured) {
    const size = figures.bytes === undefined ? undefined : figures.bytes / MiB;
    const result = figures.failure
      ? `failed after ${seconds(figures.seconds)} s: ${figures.failure}`.replaceAll('|', '/')
      : seconds(figures.seconds);
    lines.push(`| ${whole(figures.pods)} | ${whole(figures.lines)} | ${whole(size)} | ${result} | ${whole(figures.maxRssMiB)} |`);
  }
  const target = measured.find((figures) => figures.pods === REACH_OUTPUT_TARGET_PODS);
  const note = target
    ? `- \`reach -o txt\` on ${whole(REACH_OUTPUT_TARGET_PODS)} pods completes, every connection written: ${verdict(!target.failure)} (${seconds(target.seconds)} s, ${whole(target.lines)} lines, ${whole(target.maxRssMiB)} MB peak).`
    : `- ${whole(REACH_OUTPUT_TARGET_PODS)} pods: not measured in this run.`;
  return `${lines.join('\n')}\n\n${note}`;
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**';
}

function targetNotes(rows: readonly Row[]): string {
  const largest = rows.find((row) => row.pods === TARGET.pods);
  const lines = [
    `Targets (kubepath's scale goal: the largest cluster Kubernetes supports, ${TARGET.pods.toLocaleString('en-US')} pods, on one 2-core machine):`,
    '',
  ];
  if (!largest) {
    lines.push(`- not measured in this run: it did not include ${TARGET.pods.toLocaleString('en-US')} pods.`);
    return lines.join('\n');
  }
  const genOk = largest.gen.failure ? false : largest.gen.seconds < TARGET.genSeconds;
  const loadOk = largest.pipeline ? largest.pipeline.totalSeconds < TARGET.loadSeconds : largest.pipelineRun ? false : undefined;
  const peak = peakOf(largest);
  const rssOk = largest.pipeline ? (peak === undefined ? undefined : peak < TARGET.rssMiB) : largest.pipelineRun ? false : undefined;
  lines.push(
    `- generate ${TARGET.pods.toLocaleString('en-US')} pods in under ${TARGET.genSeconds} s: ${verdict(genOk)} (${seconds(largest.gen.seconds)} s).`,
  );
  lines.push(
    `- load into the graph (load + model + graph) in under ${TARGET.loadSeconds} s: ${verdict(loadOk)} (${largest.pipeline ? `${seconds(largest.pipeline.totalSeconds)} s` : (largest.pipelineRun?.failure ?? 'not run')}).`,
  );
  lines.push(`- and in under 3 GB peak RSS: ${verdict(rssOk)} (${whole(peak)} MB).`);
  return lines.join('\n');
}

/** The commit measured, and whether the source differed from it. */
function codeVersion(): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8'});
  if (commit.status !== 0) return 'unknown (not a git checkout)';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], {cwd: root, encoding: 'utf8'});
  return `${commit.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes under src/' : ''}`;
}

function markdown(
  rows: readonly Row[],
  reachOutputs: readonly ReachOutputFigures[],
  options: Options,
  timeTool: boolean,
  command: string,
  code: string,
): string {
  const cpuList = cpus();
  const now = new Date();
  return `# kubepath benchmarks

Written by \`npm run bench\` (src/bench/bench.ts); rerun it to refresh this page.

- Machine: ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown model'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB memory, ${platform()} ${release()}
- Node ${process.version}
- Date: ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC
- Command: \`${command}\`
- Code: ${code}

Each cluster is generated with seed ${options.seed} (\`node dist/generate/cli.js --pods N --seed ${options.seed}\`:
one \`kind: List\` JSON document, as \`kubectl get -o json\` writes it). The pipeline then runs in a
fresh Node process (\`--max-old-space-size=${CHILD_HEAP_MB} --max-semi-space-size=32\`, the young generation the CLI runs with): \`loadInputs\` (read, parse, redact,
validate), \`buildModel\`, \`buildGraph\`. "total s" is load + model + graph; "peak RSS MB" is that
process's maximum resident set size${timeTool ? ' from `/usr/bin/time -v`' : ' from process.resourceUsage()'}. MB are 2^20 bytes.

${table(rows)}

${targetNotes(rows)}

## Attack-edge rules

Time each rule's \`build\` took inside the graph phase above (an engine it is the first to need is
built in that time: the network engine in INTERNET_EXPOSURE, the RBAC engine in the first RBAC rule),
and the edges it drew into the graph. Rules marked * join identities to objects (one cluster-wide
grant reaches every pod) and, like POD_NETWORK_REACH, draw nothing: path search asks them per source
(\`edgesFrom\`; src/edges/grant-groups.ts), and graph output and exports list them. The next table
counts and times them.

${perRuleTable(rows, (row) => row.pipeline)}

## Privilege edges

A third fresh process loads the same file, builds the model, then the RBAC engine (input and
bootstrap policy, aggregation, identities), then every rule but the two network ones: each draws its
edges, and each rule marked * also lists every edge it holds, source by source (\`sources\` then
\`edgesFrom\`; the edges are counted and dropped, as a streaming export would). "total s" is the
RBAC engine plus all rules: every privilege edge of the cluster, worked out and enumerated.

${privilegeTable(rows)}

${privilegeNote(rows)}

## Analyze end to end

At ${ANALYZE_TARGETS.map((t) => whole(t.pods)).join(' and ')} pods, a fourth fresh process loads the file and runs
\`analyze\`'s work: model, graph (engines included), the summary (which counts every edge, those asked
per identity included), and the findings from the Internet to every crown jewel category (5 paths
each, src/paths/findings.ts). Then, on the graph built, one query:
\`paths --from internet --to cluster-admin\` for 5 paths (Yen over A*, its own backward search from
cluster-admin included; src/paths/search.ts).

${analyzeTable(rows)}

## HTML report

At ${whole(REPORT_TARGET.pods)} pods, a sixth fresh process loads the file, analyzes it and writes \`kubepath report\`'s page
(src/output/report-data.ts, report.ts); then Chromium (playwright-core, src/bench/open-report.ts)
opens it from disk, every request refused, until the viewer has laid out and drawn its graph.

${reportTable(rows)}

## Export into Neo4j

At ${whole(EXPORT_TARGET.pods)} pods, a fifth fresh process loads the file, analyzes it and builds the export
records (the graph, identity → object edges included, and the findings: src/export/records.ts),
then loads them as \`kubepath export neo4j\` does (src/export/neo4j-live.ts) into a new local Neo4j
started for the bench the way \`npm run neo4j\` starts one (Neo4j ${NEO4J_VERSION} Community, 1 GB heap,
256 MB page cache, on the same 2 cores), twice: first as the server's first cluster, while the JVM
still compiles Neo4j's code, then as a second cluster into the warm server (as much to write). A
load runs from connecting to the end of the removal of stale items; "items per s" is nodes plus
relationships over the second load, the first's in brackets.

${exportTable(rows)}

## Live collection

\`kubepath collect\` as a user runs it (bin/run.js with a kubeconfig: HTTPS, a bearer token, pages
of 500, four lists at once, secrets as metadata only) against the stand-in Kubernetes API server
(src/bench/fake-api-server.ts), which serves the same generated cluster, with managedFields on every
object, from a process of its own. Each list answer is read item by item as it arrives, each item
redacted and checked, so the collector holds the snapshot and the items of the lists under way;
the peak RSS is the collector's (writing the snapshot included). src/bench/collect.ts.

${collectSection(rows, COLLECT_TARGET)}

## Network reachability

A second fresh process loads the same file, builds the model, then the network engine
(\`buildNetworkEngine\`: pods grouped into classes, policies compiled), and sweeps every class
(\`reachableFrom\`, which first builds each rule's class set): the whole class-level reachability relation that path
search reads, exact to the port. "reach s" is engine + sweep; the peak RSS is the whole process,
loading included. Listing every connected pair as text (\`kubepath reach\` without \`--from\`) is
output-bound, quadratic in workloads by nature, and measured in the next section, not here.

${reachTable(rows)}

${reachNotes(rows)}

## Reach's whole output

\`kubepath reach FILE -o txt\` as a user runs it (bin/run.js, on the same seed's cluster), its standard
output piped into a sink that counts bytes and lines: every connection of the cluster, a list that
grows with workloads squared, made and written line by line (src/output/connlist.ts). "peak RSS" is
the largest of the CLI's processes, each reporting its own \`process.resourceUsage().maxRSS\` on exit
(src/bench/max-rss.ts, reach-output.ts).

${reachOutputSection(reachOutputs)}
`;
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageProblem) {
      process.stderr.write(`kubepath bench: error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const code = codeVersion();
  const timeTool = hasGnuTime();
  if (!timeTool) progress('no GNU /usr/bin/time: peak memory comes from the pipeline process itself, and is missing for failed runs');
  // A new local Neo4j, as `npm run neo4j` starts it (same heap and page cache), only for the export run.
  const neo4jPaths = options.sizes.includes(EXPORT_TARGET.pods) ? layout(mkdtempSync(join(tmpdir(), 'kubepath-bench-neo4j-'))) : undefined;
  let neo4j: BenchNeo4j | undefined;
  if (neo4jPaths) {
    const password = randomBytes(12).toString('hex');
    try {
      const server = await start({port: 0, password, paths: neo4jPaths, progress});
      neo4j = {target: {uri: server.uri, user: server.user, password}};
    } catch (error) {
      neo4j = {failure: `no local Neo4j: ${(error as Error).message.split('\n')[0]}`};
    }
  }
  let rows: Row[];
  try {
    rows = [];
    for (const size of options.sizes) {
      const row = benchSize(size, options, timeTool, neo4j);
      progress(`${size} pods: collecting from the stand-in API server`);
      row.collected = await benchCollect(size, options.seed, timeTool, options.timeoutSeconds);
      const collected = row.collected.measured;
      progress(
        `${size} pods: ${collected.failure ? `collect failed (${collected.failure})` : `collected in ${collected.seconds.toFixed(1)} s, ${Math.round(collected.maxRssMiB ?? 0)} MB`}`,
      );
      rows.push(row);
    }
  } finally {
    if (neo4jPaths) {
      await stop(neo4jPaths);
      rmSync(neo4jPaths.base, {recursive: true, force: true});
    }
  }
  const reachOutputs: ReachOutputFigures[] = [];
  for (const pods of options.reachSizes) {
    progress(`${pods} pods: reach -o txt, every connection`);
    const figures = await benchReachOutput(pods, options.seed, options.timeoutSeconds);
    progress(
      `${pods} pods: ${figures.failure ? `reach output failed (${figures.failure})` : `${figures.lines} lines in ${figures.seconds?.toFixed(1)} s, ${Math.round(figures.maxRssMiB ?? 0)} MB`}`,
    );
    reachOutputs.push(figures);
  }
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  process.stdout.write(
    `${table(rows)}\n\n${targetNotes(rows)}\n\n${reachTable(rows)}\n\n${reachNotes(rows)}\n\n${exportTable(rows)}\n\n${reportTable(rows)}\n\n${collectSection(rows, COLLECT_TARGET)}\n\n${reachOutputSection(reachOutputs)}\n`,
  );
  writeFileSync(BENCHMARKS_FILE, markdown(rows, reachOutputs, options, timeTool, command, code));
  progress(`wrote ${BENCHMARKS_FILE}`);
}

void main();
