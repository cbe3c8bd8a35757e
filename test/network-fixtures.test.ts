/**
 * The network semantics checklist as data: one folder per rule under
 * test/fixtures/network/, each holding small complete clusters named
 * `positive.<case>.yaml` (the rule allowing something) and `negative.<case>.yaml`
 * (the rule denying something). Every fixture states what `reach` must conclude in
 * comment lines at its top:
 *
 *   # reach: SRC => DST : CONN    this connection is listed with exactly this CONN
 *   # no-reach: SRC => DST        this pair is not listed at all
 *
 * Expectations are derived by hand from the Kubernetes semantics, never copied from
 * the tool's output. `reach` runs through test/helpers/reach.ts only.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {reachLines} from './helpers/reach.js';

const ROOT = fileURLToPath(new URL('./fixtures/network/', import.meta.url));
const FOLDER_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FILE_NAME = /^(positive|negative)\.[a-z0-9]+(?:-[a-z0-9]+)*\.yaml$/;
const REACH = /^#\s*reach:\s*(\S+)\s+=>\s+(\S+)\s+:\s+(\S.*?)\s*$/;
const NO_REACH = /^#\s*no-reach:\s*(\S+)\s+=>\s+(\S+)\s*$/;
/** Anything that looks like an expectation, well-formed or not. */
const EXPECTATION_LIKE = /^#\s*(?:no-)?reach\b/i;

interface Expectation {
  kind: 'reach' | 'no-reach';
  src: string;
  dst: string;
  /** For `reach`: the exact CONN string. */
  conn?: string;
  /** The declaring line, for test names. */
  text: string;
}

interface Fixture {
  /** `<folder>/<file>`, relative to the fixture root. */
  name: string;
  folder: string;
  sign: 'positive' | 'negative';
  path: string;
  expectations: Expectation[];
  /** Problems with the declarations themselves (malformed or misplaced lines). */
  problems: string[];
}

function parseFixture(folder: string, file: string): Fixture {
  const path = join(ROOT, folder, file);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const expectations: Expectation[] = [];
  const problems: string[] = [];
  let header = true;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (header && line !== '' && !line.startsWith('#')) header = false;
    if (!EXPECTATION_LIKE.test(line)) return;
    if (!header) {
      problems.push(`line ${index + 1}: expectation below the header comment block: ${line}`);
      return;
    }
    const reach = REACH.exec(line);
    const noReach = NO_REACH.exec(line);
    if (reach) expectations.push({kind: 'reach', src: reach[1]!, dst: reach[2]!, conn: reach[3]!, text: line.replace(/^#\s*/, '')});
    else if (noReach) expectations.push({kind: 'no-reach', src: noReach[1]!, dst: noReach[2]!, text: line.replace(/^#\s*/, '')});
    else problems.push(`line ${index + 1}: malformed expectation: ${line}`);
  });
  return {name: `${folder}/${file}`, folder, sign: file.startsWith('positive.') ? 'positive' : 'negative', path, expectations, problems};
}

const folders = readdirSync(ROOT)
  .filter((name) => statSync(join(ROOT, name)).isDirectory())
  .sort();
const filesByFolder = new Map(folders.map((folder) => [folder, readdirSync(join(ROOT, folder)).sort()]));
const fixtures: Fixture[] = folders.flatMap((folder) =>
  filesByFolder
    .get(folder)!
    .filter((file) => FILE_NAME.test(file))
    .map((file) => parseFixture(folder, file)),
);

describe('network fixture suite layout', () => {
  it('has fixtures', () => {
    expect(folders.length).toBeGreaterThanOrEqual(30);
    expect(fixtures.length).toBeGreaterThanOrEqual(70);
  });

  it('holds only kebab-case rule folders', () => {
    const stray = readdirSync(ROOT).filter((name) => !folders.includes(name) || !FOLDER_NAME.test(name));
    expect(stray).toEqual([]);
  });

  it.each(folders)('%s holds only positive.<case>.yaml and negative.<case>.yaml files, at least one of each', (folder) => {
    const files = filesByFolder.get(folder)!;
    expect(files.filter((file) => !FILE_NAME.test(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('positive.')).length).toBeGreaterThanOrEqual(1);
    expect(files.filter((file) => file.startsWith('negative.')).length).toBeGreaterThanOrEqual(1);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s declares well-formed expectations of its sign', (_name, fixture) => {
    expect(fixture.problems).toEqual([]);
    const wanted = fixture.sign === 'positive' ? 'reach' : 'no-reach';
    expect(
      fixture.expectations.filter((e) => e.kind === wanted).length,
      `a ${fixture.sign} fixture needs a \`# ${wanted}:\` line`,
    ).toBeGreaterThanOrEqual(1);
    const pairs = fixture.expectations.map((e) => `${e.src} => ${e.dst}`);
    expect(
      pairs.filter((pair, index) => pairs.indexOf(pair) !== index),
      'each pair is declared once',
    ).toEqual([]);
  });
});

describe.each(fixtures.map((f) => [f.name, f] as const))('reach on %s', (_name, fixture) => {
  let connections: Map<string, string>;

  beforeAll(async () => {
    const lines = await reachLines([fixture.path]);
    connections = new Map(lines.map((line) => [`${line.src} => ${line.dst}`, line.conn]));
  });

  it.each(fixture.expectations.map((e) => [e.text, e] as const))('%s', (_text, expectation) => {
    const pair = `${expectation.src} => ${expectation.dst}`;
    if (expectation.kind === 'reach') expect(connections.get(pair), pair).toBe(expectation.conn);
    else expect(connections.has(pair), `${pair} is listed as ${connections.get(pair)}`).toBe(false);
  });
});
