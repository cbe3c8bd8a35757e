/**
 * kubepath output writing
 * =======================
 *
 * Machine output goes to stdout (no path, `-` or `/dev/stdout`) or to a file (or, for
 * `export csv`, a folder) written whole or not at all: it lands in a temporary file or
 * folder beside the target, renamed into place only when complete. The temporary name is
 * random and created exclusively and never through a link, so a name planted in a shared
 * folder is passed over, never followed; it is cut to fit wherever the target's name
 * fits. A replaced file keeps its mode; a new one gets the usual 0666 (a folder 0777)
 * less the umask. A signal that ends the process removes the temporary first (so does
 * the end of the CLI process that started this one: bin/run.js). Chunks are written as
 * they come, a block at a time, so memory holds one block.
 *
 * Output paths are checked before any work (`checkOutputPath`): a target that is a
 * folder, a link, a device or any other non-regular file, or that is (or would be read
 * back as) one of the command's inputs or a kubeconfig, is refused with exit 2.
 */
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  write,
} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {once} from 'node:events';
import {basename, dirname, join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {UsageError} from '../snapshot/errors.js';
import {isFolder, readsAsManifest, STDIN, walkFolder} from '../snapshot/load.js';

export interface WriteOptions {
  /** The random part of temporary names; replaceable so that tests can plant files at every name it gives. */
  randomName?: () => string;
}

/** One file of an output folder. */
export interface OutputFile {
  name: string;
  chunks: Iterable<string>;
}

/** What a command reads: its INPUT arguments (files, folders, `-`), other files its flags name (`--vulns`), and kubeconfigs. */
export interface CommandReads {
  inputs: readonly string[];
  files: readonly string[];
  /** `--kubeconfig`, and every file kubepath reads as a kubeconfig without it: read or not this time, none is ever replaced by an output. */
  kubeconfigs: readonly string[];
}

/** Writes to a file take blocks this large (few system calls); stdout smaller ones, for a reader that waits. */
const FILE_BLOCK = 1 << 20;
const STDOUT_BLOCK = 1 << 16;
/** Opens a file that must not exist yet, a link included (O_EXCL fails on any name taken; O_NOFOLLOW says so twice). */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** Random temporary names tried before giving up: more than one taken means someone plants them. */
const NAME_ATTEMPTS = 16;
/** The longest file name, in bytes, that Linux and macOS file systems take: a temporary name is kept within it. */
const NAME_MAX = 255;
/** Standard output's own name, a link (to a terminal, pipe or file) that an output path may not be: written as `-` is. */
const DEV_STDOUT = '/dev/stdout';
/** The signals that end a process by default (kill, Ctrl-C, a closed terminal): each removes the temporary files first. */
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const writeAsync = promisify(write);
const randomName = (): string => randomBytes(8).toString('hex');

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

/** Whether an output path names standard output: none, `-` or `/dev/stdout`. */
export function isStdout(outputFile: string | undefined): outputFile is undefined | typeof STDIN | typeof DEV_STDOUT {
  return outputFile === undefined || outputFile === STDIN || outputFile === DEV_STDOUT;
}

/** Writes the chunks to stdout (`isStdout`), or to a file whole or not at all. */
export async function writeOutput(chunks: Iterable<string>, outputFile?: string, options: WriteOptions = {}): Promise<void> {
  if (isStdout(outputFile)) {
    endQuietlyOnClosedPipe();
    for (const block of blocks(chunks, STDOUT_BLOCK)) {
      if (!process.stdout.write(block)) await once(process.stdout, 'drain');
    }
    return;
  }
  const mode = replacedMode(outputFile, 'file');
  await replaceWhole(outputFile, 'file', options, (temporary) => {
    const fd = openSync(temporary, CREATE_NEW, mode === undefined ? 0o666 : 0o600);
    return {
      fill: async () => {
        try {
          if (mode !== undefined) fchmodSync(fd, mode);
          await writeAll(fd, chunks, outputFile);
        } finally {
          closeSync(fd);
        }
      },
    };
  });
}

/** Writes a folder of files whole or not at all: the target is new or an empty folder, which it replaces. */
export async function writeOutputFolder(files: Iterable<OutputFile>, folder: string, options: WriteOptions = {}): Promise<void> {
  const mode = replacedMode(folder, 'folder');
  await replaceWhole(folder, 'folder', options, (temporary) => {
    mkdirSync(temporary, 0o777);
    return {
      fill: async () => {
        if (mode !== undefined) chmodSync(temporary, mode);
        for (const file of files) {
          const fd = openSync(join(temporary, file.name), CREATE_NEW, 0o666);
          try {
            await writeAll(fd, file.chunks, folder);
          } finally {
            closeSync(fd);
          }
        }
      },
    };
  });
}

/**
 * Refuses, before any work, an output path that cannot be written, or that would
 * overwrite a file the command reads (an input, every file an input folder's walk
 * finds, through links too, a kubeconfig) or be read back as an input next time (inside
 * an input folder, named as the loader reads: src/snapshot/load.ts). Paths are compared
 * with links resolved.
 */
export function checkOutputPath(path: string, kind: 'file' | 'folder', reads: CommandReads): void {
  replacedMode(path, kind);
  const place = placeOf(path);
  const folders = reads.inputs.filter((input) => input !== STDIN && isFolder(input)).map((folder) => ({folder, ...walkFolder(folder)}));
  const read = [
    ...[...reads.inputs, ...reads.files, ...folders.flatMap((walked) => walked.files)].map((file) => ({
      file,
      is: 'an input of this command',
    })),
    ...reads.kubeconfigs.map((file) => ({file, is: 'a kubeconfig kubepath reads (--kubeconfig, KUBECONFIG, ~/.kube/config)'})),
  ];
  const overwritten = read.find(({file}) => file !== STDIN && placeOf(file) === place);
  if (overwritten !== undefined)
    throw new UsageError(`cannot write ${path}: it is ${overwritten.file === path ? '' : `${overwritten.file}, `}${overwritten.is}`);
  const readBack =
    kind === 'file' && readsAsManifest(basename(place)) ? folders.find((walked) => walked.folders.has(dirname(place))) : undefined;
  if (readBack !== undefined) {
    throw new UsageError(
      `cannot write ${path}: it is inside the input folder ${readBack.folder}, which would read it back as input next time; write it elsewhere`,
    );
  }
}

/** Where a path leads, links resolved: its real path, or for a file yet to be made, its folder's real path and its name. */
function placeOf(path: string): string {
  return realPath(path) ?? join(realPath(dirname(path)) ?? resolve(dirname(path)), basename(path));
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The mode an existing target has (kept by its replacement), or undefined for a new
 * one; throws UsageError for a path that must not be written: empty, in a missing
 * folder, a link, a device, a folder where a file goes (or the reverse), a folder
 * that is not empty.
 */
function replacedMode(path: string, kind: 'file' | 'folder'): number | undefined {
  if (path === '') throw new UsageError('cannot write to an empty path');
  const folder = dirname(path);
  if (!isFolder(folder)) throw new UsageError(`cannot write ${path}: the folder ${folder} does not exist`);
  if (kind === 'file' && /[\\/]$/.test(path)) throw new UsageError(`cannot write ${path}: it names a folder`);
  // The temporary goes in dirname(path): for `.` or `dir/..` that is the target itself or inside it.
  if (kind === 'folder' && ['.', '..'].includes(basename(path)))
    throw new UsageError(`cannot write ${path}: name the folder by its own name, not . or ..`);
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotWrite(path, error);
  }
  if (stats.isSymbolicLink()) throw new UsageError(`cannot write ${path}: it is a symbolic link; name the ${kind} it points to`);
  if (kind === 'file') {
    if (stats.isDirectory()) throw new UsageError(`cannot write ${path}: it is a folder`);
    if (!stats.isFile()) throw new UsageError(`cannot write ${path}: it is not a regular file`);
  } else {
    if (!stats.isDirectory()) throw new UsageError(`cannot write ${path}: it exists and is not a folder`);
    if (readdirSync(path).length > 0) throw new UsageError(`${path} exists and is not empty: give a new or empty folder`);
  }
  // Permission bits only: a set-id bit is not carried over to new content.
  return stats.mode & 0o777;
}

/**
 * Creates a temporary beside `target` under a fresh random name (`create` must fail
 * with EEXIST on a name taken by anything, a link included), fills it, and renames it
 * over the target. Whatever fails or signals on the way, the temporary goes.
 */
async function replaceWhole(
  target: string,
  kind: 'file' | 'folder',
  options: WriteOptions,
  create: (temporary: string) => {fill: () => Promise<void>},
): Promise<void> {
  const names = options.randomName ?? randomName;
  // Listening before the temporary exists: a signal between its creation and its registration would otherwise kill at once and leave it.
  holdSignals();
  let temporary: string | undefined;
  try {
    let created: {fill: () => Promise<void>} | undefined;
    for (let attempt = 0; created === undefined; attempt++) {
      if (attempt === NAME_ATTEMPTS)
        throw new UsageError(`cannot write ${target}: ${NAME_ATTEMPTS} random temporary names beside it were all taken`);
      const candidate = join(dirname(target), temporaryName(basename(target), names()));
      try {
        created = create(candidate);
        temporary = candidate;
        removedOnSignal.add(candidate);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotWrite(target, error);
      }
    }
    await created.fill();
    // Checked again: the target may have changed while the output was made.
    replacedMode(target, kind);
    try {
      renameSync(temporary!, target);
    } catch (error) {
      throw cannotWrite(target, error);
    }
    temporary = undefined;
  } catch (error) {
    if (temporary !== undefined) rmSync(temporary, {recursive: true, force: true});
    throw error;
  } finally {
    if (temporary !== undefined) removedOnSignal.delete(temporary);
    releaseSignals();
  }
}

/** `.<base>.<random>.tmp`, the base cut (never inside a character) so that the name fits in NAME_MAX bytes. */
function temporaryName(base: string, random: string): string {
  let room = NAME_MAX - Buffer.byteLength(`..${random}.tmp`);
  let kept = '';
  for (const character of base) {
    room -= Buffer.byteLength(character);
    if (room < 0) break;
    kept += character;
  }
  return `.${kept}.${random}.tmp`;
}

/** A failed system call on the output (no permission, no space, ...), as one line and exit 2. */
function cannotWrite(path: string, error: unknown): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (typeof failure?.code !== 'string') return error;
  return new UsageError(`cannot write ${path}: ${failure.message.split(',')[0]}`);
}

/** The chunks in blocks of about `size` characters: small ones joined, large ones cut (never inside a surrogate pair). */
function* blocks(chunks: Iterable<string>, size: number): Generator<string> {
  let block = '';
  for (const chunk of chunks) {
    block += chunk;
    while (block.length >= size) {
      const end = isHighSurrogate(block.charCodeAt(size - 1)) ? size - 1 : size;
      yield block.slice(0, end);
      block = block.slice(end);
    }
  }
  if (block !== '') yield block;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** Writes every chunk; each block awaits its write, so signals are heard while a long output is made. */
async function writeAll(fd: number, chunks: Iterable<string>, target: string): Promise<void> {
  for (const block of blocks(chunks, FILE_BLOCK)) {
    const bytes = Buffer.from(block);
    try {
      for (let offset = 0; offset < bytes.length;) offset += (await writeAsync(fd, bytes, offset)).bytesWritten;
    } catch (error) {
      throw cannotWrite(target, error);
    }
  }
}

/** Temporary files and folders that exist now, removed if a signal ends the process. */
const removedOnSignal = new Set<string>();
let signalHolders = 0;

function holdSignals(): void {
  if (signalHolders++ === 0) for (const signal of CLEANUP_SIGNALS) process.on(signal, removeAndDie);
}

function releaseSignals(): void {
  if (--signalHolders === 0) for (const signal of CLEANUP_SIGNALS) process.removeListener(signal, removeAndDie);
}

/** Removes the temporaries, then dies of the signal as if none had been listened to (the shell sees 128 + its number). */
function removeAndDie(signal: NodeJS.Signals): void {
  for (const path of removedOnSignal) rmSync(path, {recursive: true, force: true});
  removedOnSignal.clear();
  for (const listened of CLEANUP_SIGNALS) process.removeListener(listened, removeAndDie);
  process.kill(process.pid, signal);
}
