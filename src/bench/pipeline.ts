/**
 * kubepath benchmark pipeline run
 * ===============================
 *
 * One measured run of the real pipeline on one input file: loadInputs (read,
 * parse, redact, validate), buildModel, buildGraph, each timed. It runs in a
 * process of its own, started by bench.ts, so that the peak memory it reports is
 * this run's alone. Prints one JSON line of figures on stdout.
 */
import {statSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {buildGraph} from '../graph/build.js';
import {buildModel} from '../graph/model.js';
import {loadInputs} from '../snapshot/load.js';

export interface PipelineFigures {
  file: string;
  bytes: number;
  loadSeconds: number;
  modelSeconds: number;
  graphSeconds: number;
  totalSeconds: number;
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

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    process.stderr.write('usage: node dist/bench/pipeline.js FILE\n');
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
  const graph = buildGraph(model);
  const graphed = performance.now();
  const rssAfterGraph = process.memoryUsage.rss();

  let snapshotObjects = 0;
  for (const list of Object.values(snapshot.objects) as unknown[][]) snapshotObjects += list.length;
  const figures: PipelineFigures = {
    file,
    bytes,
    loadSeconds: (loaded - started) / 1000,
    modelSeconds: (modelled - loaded) / 1000,
    graphSeconds: (graphed - modelled) / 1000,
    totalSeconds: (graphed - started) / 1000,
    snapshotObjects,
    snapshotPods: snapshot.objects.pods.length,
    modelPods: model.pods.length,
    graphNodes: graph.order,
    graphEdges: graph.size,
    warnings: warnings.length,
    rssAfterLoadMiB: rssAfterLoad / MiB,
    rssAfterModelMiB: rssAfterModel / MiB,
    rssAfterGraphMiB: rssAfterGraph / MiB,
    // maxRSS is in KiB on Linux and macOS.
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`kubepath bench pipeline: ${error.name}: ${error.message.split('\n')[0]}\n`);
  if (process.env.KUBEPATH_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
  process.exit(1);
});
