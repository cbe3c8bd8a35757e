/**
 * How the bench runs a command and measures it: wall time, and the peak resident
 * memory GNU time reports for the process (and any it waited for).
 */
import {existsSync} from 'node:fs';
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {performance} from 'node:perf_hooks';

const TIME = '/usr/bin/time';
export const MiB = 1024 * 1024;

export interface Measured {
  seconds: number;
  /** Peak resident memory from /usr/bin/time -v, when it is there. */
  maxRssMiB?: number;
  failure?: string;
}

/** GNU time's -v report, which gives the peak RSS of the process it ran. */
export function hasGnuTime(): boolean {
  if (!existsSync(TIME)) return false;
  const probe = spawnSync(TIME, ['-v', process.execPath, '-e', ''], {encoding: 'utf8'});
  return probe.status === 0 && /Maximum resident set size/.test(probe.stderr);
}

function peakRss(stderr: string): number | undefined {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) / 1024 : undefined;
}

/** The child's own last words, without GNU time's report. */
function failureReason(result: SpawnSyncReturns<string>, timeoutSeconds: number): string {
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === 'ETIMEDOUT') return `timed out after ${timeoutSeconds} s`;
  if (error) return error.message;
  const ownLines = result.stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\t/.test(line) && !/^Command (exited|terminated)/.test(line));
  const oom = ownLines.find((line) =>
    /heap out of memory|Reached heap limit|Invalid string length|ERR_STRING_TOO_LONG|Cannot create a string/.test(line),
  );
  const last = oom ?? ownLines[ownLines.length - 1] ?? '';
  const how = result.signal ? `killed by ${result.signal}` : `exit ${result.status}`;
  return `${how}${last ? `: ${last.trim().slice(0, 160)}` : ''}`;
}

export function run(
  command: string,
  args: string[],
  timeTool: boolean,
  timeoutSeconds: number,
  env: Record<string, string> = {},
): {result: SpawnSyncReturns<string>; measured: Measured} {
  const started = performance.now();
  const spawnOptions = {encoding: 'utf8' as const, maxBuffer: 64 * MiB, timeout: timeoutSeconds * 1000, env: {...process.env, ...env}};
  const result = timeTool ? spawnSync(TIME, ['-v', command, ...args], spawnOptions) : spawnSync(command, args, spawnOptions);
  const measured: Measured = {seconds: (performance.now() - started) / 1000};
  const rss = timeTool ? peakRss(result.stderr ?? '') : undefined;
  if (rss !== undefined) measured.maxRssMiB = rss;
  if (result.status !== 0 || result.error) measured.failure = failureReason(result, timeoutSeconds);
  return {result, measured};
}
