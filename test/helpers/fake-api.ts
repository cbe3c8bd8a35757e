/**
 * The stand-in API server (src/bench/fake-api-server.ts) for the collector's tests:
 * each server serves the objects given, with faults, and a kubeconfig for it in a
 * temporary folder; `collectFake` runs the built CLI's `collect` against one.
 * `closeServed` (in afterEach) closes every server started since.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {startFakeApiServer, type FakeApiServer, type FakeObject, type Faults} from '../../src/bench/fake-api-server.js';
import type {Snapshot} from '../../src/snapshot/snapshot.js';
import {runCliAsync, tempDir, type CliResult} from './cli.js';

const served: FakeApiServer[] = [];

export async function closeServed(): Promise<void> {
  await Promise.all(served.splice(0).map((server) => server.close()));
}

export async function serveFake(objects: readonly FakeObject[], faults: Faults = {}): Promise<{server: FakeApiServer; kubeconfig: string; dir: string}> {
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
}

/** `kubepath collect --kubeconfig ... --out ... ARGS` against a server of `objects` with `faults`. */
export async function collectFake(objects: readonly FakeObject[], faults: Faults, args: string[] = []): Promise<Collected> {
  const {server: api, kubeconfig, dir} = await serveFake(objects, faults);
  const out = join(dir, 'snapshot.json');
  const started = Date.now();
  const result = await runCliAsync(['collect', '--kubeconfig', kubeconfig, '--out', out, ...args]);
  const seconds = (Date.now() - started) / 1000;
  const snapshot = result.status === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as Snapshot) : undefined;
  return {api, result, snapshot, out, kubeconfig, dir, seconds};
}
