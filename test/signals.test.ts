/**
 * Signals: `bin/run.js` starts the worker Node process that does the work. `kill` of the
 * CLI's PID, or Ctrl-C (SIGINT to its whole process group), while a large output is being
 * written to --output-file stops the worker too: the CLI waits for it, no temporary file
 * is left, the target keeps its old content, and the CLI dies of the signal, as a killed
 * process does (the shell sees 128 + its number). When the CLI's process dies without
 * passing anything on (SIGKILL, or a signal it does not forward), the worker notices its
 * IPC channel close and stops the same way.
 */
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, watch, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {generatedCluster, ROOT, tempDir} from './helpers/cli.js';

/** The processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // pid (comm) state ppid ...: comm may hold spaces and parentheses.
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const isRunning = (pid: number): boolean => existsSync(`/proc/${pid}`);

/** Whether a process still runs: an orphan that has ended may stay a zombie (state Z) when nothing reaps it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Workers a failing run may leave behind, killed after each test. */
const leftover: number[] = [];
afterEach(() => {
  for (const pid of leftover.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

/** Starts `graph CLUSTER --output-file TARGET` and resolves, once its temporary file appears, with the CLI, its worker's PIDs and the CLI's end. */
async function writingGraph(cluster: string, dir: string, target: string, options: {detached: boolean}) {
  const cli = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'graph', cluster, '--output-file', target], {
    ...options,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    cli.on('exit', (code, exitSignal) => resolve({code, signal: exitSignal})),
  );
  const workers = await new Promise<number[]>((resolve, reject) => {
    const watcher = watch(dir, (_event, name) => {
      if (!name?.endsWith('.tmp') || !existsSync(join(dir, name))) return;
      watcher.close();
      const found = childrenOf(cli.pid!);
      leftover.push(...found);
      resolve(found);
    });
    void exited.then(() => {
      watcher.close();
      reject(new Error(`the CLI ended before it wrote a temporary file: ${stderr}`));
    });
  });
  return {cli, workers, exited, stderr: () => stderr};
}

describe('a signal to the CLI while it writes a large output', () => {
  let cluster: string;
  // About 100 MB of graph JSON: a write that takes a good part of a second.
  beforeAll(() => void (cluster = generatedCluster(2000, 18)));

  it.each([
    ['SIGTERM', 'its PID'],
    ['SIGINT', 'its PID'],
    ['SIGINT', 'its process group (Ctrl-C)'],
    ['SIGHUP', 'its process group (a closed terminal)'],
  ] as const)('%s to %s stops the worker, leaves no temporary file and the target as it was, and kills the CLI', async (signal, to) => {
    const dir = tempDir();
    const target = join(dir, 'graph.json');
    writeFileSync(target, 'previous\n');
    // Killed as soon as the temporary file appears, so while the output is being written.
    const {cli, workers, exited, stderr} = await writingGraph(cluster, dir, target, {detached: true});
    process.kill(to.startsWith('its PID') ? cli.pid! : -cli.pid!, signal);
    const exit = await exited;
    expect(workers, 'the worker process').toHaveLength(1);
    expect(isRunning(workers[0]!), 'the worker still runs after the CLI ended').toBe(false);
    expect(exit, stderr()).toEqual({code: null, signal});
    expect(readdirSync(dir)).toEqual(['graph.json']);
    expect(readFileSync(target, 'utf8')).toBe('previous\n');
  });

  // SIGKILL cannot be caught; SIGUSR2 (as SIGALRM, SIGQUIT, ...) kills the CLI process before it could forward it.
  it.each(['SIGKILL', 'SIGUSR2'] as const)(
    '%s to its PID, which ends it at once, stops the worker too, leaving no temporary file and the target as it was',
    async (signal) => {
      const dir = tempDir();
      const target = join(dir, 'graph.json');
      writeFileSync(target, 'previous\n');
      const {cli, workers, exited} = await writingGraph(cluster, dir, target, {detached: false});
      process.kill(cli.pid!, signal);
      expect(await exited).toEqual({code: null, signal});
      expect(workers, 'the worker process').toHaveLength(1);
      // A few seconds at most; the write alone takes less, so a worker that wrote on would be caught by the target's content.
      for (const deadline = Date.now() + 15_000; isAlive(workers[0]!) && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(isAlive(workers[0]!), 'the worker still runs 15 s after the CLI died').toBe(false);
      expect(readdirSync(dir)).toEqual(['graph.json']);
      expect(readFileSync(target, 'utf8')).toBe('previous\n');
    },
  );
});
