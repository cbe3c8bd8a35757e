/**
 * kubepath benchmark: reach's whole output
 * ========================================
 *
 * `kubepath reach FILE -o txt` as a user runs it (bin/run.js), its standard output
 * piped into a sink that only counts bytes and lines: every connection of a generated
 * cluster, a list that grows with workloads squared (over a gigabyte at 20,000 pods),
 * written as it is made. Measured: wall time, peak RSS (the largest of the CLI's
 * processes, each reporting its own through max-rss.ts), bytes and lines.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {run} from './measure.js';

// From the repository's root, so that tests can run this file from its source too.
const CLI = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../../dist/generate/cli.js', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('../../dist/bench/max-rss.js', import.meta.url));

export interface CountedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  seconds: number;
  /** The largest peak resident memory of the command's Node processes. */
  maxRssMiB?: number;
  bytes: number;
  lines: number;
}

/** Runs the CLI with `args`, counting what it writes to stdout instead of keeping it. */
export async function runCounted(
  args: readonly string[],
  timeoutSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CountedRun> {
  const folder = mkdtempSync(join(tmpdir(), 'kubepath-counted-'));
  const rssFile = join(folder, 'rss');
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {...env, KUBEPATH_BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${MAX_RSS}`.trim()},
      timeout: timeoutSeconds * 1000,
    });
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, killedBy) => resolve([code, killedBy]));
    });
    const seconds = (performance.now() - started) / 1000;
    const reported = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
    const peaks = reported
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => Number(line.split(' ')[1]) / 1024);
    return {status, signal, stderr, seconds, bytes, lines, ...(peaks.length > 0 ? {maxRssMiB: Math.max(...peaks)} : {})};
  } finally {
    rmSync(folder, {recursive: true, force: true});
  }
}

export interface ReachOutputFigures {
  pods: number;
  seconds?: number;
  maxRssMiB?: number;
  bytes?: number;
  lines?: number;
  failure?: string;
}

/** Generates a cluster of `pods` and runs `reach -o txt` on it, all of its output counted. */
export async function benchReachOutput(pods: number, seed: number, timeoutSeconds: number): Promise<ReachOutputFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'kubepath-bench-reach-'));
  const file = join(folder, `cluster-${pods}.json`);
  try {
    const generated = run(
      process.execPath,
      [GENERATOR, '--pods', String(pods), '--seed', String(seed), '--out', file],
      false,
      timeoutSeconds,
    );
    if (generated.measured.failure) return {pods, failure: `generating: ${generated.measured.failure}`};
    const counted = await runCounted(['reach', file, '-o', 'txt'], timeoutSeconds);
    const figures: ReachOutputFigures = {pods, seconds: counted.seconds, bytes: counted.bytes, lines: counted.lines};
    if (counted.maxRssMiB !== undefined) figures.maxRssMiB = counted.maxRssMiB;
    if (counted.status !== 0) {
      const last = counted.stderr.trim().split('\n').pop() ?? '';
      figures.failure = `${counted.signal ? `killed by ${counted.signal}` : `exit ${counted.status}`}${last ? `: ${last.slice(0, 160)}` : ''}`;
    }
    return figures;
  } finally {
    rmSync(folder, {recursive: true, force: true});
  }
}
