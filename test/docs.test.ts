/**
 * The project owns its documentation: its Markdown cites nothing outside the
 * repository and every link leads somewhere in it (helpers/doc-links.ts), and
 * docs/interface.md, the contract, names every node kind, edge type, rule, escape,
 * command and flag the code has.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {COMMANDS} from '../src/commands/index.js';
import {TECHNIQUES} from '../src/edges/escapes-to.js';
import {RULES} from '../src/edges/index.js';
import {NODE_KINDS} from '../src/graph/ids.js';
import {ATTACK_EDGE_TYPES, CONTEXT_EDGE_TYPES} from '../src/graph/types.js';
import {FINDINGS_EXIT_CODE} from '../src/paths/findings.js';
import {ROOT, tempDir} from './helpers/cli.js';
import {headingAnchor, markdownFiles, markdownProblems} from './helpers/doc-links.js';

describe('the Markdown of the repository', () => {
  it('reads the pages a reader of the repository has: README, docs, examples, queries', () => {
    const files = markdownFiles(ROOT);
    for (const file of ['README.md', 'docs/interface.md', 'docs/edges/README.md', 'examples/multi-tenant/README.md', 'queries/README.md'])
      expect(files).toContain(file);
    expect(files.some((file) => file.startsWith('node_modules') || file.startsWith('dist'))).toBe(false);
  });

  it('cites no file outside the repository, and every link, anchor and named file resolves in it', () => {
    expect(markdownProblems(ROOT)).toEqual([]);
  });

  it('the check finds each kind of problem', () => {
    const root = tempDir();
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'a.md'), '# A page\n\n## Second part\n');
    writeFileSync(
      join(root, 'README.md'),
      [
        "Ids follow DESIGN's vocabulary (../shared/research/rbac-escapes.md §a).",
        'See [a](docs/a.md#second-part), [b](docs/b.md), [up](../outside.md), [gone](docs/a.md#third-part), [web](https://kubernetes.io/docs/).',
        'Numbers from `/tmp/gen-150000.json`, code in `src/missing.ts`, more in `notes.md`.',
        '```sh',
        'cat graph-csv/README.md   # an output: not checked',
        '```',
        '',
      ].join('\n'),
    );
    expect(markdownProblems(root)).toEqual([
      'README.md:1: cites DESIGN, the design brief, which is not in the repository: cite docs/interface.md (DESIGN)',
      'README.md:1: cites ../shared, which is not in the repository (../shared)',
      'README.md:1: cites research notes, which are not in the repository (research/rbac-escapes.md)',
      'README.md:3: cites a path on one machine, not in the repository (/tmp/)',
      'README.md:2: links to a file the repository does not have: docs/b.md',
      'README.md:2: links outside the repository: ../outside.md',
      'README.md:2: links to a heading docs/a.md does not have: docs/a.md#third-part',
      'README.md:3: names a path the repository does not have: src/missing.ts',
      'README.md:1: names a Markdown file the repository does not have: ../shared/research/rbac-escapes.md',
      'README.md:3: names a Markdown file the repository does not have: notes.md',
    ]);
  });

  it('makes anchors as GitHub does', () => {
    expect(headingAnchor('`paths -o json`')).toBe('paths--o-json');
    expect(headingAnchor('Bootstrap policy (Kubernetes v1.30)')).toBe('bootstrap-policy-kubernetes-v130');
    expect(headingAnchor('No cluster name can stop or blind the analysis')).toBe('no-cluster-name-can-stop-or-blind-the-analysis');
  });
});

describe('docs/interface.md', () => {
  const INTERFACE = join(ROOT, 'docs', 'interface.md');
  const text = existsSync(INTERFACE) ? readFileSync(INTERFACE, 'utf8') : '';
  const rows = text.split('\n').filter((line) => line.startsWith('| '));

  it('exists', () => {
    expect(existsSync(INTERFACE)).toBe(true);
  });

  it('has a row for every node kind and every edge type', () => {
    for (const kind of NODE_KINDS)
      expect(
        rows.some((row) => row.startsWith(`| ${kind} |`)),
        kind,
      ).toBe(true);
    for (const type of [...CONTEXT_EDGE_TYPES, ...ATTACK_EDGE_TYPES])
      expect(
        rows.some((row) => row.startsWith(`| \`${type}\` |`)),
        type,
      ).toBe(true);
  });

  it("links every rule's page, with the rule's edge type on its row, and names every escape", () => {
    for (const rule of RULES) {
      expect(
        rows.some((row) => row.startsWith(`| \`${rule.type}\` | [${rule.id}](edges/${rule.id}.md) |`)),
        rule.id,
      ).toBe(true);
    }
    for (const escape of Object.keys(TECHNIQUES)) expect(text, escape).toContain(`\`${escape}\``);
  });

  it('names every command, each of its flags and their options, and the exit codes', () => {
    for (const [id, command] of Object.entries(COMMANDS)) {
      expect(text, id).toContain(`| \`${id.replace(':', ' ')}\` |`);
      for (const [name, flag] of Object.entries(command.flags ?? {})) {
        const spelled = flag.type === 'boolean' && flag.allowNo ? `--[no-]${name}` : `--${name}`;
        expect(text, `${id} ${spelled}`).toContain(spelled);
        for (const option of flag.type === 'option' ? (flag.options ?? []) : [])
          expect(text, `${id} --${name} ${option}`).toMatch(new RegExp(`\\b${option}\\b`));
      }
    }
    for (const code of [0, 1, 2, FINDINGS_EXIT_CODE])
      expect(
        rows.some((row) => row.startsWith(`| ${code} |`)),
        String(code),
      ).toBe(true);
  });
});
