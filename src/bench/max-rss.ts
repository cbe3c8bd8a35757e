/**
 * kubepath benchmark: peak memory of a command
 * ============================================
 *
 * Loaded into each Node process of a measured command through
 * `NODE_OPTIONS=--import=...` (the CLI's re-spawned worker inherits it): on exit, each
 * appends its pid and peak resident memory in KiB to the file `KUBEPATH_BENCH_RSS_FILE`
 * names. For machines without GNU time, and exact for the worker, which GNU time sees
 * only as a child of the CLI's first process.
 */
import {appendFileSync} from 'node:fs';

const file = process.env.KUBEPATH_BENCH_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
