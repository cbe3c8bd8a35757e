/**
 * Runs the built kubepath CLI as a user would: a real process, real exit code,
 * stdout and stderr kept apart. `npm test` builds dist/ first (pretest).
 */
import {spawnSync} from 'node:child_process';
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

export function runCli(args: string[], options: {input?: string; cwd?: string; env?: Record<string, string>} = {}): CliResult {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: {...process.env, NO_COLOR: '1', ...options.env},
  });
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

export function tempDir(prefix = 'kubepath-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A cluster from the seeded generator (dist/generate/cli.js), as a `kind: List` JSON file in a temporary folder. */
export function generatedCluster(pods: number, seed: number): string {
  const file = join(tempDir(), `cluster-${pods}-${seed}.json`);
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'generate', 'cli.js'), '--pods', String(pods), '--seed', String(seed), '--out', file], {encoding: 'utf8'});
  if (result.status !== 0) throw new Error(result.stderr);
  return file;
}
