/**
 * Writing outputs (src/output/write.ts): no planted link is ever followed or replaced,
 * whatever temporary name is tried; a temporary name fits wherever the target's does;
 * targets that are not regular files, and paths that are or would be read back as the
 * command's inputs (files reached through links in input folders included) or that are
 * kubeconfigs, are refused with exit 2 before any work; `/dev/stdout` is stdout; a
 * replaced file keeps its mode; a long output is written as it comes, in bounded memory,
 * to stdout and to a file.
 *
 * A random name cannot be enumerated, so the name generator is injected: the tests plant
 * a link at every name it will give (all of them, for the refusal), and the CLI test
 * plants links at the old predictable name `.<base>.<pid>.tmp` of every PID the next
 * processes can get.
 */
import {spawn, spawnSync} from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {writeOutput, writeOutputFolder} from '../src/output/write.js';
import {UsageError} from '../src/snapshot/errors.js';
import {EXAMPLE, ROOT, runCli, runCliAsync, tempDir} from './helpers/cli.js';
import {closeServed, serveFake} from './helpers/fake-api.js';

/** Links at every given name in `dir`, to a file, a folder and nowhere by turns; returns them with their targets. */
function plantLinks(dir: string, names: string[]): {victimFile: string; victimFolder: string; links: Map<string, string>} {
  const elsewhere = tempDir();
  const victimFile = join(elsewhere, 'victim');
  const victimFolder = join(elsewhere, 'folder');
  writeFileSync(victimFile, 'victim\n');
  mkdirSync(victimFolder);
  const pointsTo = [victimFile, victimFolder, join(elsewhere, 'nowhere')];
  const links = new Map(names.map((name, i) => [join(dir, name), pointsTo[i % pointsTo.length]!]));
  for (const [link, target] of links) symlinkSync(target, link);
  return {victimFile, victimFolder, links};
}

function expectUntouched({victimFile, victimFolder, links}: ReturnType<typeof plantLinks>): void {
  for (const [link, target] of links) {
    expect(lstatSync(link).isSymbolicLink(), link).toBe(true);
    expect(readlinkSync(link), link).toBe(target);
  }
  expect(readFileSync(victimFile, 'utf8')).toBe('victim\n');
  expect(readdirSync(victimFolder)).toEqual([]);
}

/** A name generator that gives these, in turn, forever. */
function cycling(names: string[]): () => string {
  let next = 0;
  return () => names[next++ % names.length]!;
}

describe('writing an output file', () => {
  it('passes over a link planted at every temporary name it tries, leaving the links and their targets as they were', async () => {
    const dir = tempDir();
    const randoms = Array.from({length: 9}, (_, i) => `planted${i}`);
    // The old predictable name of this process too.
    const planted = plantLinks(dir, [...randoms.map((random) => `.out.json.${random}.tmp`), `.out.json.${process.pid}.tmp`]);
    await writeOutput(['{"a":', '1}\n'], join(dir, 'out.json'), {randomName: cycling([...randoms, 'free'])});
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"a":1}\n');
    expect(lstatSync(join(dir, 'out.json')).isFile()).toBe(true);
    expectUntouched(planted);
    expect(readdirSync(dir).sort()).toEqual(
      [...planted.links.keys()]
        .map((link) => link.slice(dir.length + 1))
        .concat('out.json')
        .sort(),
    );
  });

  it('gives up with exit 2 when every name it can try is taken, writing nothing', async () => {
    const dir = tempDir();
    const randoms = ['taken0', 'taken1', 'taken2'];
    const planted = plantLinks(
      dir,
      randoms.map((random) => `.out.json.${random}.tmp`),
    );
    const attempt = writeOutput(['text\n'], join(dir, 'out.json'), {randomName: cycling(randoms)});
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/temporary names beside it were all taken/);
    expectUntouched(planted);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it('does the same for an output folder', async () => {
    const dir = tempDir();
    const planted = plantLinks(dir, ['.csv.taken0.tmp', '.csv.taken1.tmp']);
    await writeOutputFolder([{name: 'a.csv', chunks: ['x\n']}], join(dir, 'csv'), {randomName: cycling(['taken0', 'taken1', 'free'])});
    expect(readFileSync(join(dir, 'csv', 'a.csv'), 'utf8')).toBe('x\n');
    expectUntouched(planted);
  });

  it('writes a chunk larger than a block whole, no character cut at a block boundary', async () => {
    const target = join(tempDir(), 'out.txt');
    // A surrogate pair across the first 1 MiB boundary, then more than two blocks of two-byte characters.
    const text = `${'a'.repeat((1 << 20) - 1)}\u{1F600}\u{1F600}${'é'.repeat(5 << 19)}`;
    await writeOutput([text, '>\n'], target);
    expect(readFileSync(target, 'utf8')).toBe(`${text}>\n`);
  });

  it('writes a target whose name just fits (255 bytes, in one- and multi-byte characters), its temporary name cut to fit too', async () => {
    const dir = tempDir();
    for (const name of [`${'a'.repeat(250)}.json`, `${'é'.repeat(125)}.json`, `${'\u{1F600}'.repeat(62)}a.json`]) {
      expect(Buffer.byteLength(name), name).toBeLessThanOrEqual(255);
      await writeOutput(['text\n'], join(dir, name));
      expect(readFileSync(join(dir, name), 'utf8')).toBe('text\n');
      await writeOutputFolder([{name: 'a.csv', chunks: ['x\n']}], join(dir, `folder${name}`.slice(0, -6)));
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(6);
  });

  it('keeps the mode of the file it replaces', async () => {
    const target = join(tempDir(), 'out.txt');
    writeFileSync(target, 'before\n');
    chmodSync(target, 0o604);
    await writeOutput(['after\n'], target);
    expect(readFileSync(target, 'utf8')).toBe('after\n');
    expect(statSync(target).mode & 0o777).toBe(0o604);
  });

  it('refuses a target that is a folder, a link, a device or a pipe, an empty path or a missing folder (exit 2), touching none', async () => {
    const dir = tempDir();
    const file = join(dir, 'file');
    writeFileSync(file, 'kept\n');
    symlinkSync(file, join(dir, 'link'));
    expect(spawnSync('mkfifo', [join(dir, 'fifo')]).status).toBe(0);
    const cases: Array<[string, RegExp]> = [
      [dir, /it is a folder/],
      [join(dir, 'link'), /it is a symbolic link/],
      ['/dev/null', /it is not a regular file/],
      [join(dir, 'fifo'), /it is not a regular file/],
      ['', /empty path/],
      [join(dir, 'missing', 'out.json'), /the folder .*missing does not exist/],
      [`${dir}/new/`, /it names a folder|does not exist/],
    ];
    for (const [target, message] of cases) {
      const attempt = writeOutput(['text\n'], target);
      await expect(attempt, target).rejects.toThrow(UsageError);
      await expect(attempt, target).rejects.toThrow(message);
    }
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
    expect(readlinkSync(join(dir, 'link'))).toBe(file);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'file', 'link']);
  });
});

/** Runs writeOutput (built) in a child on a generator of `lines` lines of 1,000 characters; resolves with the bytes it sent to stdout and its peak memory. */
function writeInChild(
  lines: number,
  outputFile?: string,
): Promise<{status: number | null; stdoutBytes: number; maxRssMiB: number; stderr: string}> {
  const script = [
    `import {writeOutput} from ${JSON.stringify(join(ROOT, 'dist', 'output', 'write.js'))};`,
    `function* lines() { for (let i = 0; i < ${lines}; i++) yield String(i % 10).repeat(999) + '\\n'; }`,
    `await writeOutput(lines(), ${outputFile === undefined ? 'undefined' : JSON.stringify(outputFile)});`,
    `process.stderr.write(JSON.stringify({maxRssMiB: process.resourceUsage().maxRSS / 1024}));`,
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({status, stdoutBytes, stderr, maxRssMiB: status === 0 ? (JSON.parse(stderr) as {maxRssMiB: number}).maxRssMiB : NaN}),
    );
  });
}

describe('a long output', () => {
  // 600 MB: more characters than one V8 string may hold, so it cannot have been joined first.
  const LINES = 600_000;

  it('goes to stdout as it comes, in bounded memory', async () => {
    const result = await writeInChild(LINES);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdoutBytes).toBe(LINES * 1000);
    expect(result.maxRssMiB).toBeLessThan(200);
  });

  it('goes to a file as it comes, in bounded memory', async () => {
    const file = join(tempDir(), 'long.txt');
    const result = await writeInChild(LINES, file);
    expect(result.status, result.stderr).toBe(0);
    expect(statSync(file).size).toBe(LINES * 1000);
    expect(result.maxRssMiB).toBeLessThan(200);
    spawnSync('rm', ['-f', file]);
  });
});

describe('output paths on the command line', () => {
  afterEach(closeServed);

  it('leaves alone links planted at the old predictable temporary name of every PID the CLI can get', () => {
    const dir = tempDir();
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    const lastPid = existsSync('/proc/sys/kernel/ns_last_pid') ? Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8')) : process.pid;
    const pids = Array.from({length: 3000}, (_, i) => (lastPid + 1 + i) % pidMax || 1);
    const planted = plantLinks(
      dir,
      pids.map((pid) => `.graph.json.${pid}.tmp`),
    );
    const result = runCli(['graph', EXAMPLE, '--output-file', join(dir, 'graph.json')]);
    expect(result.status, result.stderr).toBe(0);
    expect(lstatSync(join(dir, 'graph.json')).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8'))).toHaveProperty('nodes');
    expectUntouched(planted);
  });

  it('refuses a folder, an empty path and a missing folder with exit 2 in every command that writes', () => {
    const dir = tempDir();
    const writers = [
      ['analyze', EXAMPLE, '--output-file'],
      ['graph', EXAMPLE, '--output-file'],
      ['reach', EXAMPLE, '--output-file'],
      ['paths', EXAMPLE, '--from', 'internet', '--to', 'ns:data', '--output-file'],
      ['who-can', 'get', 'secrets', EXAMPLE, '--output-file'],
      ['contain', 'pod:shop/*', EXAMPLE, '--output-file'],
      ['diff', EXAMPLE, EXAMPLE, '--output-file'],
      ['collect', EXAMPLE, '--out'],
      ['report', EXAMPLE, '--out'],
      ['export', 'cypher', EXAMPLE, '--out'],
      ['export', 'opengraph', EXAMPLE, '--out'],
    ];
    const bad: Array<[string, RegExp]> = [
      [dir, /^kubepath: error: cannot write .*: it is a folder\n$/],
      ['', /^kubepath: error: cannot write to an empty path\n$/],
      [join(dir, 'missing', 'out'), /^kubepath: error: cannot write .*: the folder .*missing does not exist\n$/],
    ];
    // Each command one of the three in turn (the check is shared), each of the three several times.
    writers.forEach((args, i) => {
      const [target, message] = bad[i % bad.length]!;
      const result = runCli([...args, target]);
      expect(result.status, `${args.join(' ')} ${target}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to write over an input, or where an input folder would read it back (exit 2)', () => {
    const dir = tempDir();
    const input = join(dir, 'cluster.yaml');
    const text = readFileSync(join(EXAMPLE, 'shop.yaml'), 'utf8');
    writeFileSync(input, text);
    const folder = join(dir, 'manifests');
    mkdirSync(folder);
    writeFileSync(join(folder, 'shop.yaml'), text);
    // The loader follows links: a folder linked from the input folder is read too.
    const linked = tempDir();
    symlinkSync(linked, join(folder, 'more'));
    const refused: Array<[string[], RegExp]> = [
      [['collect', input, '--out', input], /it is an input of this command/],
      [['analyze', input, '-o', 'json', '--output-file', `${dir}/./cluster.yaml`], /it is .*cluster\.yaml, an input of this command/],
      [['analyze', input, '--vulns', join(folder, 'shop.yaml'), '--output-file', join(folder, 'shop.yaml')], /an input of this command/],
      [['report', input, '--out', input], /an input of this command/],
      [['collect', folder, '--out', join(folder, 'snapshot.json')], /inside the input folder .*manifests, which would read it back/],
      [['graph', folder, '--output-file', join(folder, 'sub.YAML')], /inside the input folder/],
      [['collect', folder, '--out', join(linked, 'snapshot.json')], /inside the input folder .*manifests, which would read it back/],
    ];
    for (const [args, message] of refused) {
      const result = runCli(args);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(readFileSync(input, 'utf8')).toBe(text);
    expect(readFileSync(join(folder, 'shop.yaml'), 'utf8')).toBe(text);
    expect(readdirSync(folder).sort()).toEqual(['more', 'shop.yaml']);
    expect(readdirSync(linked)).toEqual([]);
    // What the loader passes over is fine: a name starting with a dot, another extension.
    for (const name of ['.snapshot.json', 'report.html']) {
      const args = name.endsWith('.html')
        ? ['report', folder, '--out', join(folder, name)]
        : ['collect', folder, '--out', join(folder, name)];
      const result = runCli(args);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });

  it('refuses to write over a file reached through a link inside an input folder (exit 2)', () => {
    const dir = tempDir();
    const text = readFileSync(join(EXAMPLE, 'shop.yaml'), 'utf8');
    mkdirSync(join(dir, 'in'));
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'real.yaml'), text);
    symlinkSync(join('..', 'outside', 'real.yaml'), join(dir, 'in', 'ext.yaml'));
    for (const args of [
      ['collect', join(dir, 'in'), '--out'],
      ['graph', join(dir, 'in'), '--output-file'],
    ]) {
      const result = runCli([...args, join(dir, 'outside', 'real.yaml')]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/^kubepath: error: cannot write .*real\.yaml: it is .*in\/ext\.yaml, an input of this command\n$/);
    }
    expect(readFileSync(join(dir, 'outside', 'real.yaml'), 'utf8')).toBe(text);
    expect(readdirSync(join(dir, 'outside'))).toEqual(['real.yaml']);
  });

  it('refuses to write over any kubeconfig kubepath reads: every file KUBECONFIG lists, ~/.kube/config, --kubeconfig (exit 2)', async () => {
    const {server, kubeconfig, dir} = await serveFake([]);
    const text = readFileSync(kubeconfig, 'utf8');
    const second = join(dir, 'second');
    writeFileSync(second, text);
    const missing = join(dir, 'missing');
    const home = tempDir('kubepath-home-');
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), text);
    const env = {KUBECONFIG: [missing, kubeconfig, second].join(':'), HOME: home};
    const refused: string[][] = [
      // Live, reading the kubeconfig it would replace.
      ['collect', '--out', kubeconfig],
      ['collect', '--out', second],
      ['analyze', '-o', 'json', '--output-file', missing],
      ['collect', '--kubeconfig', second, '--out', join(home, '.kube', 'config')],
      // From files: a kubeconfig is no place for a snapshot either.
      ['collect', EXAMPLE, '--out', kubeconfig],
      ['collect', EXAMPLE, '--out', `${home}/.kube/../.kube/config`],
    ];
    for (const args of refused) {
      const result = await runCliAsync(args, {env});
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(
        /^kubepath: error: cannot write .*: it is (.*, )?a kubeconfig kubepath reads \(--kubeconfig, KUBECONFIG, ~\/\.kube\/config\)\n$/,
      );
    }
    expect(server.requests).toEqual([]);
    for (const file of [kubeconfig, second, join(home, '.kube', 'config')]) expect(readFileSync(file, 'utf8'), file).toBe(text);
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['kubeconfig', 'second']);
    expect(readdirSync(join(home, '.kube'))).toEqual(['config']);
  });

  it('refuses before any work an output folder that is . or .., or not empty (exit 2)', () => {
    const dir = tempDir();
    // Input that fails to load: an output refused after the work would report this instead.
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'kind: [\n');
    mkdirSync(join(dir, 'empty'));
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full', 'kept'), 'kept\n');
    const refused: Array<[string, string, RegExp]> = [
      [join(dir, 'empty'), '.', /cannot write \.: name the folder by its own name, not \. or \.\.$/],
      [dir, 'empty/.', /cannot write empty\/\.: name the folder/],
      [join(dir, 'empty'), '../empty/..', /cannot write \.\.\/empty\/\.\.: name the folder/],
      [dir, 'full', /full exists and is not empty/],
    ];
    for (const [cwd, out, message] of refused) {
      const result = runCli(['export', 'csv', broken, '--out', out], {cwd});
      expect(result.status, `${out}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim(), out).toMatch(message);
    }
    expect(readdirSync(dir).sort()).toEqual(['broken.yaml', 'empty', 'full']);
    expect(readdirSync(join(dir, 'empty'))).toEqual([]);
    expect(readdirSync(join(dir, 'full'))).toEqual(['kept']);
  });

  it('writes a long target name that fits, from the command line', () => {
    const dir = tempDir();
    const file = join(dir, `${'g'.repeat(245)}.json`);
    const result = runCli(['graph', EXAMPLE, '--output-file', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('nodes');
    const folder = join(dir, 'c'.repeat(250));
    const csv = runCli(['export', 'csv', EXAMPLE, '--out', folder]);
    expect(csv.status, csv.stderr).toBe(0);
    expect(readdirSync(folder)).toContain('README.md');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('writes to stdout for --output-file /dev/stdout, as for -', () => {
    const expected = runCli(['graph', EXAMPLE]);
    expect(expected.status, expected.stderr).toBe(0);
    for (const target of ['-', '/dev/stdout']) {
      const result = runCli(['graph', EXAMPLE, '--output-file', target]);
      expect(result.status, `${target}: ${result.stderr}`).toBe(0);
      expect(result.stdout, target).toBe(expected.stdout);
    }
    const collected = runCli(['collect', EXAMPLE, '--out', '/dev/stdout']);
    expect(collected.status, collected.stderr).toBe(0);
    expect(JSON.parse(collected.stdout)).toHaveProperty('kind', 'KubepathSnapshot');
    expect(collected.stderr).toBe('');
  });

  it('gives a new file the usual mode (0666 less the umask)', () => {
    const file = join(tempDir(), 'snapshot.json');
    const result = spawnSync(
      'sh',
      ['-c', 'umask 027 && exec "$0" "$@"', process.execPath, join(ROOT, 'bin', 'run.js'), 'collect', EXAMPLE, '--out', file],
      {encoding: 'utf8'},
    );
    expect(result.status, result.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });
});
