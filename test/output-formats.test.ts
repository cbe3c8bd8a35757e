/**
 * `-o` of every command: its formats are its renderer table's keys, plus the earlier names
 * of `text` it took before `text` became the one name for human text (issue 19); each
 * alias writes the very bytes `text` does, and a format it lacks is a usage error naming
 * the ones it has.
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {COMMANDS} from '../src/commands/index.js';
import {RENDERERS as analyze} from '../src/commands/analyze.js';
import {RENDERERS as contain} from '../src/commands/contain.js';
import {RENDERERS as diff} from '../src/commands/diff.js';
import {RENDERERS as graph} from '../src/commands/graph.js';
import {RENDERERS as paths} from '../src/commands/paths.js';
import {RENDERERS as reach} from '../src/commands/reach.js';
import {RENDERERS as whoCan} from '../src/commands/who-can.js';
import {EXAMPLE, ROOT, runCli} from './helpers/cli.js';

const IN_CLUSTER = join(ROOT, 'examples', 'in-cluster');

/** Each command with `-o`: its renderer table, the aliases it keeps, and a command line on the bundled examples. */
const OUTPUTS: Record<string, {renderers: object; aliases: string[]; argv: string[][]}> = {
  analyze: {renderers: analyze, aliases: ['table'], argv: [['analyze', EXAMPLE]]},
  paths: {renderers: paths, aliases: ['table'], argv: [['paths', EXAMPLE, '--from', 'internet', '--to', 'cluster-admin']]},
  'who-can': {renderers: whoCan, aliases: ['table'], argv: [['who-can', 'get', 'secrets', '-n', 'payments', EXAMPLE]]},
  diff: {renderers: diff, aliases: ['table'], argv: [['diff', EXAMPLE, IN_CLUSTER]]},
  reach: {
    renderers: reach,
    aliases: ['txt'],
    argv: [
      ['reach', EXAMPLE],
      ['reach', EXAMPLE, '--explain', 'pod:shop/storefront', 'pod:payments/card-vault'],
    ],
  },
  contain: {renderers: contain, aliases: [], argv: [['contain', 'pod:shop/storefront', EXAMPLE]]},
  graph: {renderers: graph, aliases: [], argv: [['graph', EXAMPLE]]},
};

/** A command's `-o` flag as oclif holds it, if it has one. */
function outputFlag(id: string): {options?: readonly string[]; default?: unknown; helpValue?: unknown} | undefined {
  const flags: Record<string, {options?: readonly string[]; default?: unknown; helpValue?: unknown}> =
    COMMANDS[id as keyof typeof COMMANDS].flags ?? {};
  return flags.output;
}

describe('output formats', () => {
  it('lists every command with -o', () => {
    expect(
      Object.keys(COMMANDS)
        .filter((id) => outputFlag(id))
        .sort(),
    ).toEqual(Object.keys(OUTPUTS).sort());
  });

  it.each(Object.entries(OUTPUTS))(
    "%s: -o takes its renderer table's keys and its aliases, and help shows the keys, text the default",
    (id, {renderers, aliases}) => {
      const flag = outputFlag(id)!;
      const formats = Object.keys(renderers);
      expect(flag.options).toEqual([...formats, ...aliases]);
      expect(flag.helpValue).toBe(formats.join('|'));
      expect(flag.default).toBe(formats.includes('text') ? 'text' : formats[0]);
      expect(formats).toContain('json');
    },
  );

  const aliased = Object.entries(OUTPUTS).flatMap(([id, {aliases, argv}]) =>
    aliases.flatMap((alias) => argv.map((args) => [id, alias, args] as const)),
  );
  it.each(aliased)('%s: -o %s writes what -o text writes (and what no -o writes)', (_id, alias, args) => {
    const text = runCli([...args, '-o', 'text']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).not.toBe('');
    expect(runCli([...args, '-o', alias])).toEqual(text);
    expect(runCli(args)).toEqual(text);
  });

  it.each(Object.entries(OUTPUTS))('%s: an unknown format exits 2 naming the allowed ones', (_id, {renderers, aliases, argv}) => {
    const result = runCli([...argv[0]!, '-o', 'yaml']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      `kubepath: error: Expected --output=yaml to be one of: ${[...Object.keys(renderers), ...aliases].join(', ')}`,
    );
  });
});
