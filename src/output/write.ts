/**
 * kubepath output writing
 * =======================
 *
 * Machine output goes to stdout or, with --output-file, to a file written whole or
 * not at all: the text lands in a temporary file beside the target, which is renamed
 * into place only when complete.
 */
import {closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {UsageError} from '../snapshot/errors.js';
import {basename, dirname, join} from 'node:path';
import {once} from 'node:events';

let quietOnClosedPipe = false;

/** `kubepath graph ... | head` closes stdout early: that ends the command quietly, as for any Unix tool. */
function endQuietlyOnClosedPipe(): void {
  if (quietOnClosedPipe) return;
  quietOnClosedPipe = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export async function writeOutput(chunks: Iterable<string>, outputFile?: string): Promise<void> {
  if (outputFile === undefined || outputFile === '-') {
    endQuietlyOnClosedPipe();
    for (const chunk of chunks) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    }
    return;
  }
  if (!existsSync(dirname(outputFile)) || !statSync(dirname(outputFile)).isDirectory()) {
    throw new UsageError(`cannot write ${outputFile}: the folder ${dirname(outputFile)} does not exist`);
  }
  const temporary = join(dirname(outputFile), `.${basename(outputFile)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w');
    // Join small chunks so large outputs take few system calls.
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, outputFile);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, {force: true});
    throw error;
  }
}
