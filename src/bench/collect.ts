/**
 * kubepath benchmark: live collection
 * ===================================
 *
 * `kubepath collect` as a user runs it (bin/run.js, a kubeconfig, HTTPS with a bearer
 * token), against the stand-in API server serving the bench's generated cluster from
 * a process of its own (serve-fake-api.ts). Measured: the collector's wall time and
 * peak memory, the objects it wrote and the snapshot's size.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {MiB, run, type Measured} from './measure.js';

const SERVER = fileURLToPath(new URL('./serve-fake-api.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
/** The serving process holds the whole generated cluster as objects. */
const SERVER_HEAP_MB = 12_288;

export interface CollectFigures {
  measured: Measured;
  objects?: number;
  snapshotMiB?: number;
  /** Requests the server answered (pages, /version and 404s for versions tried). */
  requests?: number;
}

/** The collector's own page size and concurrency, as a user gets them. */
export async function benchCollect(pods: number, seed: number, timeTool: boolean, timeoutSeconds: number): Promise<CollectFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'kubepath-bench-collect-'));
  const kubeconfig = join(folder, 'kubeconfig');
  const out = join(folder, 'snapshot.json');
  const server = spawn(
    process.execPath,
    [`--max-old-space-size=${SERVER_HEAP_MB}`, SERVER, '--pods', String(pods), '--seed', String(seed), '--kubeconfig', kubeconfig],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const serverErrors: string[] = [];
  server.stderr.setEncoding('utf8').on('data', (text: string) => serverErrors.push(text));
  try {
    const ready = await new Promise<boolean>((resolve) => {
      createInterface({input: server.stdout}).on('line', (line) => line.startsWith('ready ') && resolve(true));
      server.on('exit', () => resolve(false));
    });
    if (!ready)
      return {
        measured: {seconds: 0, failure: `the stand-in API server did not start: ${serverErrors.join('').trim().split('\n').pop() ?? ''}`},
      };
    const {result, measured} = run(process.execPath, [CLI, 'collect', '--kubeconfig', kubeconfig, '--out', out], timeTool, timeoutSeconds, {
      HOME: folder,
      KUBECONFIG: '',
    });
    const figures: CollectFigures = {measured};
    if (measured.failure) return figures;
    const wrote = /wrote (\d+) objects/.exec(result.stderr);
    if (wrote) figures.objects = Number(wrote[1]);
    figures.snapshotMiB = statSync(out).size / MiB;
    const stopped = new Promise<void>((resolve) => server.on('exit', () => resolve()));
    server.kill('SIGTERM');
    await stopped;
    const served = /served (\d+) requests/.exec(serverErrors.join(''));
    if (served) figures.requests = Number(served[1]);
    return figures;
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(folder, {recursive: true, force: true});
  }
}

const seconds = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const whole = (value: number | undefined): string => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));

/** The table and the target's verdict (the collector issue: under 3 GB at 150k pods, by streaming pages). */
export function collectSection(
  rows: ReadonlyArray<{pods: number; collected?: CollectFigures}>,
  target: {pods: number; rssMiB: number},
): string {
  const measured = rows.filter((row) => row.collected);
  const lines = [
    '| pods | objects | collect s | objects per s | snapshot MB | requests | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const {pods, collected} of measured) {
    const m = collected!.measured;
    if (m.failure) {
      lines.push(`| ${whole(pods)} | failed: ${m.failure.replaceAll('|', '/')} | | | | | ${whole(m.maxRssMiB)} |`);
      continue;
    }
    const objects = collected!.objects;
    lines.push(
      `| ${whole(pods)} | ${whole(objects)} | ${seconds(m.seconds)} | ${objects === undefined ? '–' : whole(objects / m.seconds)} | ${whole(collected!.snapshotMiB)} | ${whole(collected!.requests)} | ${whole(m.maxRssMiB)} |`,
    );
  }
  const largest = measured.find((row) => row.pods === target.pods)?.collected;
  const verdict = !largest
    ? 'not measured in this run'
    : largest.measured.failure || largest.measured.maxRssMiB === undefined
      ? '**not measured**'
      : largest.measured.maxRssMiB < target.rssMiB
        ? '**met**'
        : '**missed**';
  const detail =
    largest && !largest.measured.failure ? ` (${whole(largest.measured.maxRssMiB)} MB, ${seconds(largest.measured.seconds)} s)` : '';
  return `${lines.join('\n')}\n\n- collect ${whole(target.pods)} pods in under ${target.rssMiB / 1024} GB peak RSS: ${verdict}${detail}.`;
}
