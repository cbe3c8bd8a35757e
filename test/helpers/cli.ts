/**
 * Runs the built kubepath CLI as a user would: a real process, real exit code,
 * stdout and stderr kept apart. `npm test` builds dist/ first (pretest).
 */
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
export const EXAMPLE = join(ROOT, 'examples', 'multi-tenant');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * The environment a test's CLI runs in: no colour, and no cluster configuration from the
 * machine running the tests (no KUBECONFIG, an empty home, not in a pod), so that a
 * command without INPUT behaves the same everywhere.
 */
function cliEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const {KUBECONFIG: _kubeconfig, KUBERNETES_SERVICE_HOST: _host, KUBERNETES_SERVICE_PORT: _port, ...inherited} = process.env;
  return {...inherited, HOME: emptyHome(), NO_COLOR: '1', ...extra};
}

let home: string | undefined;
function emptyHome(): string {
  home ??= tempDir('kubepath-home-');
  return home;
}

export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: cliEnvironment(options.env),
  });
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** As runCli, without blocking this process: for tests that serve the CLI from here (the fake API server). */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: cliEnvironment(options.env),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolvePromise({status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8')}),
    );
    child.stdin.end(options.input ?? '');
  });
}

export function tempDir(prefix = 'kubepath-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A cluster from the seeded generator (dist/generate/cli.js), as a `kind: List` JSON file in a temporary folder. */
export function generatedCluster(pods: number, seed: number): string {
  const file = join(tempDir(), `cluster-${pods}-${seed}.json`);
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'generate', 'cli.js'), '--pods', String(pods), '--seed', String(seed), '--out', file],
    {encoding: 'utf8'},
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return file;
}
