/**
 * kubepath loaders
 * ================
 *
 * Turns any mix of inputs into one snapshot: saved snapshots, `kubectl get -o
 * json|yaml` output (`List` and typed lists such as `PodList`), multi-document YAML
 * and JSON, folders read recursively, and `-` for stdin. Documents are read one at a
 * time and every object is redacted at the door, then checked against its kind's
 * schema; kinds kubepath does not read (ConfigMaps, CRDs, ...) are skipped and counted.
 */
import {createReadStream, readdirSync, readFileSync, realpathSync, statSync} from 'node:fs';
import {join} from 'node:path';
import type {DocPath, InputDocument} from './documents.js';
import {parseDocuments} from './parse.js';
import {InputError} from './errors.js';
import {KINDS, kindSpecFor} from './kinds.js';
import {isRecord, withoutUserinfo} from './redact.js';
import {SNAPSHOT_KIND} from './schema.js';
import {compareStrings} from '../util/order.js';
import {objectKey, snapshotEnvelopeSchema, type Location, type Snapshot} from './snapshot.js';
import {admitObject, describe, formatPath, SnapshotBuilder} from './builder.js';

export const STDIN = '-';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/**
 * The largest input read, file or stdin: what Node's readFileSync reads at once (2 GiB).
 * A cluster of 150,000 pods, as many as Kubernetes supports, is about a quarter of it
 * as kubectl JSON, and a model of more would not fit in memory anyway.
 */
export const MAX_INPUT_BYTES = 2 ** 31 - 1;

export interface LoadOptions {
  /** Reads standard input; replaceable in tests. */
  readStdin?: () => Promise<Buffer>;
  /** The largest input read (MAX_INPUT_BYTES); lowered in tests. */
  maxInputBytes?: number;
}

export interface LoadResult {
  snapshot: Snapshot;
  /** Things the user should hear about that do not stop the analysis. */
  warnings: string[];
}

type Json = Record<string, unknown>;

function tooLarge(name: string, limit: number, size?: number): InputError {
  const most = limit === MAX_INPUT_BYTES ? '2 GiB' : `${limit} bytes`;
  return new InputError(
    name,
    undefined,
    `${size === undefined ? '' : `${size} bytes, `}larger than the ${most} kubepath reads from one input; split it (one kubectl get per namespace or kind)`,
  );
}

/** All of a stream (stdin, a pipe), refused as soon as it passes `limit` bytes (leaving the loop closes the stream). */
async function readStream(stream: NodeJS.ReadableStream, name: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += (chunk as Buffer).length;
    if (length > limit) throw tooLarge(name, limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The bytes of one input: a regular file, checked by its size before it is read; a pipe
 * (`<(kubectl get ...)` is one) or socket read as a stream, as stdin is, up to the same
 * bound. A device is refused: /dev/zero would never end.
 */
async function readInput(file: string, name: string, options: LoadOptions): Promise<Buffer> {
  const limit = options.maxInputBytes ?? MAX_INPUT_BYTES;
  try {
    if (file === STDIN) return await (options.readStdin ?? (() => readStream(process.stdin, name, limit)))();
    const stats = statSync(file);
    if (stats.isFIFO() || stats.isSocket()) return await readStream(createReadStream(file), name, limit);
    if (!stats.isFile())
      throw new InputError(name, undefined, 'not a file or a pipe (a device, say): kubepath reads files, folders, pipes and stdin');
    if (stats.size > limit) throw tooLarge(name, limit, stats.size);
    return readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(name, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The files an input names: itself, or every manifest file below a folder, sorted. */
function expandInput(input: string): string[] {
  let stats;
  try {
    stats = statSync(input);
  } catch {
    throw new InputError(input, undefined, 'no such file or folder');
  }
  return stats.isDirectory() ? walkFolder(input).files : [input];
}

/** The manifest files below a folder, sorted (as named through the folder, links kept), and the real folders read to find them. */
export function walkFolder(root: string): {files: string[]; folders: Set<string>} {
  const files: string[] = [];
  // Links are followed (ConfigMap-mounted folders are links); each real folder is read once.
  const folders = new Set<string>();
  const walk = (dir: string): void => {
    let entries;
    try {
      const real = realpathSync(dir);
      if (folders.has(real)) return;
      folders.add(real);
      entries = readdirSync(dir).sort(compareStrings);
    } catch (error) {
      throw new InputError(dir, undefined, `cannot read this folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    for (const name of entries) {
      if (name.startsWith('.')) continue; // .git, editor files, ConfigMap ..data links
      const path = join(dir, name);
      let entry;
      try {
        entry = statSync(path);
      } catch {
        continue; // a dangling link
      }
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && readsAsManifest(name)) files.push(path);
    }
  };
  walk(root);
  return {files, folders};
}

/** Whether a folder walk reads a file of this name (one starting with a dot it passes over). */
export function readsAsManifest(name: string): boolean {
  return !name.startsWith('.') && MANIFEST_FILE.test(name);
}

/** Whether a folder is there (links followed). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function looksLikeKubernetes(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(looksLikeKubernetes);
  return isRecord(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

/** Checks one Kubernetes object and hands it to the builder; returns 1 if kept. */
function addObject(builder: SnapshotBuilder, file: string, doc: InputDocument, path: DocPath, raw: Json, savedLocation?: Location): number {
  const kind = raw.kind as string;
  const apiVersion = raw.apiVersion as string;
  const spec = kindSpecFor(kind, apiVersion);
  if (!spec) {
    builder.skip(apiVersion, kind);
    return 0;
  }
  const admitted = admitObject(spec, raw);
  if ('problem' in admitted) {
    const {at, detail} = admitted.problem;
    throw new InputError(
      file,
      doc.lineOf([...path, ...at]),
      `${describe(kind, admitted.metadata)}: ${formatPath(at) || '(object)'}: ${detail}`,
    );
  }
  const {object} = admitted;
  // Where lines are costly (JSON), only a document's own start line is recorded.
  const line = doc.cheapLines ? doc.lineOf(path) : path.length === 0 ? doc.line : undefined;
  // Keep the object as read (zod's copy adds nothing and would double the memory).
  builder.add(spec, object, savedLocation ?? (line === undefined ? {file} : {file, line}));
  return 1;
}

/** Reads one top-level value of a document: an object, a list of objects, or an array. */
/** Lists inside lists are legal but rare; deeper nesting is refused, never recursed into without bound. */
const MAX_LIST_DEPTH = 4;

function addValue(builder: SnapshotBuilder, file: string, doc: InputDocument, path: DocPath, value: unknown): number {
  if (path.length > MAX_LIST_DEPTH * 2) throw new InputError(file, doc.lineOf(path), 'lists nested too deeply');
  if (Array.isArray(value)) {
    if (path.length > 0) throw new InputError(file, doc.lineOf(path), 'not a Kubernetes object: an array inside a list');
    let kept = 0;
    value.forEach((item, i) => (kept += addValue(builder, file, doc, [...path, i], item)));
    return kept;
  }
  // Lines are looked up only for errors: for JSON that means parsing the text again.
  if (!isRecord(value))
    throw new InputError(file, doc.lineOf(path), 'not a Kubernetes object: expected a mapping with apiVersion and kind');
  if (typeof value.kind !== 'string' || value.kind === '') {
    throw new InputError(file, doc.lineOf(path), 'not a Kubernetes object: it has no kind');
  }
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') {
    const problem =
      value.apiVersion === undefined || value.apiVersion === '' ? 'has no apiVersion' : 'has an apiVersion that is not a string';
    throw new InputError(file, doc.lineOf(path), `not a Kubernetes object: ${value.kind} ${problem}`);
  }
  const streamed = path.length === 0 ? doc.items : undefined;
  if (isList(value.kind, value.apiVersion) && (streamed || Array.isArray(value.items))) return addList(builder, file, doc, path, value);
  // A large document that is no list is one object: its items are still read, for their syntax.
  if (streamed) for (const _item of streamed);
  return addObject(builder, file, doc, path, value);
}

/** `v1 List`, or the typed list of a kind kubepath reads (`PodList`); a CRD's `FooList` is just an unknown kind. */
function isList(kind: string, apiVersion: string): boolean {
  if (kind === 'List') return true;
  return kind.endsWith('List') && kindSpecFor(kind.slice(0, -'List'.length), apiVersion) !== undefined;
}

/** A list's items, each with the document that locates it: the list's own, or its own when the list is read item by item. */
function* listItems(doc: InputDocument, path: DocPath, list: Json): Generator<[unknown, InputDocument]> {
  const streamed = path.length === 0 ? doc.items : undefined;
  if (streamed) for (const item of streamed) yield [item.value, item];
  else for (const item of list.items as unknown[]) yield [item, doc];
}

/** `kind: List` items carry their own kind; a typed list (`PodList`) names it for them. */
function addList(builder: SnapshotBuilder, file: string, doc: InputDocument, path: DocPath, list: Json): number {
  const listKind = list.kind as string;
  const itemKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
  let kept = 0;
  let index = 0;
  for (let [item, itemDoc] of listItems(doc, path, list)) {
    const itemPath = [...path, 'items', index++];
    if (isRecord(item) && itemKind !== undefined) {
      item = {...item, kind: item.kind ?? itemKind, apiVersion: item.apiVersion ?? list.apiVersion};
    }
    kept += addValue(builder, file, itemDoc, itemPath, item);
  }
  return kept;
}

/** Merges a saved snapshot, checking it as thoroughly as fresh input. */
function addSnapshot(builder: SnapshotBuilder, file: string, doc: InputDocument, value: Json): number {
  const envelope = snapshotEnvelopeSchema.safeParse(value);
  if (!envelope.success) {
    const issue = envelope.error.issues[0]!;
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    throw new InputError(
      file,
      doc.lineOf(at),
      `kubepath snapshot: ${formatPath(at) || '(document)'}: ${issue.message.replace(/^Invalid input: /, '')}`,
    );
  }
  const saved = envelope.data;
  let kept = 0;
  for (const [key, objects] of Object.entries(saved.objects)) {
    const spec = KINDS.find((k) => k.key === key)!;
    (objects ?? []).forEach((object, i) => {
      const path = ['objects', key, i];
      if (!isRecord(object) || object.kind !== spec.kind) {
        throw new InputError(file, doc.lineOf(path), `kubepath snapshot: objects.${key}[${i}] is not a ${spec.kind}`);
      }
      // A saved object keeps the location it was first read from.
      const metadata = isRecord(object.metadata) ? object.metadata : {};
      const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
      const savedLocation = saved.locations[objectKey(spec.kind, namespace, String(metadata.name))];
      kept += addObject(builder, file, doc, path, object, savedLocation);
    });
  }
  for (const gap of saved.coverage.gaps) builder.gap(gap);
  for (const skipped of saved.coverage.skipped) builder.skip(skipped.apiVersion, skipped.kind, skipped.count);
  // A snapshot saved before server URLs were written without credentials may still hold them.
  builder.savedSource = saved.source.server === undefined ? saved.source : {...saved.source, server: withoutUserinfo(saved.source.server)};
  return kept;
}

/** What is wrong with a document that holds no Kubernetes object, if anything: it adds nothing, as none of its items looks like one. */
function problemOf(builder: SnapshotBuilder, file: string, doc: InputDocument): InputError | undefined {
  if (doc.unreadable) return doc.unreadable;
  try {
    addValue(builder, file, doc, [], doc.value);
    return undefined;
  } catch (problem) {
    if (!(problem instanceof InputError)) throw problem;
    return problem;
  }
}

/** Loads every input into one snapshot. Throws InputError on the first bad input. */
export async function loadInputs(inputs: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const builder = new SnapshotBuilder();
  for (const input of inputs) {
    const files = input === STDIN ? [STDIN] : expandInput(input);
    const inFolder = files.length !== 1 || files[0] !== input;
    if (files.length === 0) builder.warnings.push(`${input}: no .yaml, .yml or .json files in this folder`);
    for (const file of files) {
      const name = file === STDIN ? '<stdin>' : file;
      const bytes = await readInput(file, name, options);
      // A folder may hold other YAML and JSON (Helm values, tool output): a file found
      // there with no Kubernetes object in it is passed over; one named directly is not.
      // Until its first Kubernetes object, the first problem is held, not thrown.
      let passedOver: InputError | undefined;
      let sawKubernetes = !inFolder;
      let documents = 0;
      let kept = 0;
      for (const doc of parseDocuments(name, bytes)) {
        documents++;
        if (!sawKubernetes && !looksLikeKubernetes(doc.value)) {
          passedOver ??= problemOf(builder, name, doc);
          continue;
        }
        if (passedOver) throw passedOver;
        if (doc.unreadable) throw doc.unreadable;
        sawKubernetes = true;
        if (isRecord(doc.value) && doc.value.kind === SNAPSHOT_KIND) kept += addSnapshot(builder, name, doc, doc.value);
        else kept += addValue(builder, name, doc, [], doc.value);
      }
      if (!sawKubernetes && documents > 0) {
        builder.warnings.push(`${name}: skipped, it holds no Kubernetes objects (no apiVersion and kind)`);
        continue;
      }
      builder.inputs.push({path: name, objects: kept});
    }
  }
  return {snapshot: builder.build(), warnings: builder.warnings};
}
