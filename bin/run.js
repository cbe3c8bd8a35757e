#!/usr/bin/env node
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

// A cluster of 150,000 pods builds millions of long-lived objects: a larger young generation
// copies them less often. 32 MB semi-spaces load 150,000 pods as fast as 64 MB did (27-29 s
// either way, 2026-12-08) and keep small inputs about 60 MB lower (20 MB of `--- []` peaks at
// 209 MB, not 271 MB). V8 takes the flag only at start, so the CLI starts itself again with it once.
const NODE_FLAGS = ['--max-semi-space-size=32'];
if (NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  // Started by the CLI process below, the worker holds an IPC channel to it, used for nothing
  // but this: when that process is gone (SIGKILL, or a signal it does not forward), the channel
  // closes and the worker ends as a SIGTERM ends it, removing its temporary files
  // (src/output/write.ts). Unref'd, the channel keeps the worker alive no longer than its work.
  if (process.channel) {
    process.channel.unref();
    const endAsTerminated = () => process.kill(process.pid, 'SIGTERM');
    process.on('disconnect', endAsTerminated);
    if (!process.connected) endAsTerminated();
  }
  const {execute} = await import('@oclif/core');
  await execute({dir: import.meta.url});
} else {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  // `kill PID` reaches only this process, Ctrl-C the whole group: either way the worker is
  // told, and this process stays until it has removed its temporary files and ended, then
  // ends the same way (killed by the same signal, or with the same status). Any other end of
  // this process closes the IPC channel, and the worker ends too.
  const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`kubepath: cannot start: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (status, signal) => {
    for (const listened of SIGNALS) process.removeListener(listened, forward);
    if (signal) process.kill(process.pid, signal);
    process.exit(status ?? 1);
  });
}
