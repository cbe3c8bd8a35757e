/**
 * What every command writes for the bundled examples and real installs, held to a SHA-256
 * recorded before the refactor of issue 19: code may move, outputs may not change by a
 * byte. A change that means to alter an output rewrites the record
 * (`KUBEPATH_RECORD_DIGESTS=1 npx vitest run test/output-digests.test.ts`) and its commit
 * says why; the diff of test/fixtures/output-digests.json shows which outputs it touched.
 */
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CORPUS, ROOT, runCli, tempDir} from './helpers/cli.js';

const RECORD = join(ROOT, 'test', 'fixtures', 'output-digests.json');
const recording = process.env.KUBEPATH_RECORD_DIGESTS === '1';
const recorded: Record<string, string> = recording ? {} : (JSON.parse(readFileSync(RECORD, 'utf8')) as Record<string, string>);

// Inputs are named relative to the clone (the CLI runs there), as a user types them: outputs
// that name their inputs (evidence, run ids) are then the same wherever the clone sits.
const EXAMPLES = 'examples';
const EXAMPLE_DIR = join(EXAMPLES, 'multi-tenant');
const REALWORLD = join(relative(ROOT, CORPUS), 'realworld');
const VULNS = join(EXAMPLES, 'vulns', 'trivy-k8s.json');

/** Inputs by a name that does not depend on where the clone sits. */
const INPUTS: Record<string, string[]> = {
  'multi-tenant': [EXAMPLE_DIR],
  'multi-tenant+vulns': [EXAMPLE_DIR, '--vulns', VULNS],
  'in-cluster': [join(EXAMPLES, 'in-cluster')],
  'goat-all': [join(REALWORLD, 'goat-all')],
  'kube-prometheus': [join(REALWORLD, 'kube-prometheus')],
  'microservices-demo': [join(REALWORLD, 'microservices-demo.yaml')],
  'istio-bookinfo': [join(REALWORLD, 'istio-bookinfo')],
  'np-recipes': [join(REALWORLD, 'np-recipes')],
};

/** Commands whose answer is standard output, by a name; `{out}` is a fresh path the command writes to. */
const STDOUT_COMMANDS: Record<string, string[]> = {
  analyze: ['analyze'],
  'analyze -o json': ['analyze', '-o', 'json'],
  'analyze -o markdown': ['analyze', '-o', 'markdown'],
  'analyze -o sarif': ['analyze', '-o', 'sarif'],
  'analyze --assume-breach all -o json': ['analyze', '--assume-breach', 'all', '-o', 'json'],
  'graph -o json': ['graph', '-o', 'json'],
  reach: ['reach'],
  'reach -o json': ['reach', '-o', 'json'],
  'who-can get secrets': ['who-can', 'get', 'secrets'],
};

const FILE_COMMANDS: Record<string, string[]> = {
  report: ['report', '--out', '{out}/report.html'],
  'export csv': ['export', 'csv', '--out', '{out}/csv'],
  'export cypher': ['export', 'cypher', '--out', '{out}/graph.cypher'],
  'export opengraph': ['export', 'opengraph', '--out', '{out}/opengraph.json'],
};

/** Commands that need a particular object of the bundled example. */
const EXAMPLE_COMMANDS: Record<string, string[]> = {
  'paths internet to cluster-admin': ['paths', EXAMPLE_DIR, '--from', 'internet', '--to', 'cluster-admin'],
  'paths storefront to payments secrets -o json': [
    'paths',
    EXAMPLE_DIR,
    '--from',
    'pod:shop/storefront',
    '--to',
    'secret:payments/*',
    '-o',
    'json',
  ],
  'paths -o sarif': ['paths', EXAMPLE_DIR, '--from', 'internet', '--to', 'cluster-admin', '-o', 'sarif'],
  'paths -o markdown': ['paths', EXAMPLE_DIR, '--from', 'internet', '--to', 'cluster-admin', '-o', 'markdown'],
  'reach --explain': ['reach', EXAMPLE_DIR, '--explain', 'pod:shop/storefront', 'pod:payments/card-vault'],
  'contain storefront': ['contain', 'pod:shop/storefront', EXAMPLE_DIR],
  'contain storefront -o json': ['contain', 'pod:shop/storefront', EXAMPLE_DIR, '-o', 'json'],
  'who-can create pods/exec -n shop': ['who-can', 'create', 'pods/exec', '-n', 'shop', EXAMPLE_DIR],
  'who-can -o json': ['who-can', 'get', 'secrets', '-n', 'payments', EXAMPLE_DIR, '-o', 'json'],
  'diff example to in-cluster': ['diff', EXAMPLE_DIR, join(EXAMPLES, 'in-cluster')],
  'diff -o json': ['diff', join(EXAMPLES, 'in-cluster'), EXAMPLE_DIR, '-o', 'json'],
};

function digest(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Every file under a folder, by its path below it, each with its digest: the folder's digest. */
function folderDigest(dir: string): string {
  const files = readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return digest(files.map((file) => `${relative(dir, file)} ${digest(readFileSync(file))}\n`).join(''));
}

/** Paths of the clone in an output (evidence names its files) stand as `<root>`, so the digest holds wherever the clone is. */
function placeless(text: string): string {
  return text.split(ROOT).join('<root>').split(CORPUS).join('<corpus>');
}

/** A fixed clock: the report and version support are stamped with the analysis time. */
const FIXED_TIME = {SOURCE_DATE_EPOCH: '1796083200'};

function check(name: string, args: string[], written?: string): void {
  const result = runCli(args, {env: FIXED_TIME});
  expect(result.status === 0 || result.status === 3, `${name}: exit ${result.status}\n${result.stderr}`).toBe(true);
  const answer = `exit ${result.status}\n${digest(placeless(result.stdout))}\n${written ? writtenDigest(written) : ''}`;
  if (recording) {
    recorded[name] = digest(answer);
    return;
  }
  expect(recorded[name], `no digest recorded for ${name}`).toBeDefined();
  expect(digest(answer), `${name} changed`).toBe(recorded[name]);
}

function writtenDigest(path: string): string {
  try {
    return folderDigest(path);
  } catch {
    return digest(placeless(readFileSync(path, 'utf8')));
  }
}

describe('outputs stay byte-identical', () => {
  for (const [inputName, input] of Object.entries(INPUTS)) {
    it(`every command on ${inputName}`, () => {
      for (const [commandName, command] of Object.entries(STDOUT_COMMANDS)) {
        const [verb = '', ...rest] = command;
        // reach and who-can read no vulnerability reports
        if (input.includes('--vulns') && (verb === 'reach' || verb === 'who-can')) continue;
        const args = verb === 'who-can' ? [verb, ...rest.slice(0, 2), ...input, ...rest.slice(2)] : [verb, ...input, ...rest];
        check(`${inputName}: ${commandName}`, args);
      }
      for (const [commandName, command] of Object.entries(FILE_COMMANDS)) {
        const out = tempDir();
        const args = command.map((arg) => arg.replace('{out}', out));
        const verbs = args[0] === 'export' ? 2 : 1;
        const written = args[args.indexOf('--out') + 1]!;
        check(`${inputName}: ${commandName}`, [...args.slice(0, verbs), ...input, ...args.slice(verbs)], written);
      }
    }, 600_000);
  }

  it('commands on objects of the bundled example', () => {
    for (const [name, args] of Object.entries(EXAMPLE_COMMANDS)) check(`multi-tenant: ${name}`, args);
  }, 600_000);

  afterAll(() => {
    if (recording)
      writeFileSync(
        RECORD,
        `${JSON.stringify(Object.fromEntries(Object.entries(recorded).sort(([a], [b]) => (a < b ? -1 : 1))), null, 2)}\n`,
      );
  });
});
