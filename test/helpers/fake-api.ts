/**
 * The stand-in API server (src/bench/fake-api-server.ts) for the collector's tests:
 * each server serves the objects given, with faults, and a kubeconfig for it in a
 * temporary folder; `collectFake` runs the built CLI's `collect` against one, and
 * reports the peak memory of its process. `closeServed` (in afterEach) closes every
 * server started since.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {startFakeApiServer, type FakeApiServer, type FakeObject, type Faults} from '../../src/bench/fake-api-server.js';
import type {Snapshot} from '../../src/snapshot/snapshot.js';
import {ROOT, runCliAsync, tempDir, type CliResult} from './cli.js';

const served: FakeApiServer[] = [];

export async function closeServed(): Promise<void> {
  await Promise.all(served.splice(0).map((server) => server.close()));
}

export async function serveFake(
  objects: readonly FakeObject[],
  faults: Faults = {},
): Promise<{server: FakeApiServer; kubeconfig: string; dir: string}> {
  const server = await startFakeApiServer(objects, {faults});
  served.push(server);
  const dir = tempDir();
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig());
  return {server, kubeconfig, dir};
}

export interface Collected {
  api: FakeApiServer;
  result: CliResult;
  /** The snapshot written, when the command exited 0. */
  snapshot: Snapshot | undefined;
  out: string;
  kubeconfig: string;
  dir: string;
  /** How long the command took, start to exit. */
  seconds: number;
  /** The peak resident memory of the process that did the work (bin/run.js starts the CLI again in a second one), in MiB; NaN when unknown. */
  peakMiB: number;
}

/** The bench's hook (src/bench/max-rss.ts): each Node process of the CLI appends its peak resident memory to a file as it exits. */
const MAX_RSS_HOOK = join(ROOT, 'dist', 'bench', 'max-rss.js');

/** `kubepath collect --kubeconfig ... --out ... ARGS` against a server of `objects` with `faults`. */
export async function collectFake(objects: readonly FakeObject[], faults: Faults, args: string[] = []): Promise<Collected> {
  const {server: api, kubeconfig, dir} = await serveFake(objects, faults);
  const out = join(dir, 'snapshot.json');
  const peaks = join(dir, 'peak-rss');
  const started = Date.now();
  const result = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--out', out, ...args], {
    env: {NODE_OPTIONS: `--import=${MAX_RSS_HOOK}`, KUBEPATH_BENCH_RSS_FILE: peaks},
  });
  const seconds = (Date.now() - started) / 1000;
  // A process killed (out of memory, say) reports nothing: then the peak is unknown, NaN.
  const peakKiB = existsSync(peaks)
    ? readFileSync(peaks, 'utf8')
        .trim()
        .split('\n')
        .map((line) => Number(line.split(' ')[1]))
    : [Number.NaN];
  const snapshot = result.status === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as Snapshot) : undefined;
  return {api, result, snapshot, out, kubeconfig, dir, seconds, peakMiB: Math.max(...peakKiB) / 1024};
}
