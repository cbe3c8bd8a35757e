#!/usr/bin/env node
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

// A cluster of 150,000 pods builds millions of long-lived objects: a larger young generation
// copies them far less often (about 5 s less at that size; BENCHMARKS.md). V8 takes the flag
// only at start, so the CLI starts itself again with it once.
const NODE_FLAGS = ['--max-semi-space-size=64'];
if (!NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  const child = spawnSync(process.execPath, [...NODE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {stdio: 'inherit'});
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}

const {execute} = await import('@oclif/core');
await execute({dir: import.meta.url});
