/**
 * Hostile and huge input stays within bounds: documents are read one at a time (20 MB
 * of tiny documents in bounded memory), a YAML list larger than V8's longest string is
 * read entry by entry with exact lines, a large YAML document that is JSON is read as
 * JSON, nesting deeper than kubepath keeps is refused where it is read (exit 2, file
 * and line) and where an object enters the snapshot, aliases cannot multiply what is
 * written out, an input over 2 GiB is refused before it is read, and a device is
 * refused while a pipe is read up to the same bound.
 */
import {spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {admitObject} from '../src/snapshot/builder.js';
import {InputError} from '../src/snapshot/errors.js';
import {kindSpecFor} from '../src/snapshot/kinds.js';
import {loadInputs} from '../src/snapshot/load.js';
import {MAX_NESTING, MAX_OBJECT_NESTING} from '../src/snapshot/nesting.js';
import {yamlDocuments} from '../src/snapshot/yaml.js';
import {ROOT, runCli, runCliAsync, tempDir, type CliResult} from './helpers/cli.js';

/**
 * Runs the CLI with a hook that reports each Node process's peak resident memory as it
 * exits (bin/run.js may start the CLI again in a second process); the largest is the
 * peak of the process that did the work.
 */
function runMeasured(args: string[], dir: string): CliResult & {peakMiB: number} {
  const hook = join(dir, 'peak-rss.mjs');
  writeFileSync(
    hook,
    'import {writeSync} from "node:fs";\nprocess.on("exit", () => writeSync(2, `peak-rss-kib ${process.resourceUsage().maxRSS}\\n`));\n',
  );
  const result = runCli(args, {env: {NODE_OPTIONS: `--import=${hook}`}});
  const peaks = [...result.stderr.matchAll(/^peak-rss-kib (\d+)$/gm)].map((match) => Number(match[1]));
  expect(peaks.length, result.stderr).toBeGreaterThan(0);
  return {...result, stderr: result.stderr.replace(/^peak-rss-kib \d+\n/gm, ''), peakMiB: Math.max(...peaks) / 1024};
}

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** Every object of a YAML input as the loader sees it: list entries in place, each with the line of a path inside it. */
function objectsOf(text: string, chunk: number, path: Array<string | number>): Array<{value: unknown; line: number}> {
  const objects: Array<{value: unknown; line: number}> = [];
  for (const doc of yamlDocuments('list.yaml', Buffer.from(text), chunk)) {
    const value = doc.value as {items?: unknown[]};
    objects.push({value: {...value, items: undefined}, line: doc.line});
    const entries = doc.items ? [...doc.items] : (value.items ?? []).map((item) => ({value: item, lineOf: doc.lineOf}));
    entries.forEach((entry, i) => objects.push({value: entry.value, line: entry.lineOf(['items', i, ...path])}));
  }
  return objects;
}

const pod = (name: string, indent = '', extra = ''): string =>
  [
    `- apiVersion: v1`,
    `  kind: Pod`,
    `  metadata:`,
    `    name: ${name}`,
    `    namespace: shop`,
    `  spec:`,
    `    containers:`,
    `    - name: app`,
    `      image: nginx:1.27${extra}`,
  ]
    .map((line) => `${indent}${line}\n`)
    .join('');

/** `kubectl get -o yaml`: top-level keys at column 0, `kind` and `metadata` after the items. */
const kubectlList = (entries: string, indent = ''): string =>
  `apiVersion: v1\nitems:\n${entries.replace(/^(?!$)/gm, indent)}kind: List\nmetadata:\n  resourceVersion: ""\n`;

describe('YAML documents larger than a chunk, read entry by entry', () => {
  const entries = `${pod('web-0')}# a comment between entries\n\n${pod('web-1', '', '\n      env: &env [{name: A, value: b}]\n      envFrom: []')}${pod('web-2')}`;
  const inputs: Record<string, string> = {
    'kubectl -o yaml': `# head\n---\n${kubectlList(entries)}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`,
    'entries indented by two': kubectlList(entries, '  '),
    'CRLF line ends': kubectlList(entries).replace(/\n/g, '\r\n'),
    'a directive before the document': `%YAML 1.1\n---\n${kubectlList(entries)}`,
  };

  for (const [name, text] of Object.entries(inputs)) {
    it(`gives the values and lines of a whole parse: ${name}`, () => {
      const whole = objectsOf(text, 1 << 30, ['spec', 'containers', 0, 'image']);
      // Chunks smaller than one entry hold one entry per part; larger ones hold several.
      for (const chunk of [250, 400]) expect(objectsOf(text, chunk, ['spec', 'containers', 0, 'image'])).toEqual(whole);
      expect(whole.filter((o) => (o.value as {kind?: string}).kind === 'Pod')).toHaveLength(3);
    });
  }

  it('names the exact line of a problem inside an entry', () => {
    const text = kubectlList(`${pod('web-0')}${pod('web-1')}${pod('web-2', '', '\n      image: twice')}`);
    const line = text.split('\n').findIndex((l) => l.includes('image: twice')) + 1;
    for (const chunk of [250, 1 << 30]) {
      const error = errorOf(() => objectsOf(text, chunk, []));
      expect([error.file, error.line, error.detail]).toEqual([
        'list.yaml',
        line,
        'invalid YAML: a key that appears twice in one mapping (DUPLICATE_KEY)',
      ]);
    }
  });

  it('refuses an alias to an anchor in another entry, naming its line', () => {
    const text = kubectlList(`${pod('web-0', '', '\n      env: &env [{name: A}]')}${pod('web-1', '', '\n      env: *env')}`);
    const error = errorOf(() => objectsOf(text, 250, []));
    expect(error.line).toBe(text.split('\n').findIndex((l) => l.includes('*env')) + 1);
    expect(error.detail).toMatch(/^invalid YAML: an alias \(\*name\) that refers to no anchor in its part of the document .*another item/);
  });

  it('reads one that opens with { or [ as JSON, with its lines', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: ['web-0', 'web-1', 'web-2'].map((name) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name, namespace: 'shop'},
        spec: {containers: [{name: 'app', image: 'nginx:1.27'}]},
      })),
    };
    const json = JSON.stringify(list, null, 2);
    const text = `# kubectl get pods -o json\n---\n${json}\n---\n[${json}]\n`;
    const read = (chunk: number) => [...yamlDocuments('list.yaml', Buffer.from(text), chunk)];
    const whole = read(1 << 30);
    const pieces = read(300);
    expect(pieces.map((doc) => doc.value)).toEqual([list, [list]]);
    expect(pieces.map((doc) => doc.line)).toEqual(whole.map((doc) => doc.line));
    const imageLine = text.split('\n').findIndex((line) => line.includes('nginx')) + 1;
    const lastImageLine = text.split('\n').findLastIndex((line) => line.includes('nginx')) + 1;
    expect([
      pieces[0]!.lineOf(['items', 0, 'spec', 'containers', 0, 'image']),
      whole[0]!.lineOf(['items', 0, 'spec', 'containers', 0, 'image']),
    ]).toEqual([imageLine, imageLine]);
    expect(pieces[1]!.lineOf([0, 'items', 2, 'spec', 'containers', 0, 'image'])).toBe(lastImageLine);

    const broken = text.replace('"name": "web-2"', '"name" "web-2"');
    const error = errorOf(() => [...yamlDocuments('list.yaml', Buffer.from(broken), 300)]);
    expect(error.line).toBe(broken.split('\n').findIndex((line) => line.includes('"web-2"')) + 1);
    expect(error.detail).toMatch(
      /^invalid JSON: expected ':', found '"' \(a YAML document over .* that opens with \{ or \[ is read as JSON\)$/,
    );
  });

  it('hands over one laid out neither as a list nor as JSON as unreadable when its top level holds no kind, so that a folder can pass it over', () => {
    const values = `# Helm values\nreplicaCount: 2\nimage:\n  kind: not this one\n  tag: "1.0"\nlist:\n- kind: nor this\n${'extra:\n  k: v\n'.repeat(40)}`;
    const [doc, ...more] = [...yamlDocuments('values.yaml', Buffer.from(values), 300)];
    expect(more).toEqual([]);
    expect(doc!.value).toBeUndefined();
    expect(doc!.unreadable?.detail).toMatch(/laid out as kubectl writes a list .* or as JSON; this one is neither/);
    // A top-level kind, or a key that could bring one in, may make it a Kubernetes object: refused.
    for (const key of ['kind: ConfigMap', '"kind": ConfigMap', '<<: *base', '? kind']) {
      expect(errorOf(() => [...yamlDocuments('values.yaml', Buffer.from(`${values}${key}\n`), 300)]).detail).toMatch(/this one is neither/);
    }
  });

  it.each([
    [
      'not a list',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${'  k: v\n'.repeat(100)}`,
      1,
      /is read a few list items at a time, which needs it laid out as kubectl writes a list/,
    ],
    ['a sequence at the top', pod('web-0').repeat(3), 1, /laid out as kubectl writes a list/],
    ['flow items', `apiVersion: v1\nkind: List\nitems: [${'{a: b}, '.repeat(100)}]\n`, 1, /laid out as kubectl writes a list/],
    [
      'an entry larger than a chunk',
      kubectlList(`${pod('web-0')}${pod('web-1', '', `\n      args: [${'x, '.repeat(200)}]`)}`),
      12,
      /^a single list item over/,
    ],
  ])('refuses what it cannot read in pieces: %s', (_name, text, line, detail) => {
    const error = errorOf(() => objectsOf(text, 300, []));
    expect(error.line).toBe(line);
    expect(error.detail).toMatch(detail);
  });
});

/** Writes `count` pieces of text made by `piece` to a file, a few at a time. */
function writeLarge(file: string, count: number, piece: (i: number) => string): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < count; i++) writeSync(fd, piece(i));
  } finally {
    closeSync(fd);
  }
}

/** A ConfigMap with 40 kB of data: cheap to read, skipped, and it makes a file large fast. */
const blob = (i: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {name: `blob-${i}`, namespace: 'shop'},
  data: {payload: 'lorem ipsum dolor sit amet '.repeat(1500)},
});

describe('memory and size bounds', () => {
  it.each([
    ['`---` (five million empty documents)', '---\n'],
    ['`--- []` (three million tiny ones)', '--- []\n'],
  ])('reads 20 MB of %s in under 300 MB', {timeout: 600_000}, (_name, line) => {
    const dir = tempDir();
    const file = join(dir, 'documents.yaml');
    writeFileSync(file, line.repeat(Math.floor(20_000_000 / line.length)));
    const out = join(dir, 'snapshot.json');
    const result = runMeasured(['collect', file, '--out', out], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).source.inputs).toEqual([{path: file, objects: 0}]);
    expect(result.peakMiB).toBeLessThan(300);
    rmSync(dir, {recursive: true, force: true});
  });

  it('loads a 68 MB `kubectl get -o json` list saved as .yaml, as JSON', {timeout: 300_000}, () => {
    const dir = tempDir();
    const file = join(dir, 'big.yaml');
    const pods = 100;
    writeLarge(file, pods + 1800, (i) => {
      const item =
        i < pods
          ? {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: {name: `web-${i}`, namespace: 'shop'},
              spec: {containers: [{name: 'app', image: 'nginx:1.27'}]},
            }
          : blob(i);
      const text = JSON.stringify(item, null, 4).replace(/^/gm, '        ');
      return `${i === 0 ? '{\n    "apiVersion": "v1",\n    "kind": "List",\n    "items": [\n' : ',\n'}${text}${i === pods + 1799 ? '\n    ]\n}\n' : ''}`;
    });
    const out = join(dir, 'snapshot.json');
    const result = runCli(['collect', file, '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    const snapshot = JSON.parse(readFileSync(out, 'utf8'));
    expect(snapshot.objects.pods).toHaveLength(pods);
    expect(snapshot.coverage.skipped).toEqual([{apiVersion: 'v1', kind: 'ConfigMap', count: 1800}]);
    rmSync(dir, {recursive: true, force: true});
  });

  it('passes over a 72 MB YAML file of a folder that holds no Kubernetes object, as it does a small one', {timeout: 300_000}, () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'chart'));
    writeFileSync(
      join(dir, 'chart', 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n',
    );
    writeLarge(
      join(dir, 'chart', 'values.yaml'),
      1800,
      (i) => `component${i}:\n  kind: Deployment\n  notes: |\n${'    lorem ipsum dolor sit amet\n'.repeat(1400)}`,
    );
    const out = join(dir, 'snapshot.json');
    const result = runCli(['collect', join(dir, 'chart'), '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${join(dir, 'chart', 'values.yaml')}: skipped, it holds no Kubernetes objects`);
    expect(JSON.parse(readFileSync(out, 'utf8')).objects.pods.map((pod: {metadata: {name: string}}) => pod.metadata.name)).toEqual(['web']);
    rmSync(dir, {recursive: true, force: true});
  });

  it('loads a 600 MiB kubectl YAML list, past the longest string V8 holds', {timeout: 900_000}, () => {
    const dir = tempDir();
    const file = join(dir, 'cluster.yaml');
    const out = join(dir, 'snapshot.json');
    // Pods with distinct names between ConfigMaps holding a 40 kB block of text each
    // (cheap to parse, and skipped, so the test stays within a couple of minutes).
    const payload = Array.from({length: 400}, (_, i) => `      line ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}\n`).join('');
    const fd = openSync(file, 'w');
    let bytes = 0;
    let lines = 0;
    let pods = 0;
    let lastPodLine = 0;
    const write = (text: string): void => {
      bytes += writeSync(fd, text);
      lines += text.split('\n').length - 1;
    };
    try {
      write('apiVersion: v1\nitems:\n');
      while (bytes < 600 * 1024 * 1024) {
        lastPodLine = lines + 1;
        write(
          `${pod(`web-${pods++}`)}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: blob-${pods}\n    namespace: shop\n  data:\n    payload: |\n${payload}`,
        );
      }
      write('kind: List\nmetadata:\n  resourceVersion: ""\n');
    } finally {
      closeSync(fd);
    }
    try {
      const result = runCli(['collect', file, '--out', out]);
      expect(result.status, result.stderr).toBe(0);
      const snapshot = JSON.parse(readFileSync(out, 'utf8'));
      expect(snapshot.objects.pods).toHaveLength(pods);
      expect(snapshot.coverage.skipped).toEqual([{apiVersion: 'v1', kind: 'ConfigMap', count: pods}]);
      expect(snapshot.source.inputs).toEqual([{path: file, objects: pods}]);
      expect(snapshot.locations[`Pod/shop/web-${pods - 1}`]).toEqual({file, line: lastPodLine});
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('refuses an input over 2 GiB before reading it', () => {
    const dir = tempDir();
    const file = join(dir, 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 2 ** 31); // sparse: no disk used
    closeSync(fd);
    const result = runCli(['collect', file]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      `kubepath: error: ${file}: 2147483648 bytes, larger than the 2 GiB kubepath reads from one input; split it (one kubectl get per namespace or kind)`,
    );
    rmSync(dir, {recursive: true, force: true});
  });

  it('refuses a device, which has no size and may never end, behind a link too', () => {
    const dir = tempDir();
    const link = join(dir, 'zero.yaml');
    symlinkSync('/dev/zero', link);
    // The address-space limit ends a kubepath that would read the device for ever.
    const result = spawnSync(
      'sh',
      ['-c', 'ulimit -v 3000000 && exec "$0" "$@"', process.execPath, join(ROOT, 'bin', 'run.js'), 'collect', link],
      {encoding: 'utf8'},
    );
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.trim()).toBe(
      `kubepath: error: ${link}: not a file or a pipe (a device, say): kubepath reads files, folders, pipes and stdin`,
    );
    rmSync(dir, {recursive: true, force: true});
  });

  it('reads a pipe named as INPUT, as `<(kubectl get ...)` names one', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pods.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = runCliAsync(['collect', fifo, '--out', join(dir, 'snapshot.json')]);
    await writeFile(
      fifo,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n',
    );
    const result = await run;
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')).source.inputs).toEqual([{path: fifo, objects: 1}]);
    rmSync(dir, {recursive: true, force: true});
  });

  it('refuses a pipe that passes the bound stdin has, as soon as it does', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'endless.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // 1 MiB of comments, from another process: the reader stops after 64 KiB, and the writer dies of it.
    const writer = spawn('sh', ['-c', 'yes "# padding" | head -c 1048576 > "$0"', fifo], {stdio: 'ignore'});
    const written = once(writer, 'exit');
    await expect(loadInputs([fifo], {maxInputBytes: 64 * 1024})).rejects.toThrow(
      `${fifo}: larger than the 65536 bytes kubepath reads from one input`,
    );
    expect((await written)[0]).not.toBe(0);
    rmSync(dir, {recursive: true, force: true});
  });
});

describe('nesting deeper than kubepath keeps', () => {
  const levels = 5000;
  const deepJson = `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "deep"},\n "spec": {"containers": [], "x": ${'['.repeat(levels)}${']'.repeat(levels)}}}\n`;
  const head = 'apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec:\n  containers: []\n';
  const deepFlow = `${head}  x: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
  const deepBlock = `${head}  x:\n${Array.from({length: 300}, (_, i) => `${' '.repeat(i + 4)}a:\n`).join('')}`;
  // Each anchor is shallow; aliases stack them deeper than the bound.
  const deepAliases = `${head}  a: &a ${'['.repeat(150)}${']'.repeat(150)}\n  b: ${'['.repeat(100)}*a${']'.repeat(100)}\n`;
  const tooDeep = (line: number, throughAliases = false, levels = MAX_NESTING): RegExp =>
    new RegExp(`:${line}: .*nested more than ${levels} levels deep${throughAliases ? ' through aliases' : ''}, more than kubepath reads`);

  it.each([
    ['JSON', 'deep.json', deepJson, 2],
    ['flow YAML', 'deep.yaml', deepFlow, 6],
    ['block YAML', 'deep.yaml', deepBlock, 6 + MAX_NESTING - 1],
  ])('refuses %s, from a file and from stdin: exit 2, the line where it goes too deep', (_name, name, text, line) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), text);
    for (const [args, input, file] of [
      [[join(dir, name)], undefined, join(dir, name)],
      [['-'], text, '<stdin>'],
    ] as const) {
      const result = runCli(['collect', ...args, '--out', join(dir, 'snapshot.json')], input === undefined ? {} : {input});
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`${file}:${line}: `);
      expect(result.stderr).toMatch(tooDeep(line));
    }
  });

  it('refuses YAML that aliases make too deep', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'aliases.yaml'), deepAliases);
    const result = runCli(['collect', join(dir, 'aliases.yaml')]);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(tooDeep(7, true));
  });

  it('keeps, writes and reads back an object nested to the bound; refuses one level more, naming its line', () => {
    const dir = tempDir();
    // The pod and its spec are two levels; x holds the rest.
    const podNested = (arrays: number): string =>
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {name: 'edge', namespace: 'a'},
          spec: {containers: [], x: JSON.parse(`${'['.repeat(arrays)}${']'.repeat(arrays)}`)},
        },
        null,
        1,
      );
    writeFileSync(join(dir, 'edge.json'), podNested(MAX_OBJECT_NESTING - 2));
    const snapshot = join(dir, 'snapshot.json');
    const collected = runCli(['collect', join(dir, 'edge.json'), '--out', snapshot]);
    expect(collected.status, collected.stderr).toBe(0);
    const again = runCli(['collect', snapshot, '--out', join(dir, 'again.json')]);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(snapshot, 'utf8'));

    const text = podNested(MAX_OBJECT_NESTING - 1);
    writeFileSync(join(dir, 'deeper.json'), text);
    const refused = runCli(['collect', join(dir, 'deeper.json')]);
    expect(refused.status, refused.stderr).toBe(2);
    const innermost = text.split('\n').findIndex((line) => line.trim() === '[]') + 1;
    expect(refused.stderr).toMatch(tooDeep(innermost, false, MAX_OBJECT_NESTING));
  });

  it('refuses a deep object where it enters the snapshot, as the live collector hands it over', () => {
    let x: unknown = [];
    for (let i = 0; i < levels; i++) x = [x];
    const admitted = admitObject(kindSpecFor('Pod', 'v1')!, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', namespace: 'a'},
      spec: {containers: [], x},
    });
    expect('problem' in admitted && admitted.problem).toEqual({
      at: ['spec', 'x', ...Array(MAX_OBJECT_NESTING - 2).fill(0)],
      detail: expect.stringMatching(/^nested more than 100 levels deep/),
    });
  });
});

describe('aliases, which every output writes out in full', () => {
  const pod = (name: string, annotations: string) =>
    `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: ${name}\n    namespace: shop\n    annotations: ${annotations}\n  spec: {containers: [{name: app, image: nginx:1.27}]}\n`;

  it('refuses a document that aliases make a thousand times larger: exit 2, naming it', () => {
    const dir = tempDir();
    const notes = Array.from({length: 2000}, (_, i) => `      note-${i}: ${'x'.repeat(90)}\n`).join('');
    const text = `apiVersion: v1\nkind: List\nitems:\n${pod('web-0', `&notes\n${notes}`.trimEnd())}${Array.from({length: 998}, (_, i) => pod(`web-${i + 1}`, '*notes')).join('')}`;
    writeFileSync(join(dir, 'bomb.yaml'), text);
    const out = join(dir, 'snapshot.json');
    const result = runCli(['collect', join(dir, 'bomb.yaml'), '--out', out]);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^kubepath: error: ${join(dir, 'bomb.yaml')}:1: aliases expand this document to 2\\d\\d\\.\\d MB from 0\\.\\d MB of text, past what kubepath reads \\(the documents of an input that use aliases may expand to 10 times their text plus 1 MiB`,
      ),
    );
    expect(() => readFileSync(out)).toThrow();
    rmSync(dir, {recursive: true, force: true});
  });

  it('counts what the documents of an input expand to together, so that many small ones cannot each take the allowance', () => {
    // Each expands to about 1 MB, within the allowance alone; the second passes the bound.
    const document = (name: string) =>
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata:\n  a: &a "${'x'.repeat(10_000)}"\n${Array.from({length: 100}, (_, i) => `  b${i}: *a\n`).join('')}`;
    const text = `${document('one')}${document('two')}`;
    const error = errorOf(() => [...yamlDocuments('configmaps.yaml', Buffer.from(text))]);
    expect(error.line).toBe(document('one').split('\n').length + 1);
    expect(error.detail).toMatch(/^aliases expand this document to 1\.0 MB from 1\d\.\d kB of text/);
  });

  it('reads the aliases manifests are written with: labels, a selector, env shared by containers', () => {
    const dir = tempDir();
    const env = Array.from({length: 30}, (_, i) => `        - {name: SETTING_${i}, value: "${'v'.repeat(30)}"}\n`).join('');
    const containers = Array.from(
      {length: 5},
      (_, i) => `      - name: c${i}\n        image: nginx:1.27\n        env: ${i === 0 ? `&env\n${env}` : '*env\n'}`,
    ).join('');
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop, labels: &labels {app: web, tier: front}}\nspec:\n  selector: {matchLabels: *labels}\n  template:\n    metadata: {labels: *labels}\n    spec:\n      containers:\n${containers}`;
    writeFileSync(join(dir, 'web.yaml'), text);
    const out = join(dir, 'snapshot.json');
    const result = runCli(['collect', join(dir, 'web.yaml'), '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    const [deployment] = JSON.parse(readFileSync(out, 'utf8')).objects.deployments;
    expect(deployment.spec.template.metadata.labels).toEqual({app: 'web', tier: 'front'});
    expect(deployment.spec.template.spec.containers.map((c: {env: unknown[]}) => c.env.length)).toEqual([30, 30, 30, 30, 30]);
    rmSync(dir, {recursive: true, force: true});
  });
});
