/**
 * Hostile strings are inert in every output: names, labels, subjects, versions and a
 * snapshot's source that carry terminal escapes (title, screen clear, OSC 8 links), C1
 * controls, bidi overrides and isolates, zero-width characters and new lines that forge
 * `SRC => DST : CONN` lines. Pod and namespace names are DNS names in a real cluster, but
 * kubepath reads manifests the API server never saw, so names carry them too. Text
 * outputs show each such character as `\uXXXX`; JSON outputs escape it too and keep the
 * same value.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {safe} from '../src/output/escape.js';
import {namespaceId} from '../src/graph/ids.js';
import {runCli, tempDir} from './helpers/cli.js';
import {writeFiles} from './helpers/load.js';

const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J\u001b[H';
const LINK = '\u001b]8;;http:evil.example\u001b\\click\u001b]8;;\u001b\\';
const BIDI = '\u202egnp.exe\u2066x\u2069\u200f';
const C1 = '\u0085\u009b31m';
const INVISIBLE = '\u200b\ufeff\u2028\u2029\u{e0041}';
const FORGE = '[Pod] : All Connections\nforged => line';

// Selectors name it by its id, which percent-encodes the controls (docs/graph.md, "Ids").
const NS = `shop${TITLE}`;
const WEB = `web${CLEAR}${BIDI}`;
const DB = `db${FORGE}`;
const LINKED = `link${LINK}${C1}`;
const SA = `sa${TITLE}${BIDI}`;

/** Anything a terminal or viewer would act on or hide: every control (but the new line ending a line), format character and line or paragraph separator. */
const UNSAFE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function expectInert(text: string, what: string): void {
  const found = UNSAFE.exec(text);
  expect(
    found &&
      `${what} holds U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 10))}`,
  ).toBeNull();
}

function cluster(withBinding: boolean): object {
  const pod = (namespace: string, name: string, app: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace, labels: {app}},
    spec: {nodeName: `node${CLEAR}${BIDI}`, containers: [{name: 'c', image: 'c'}]},
  });
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {apiVersion: 'v1', kind: 'Namespace', metadata: {name: NS, labels: {team: `red${BIDI}${C1}`}}},
      {apiVersion: 'v1', kind: 'Node', metadata: {name: `node${CLEAR}${BIDI}`}, status: {nodeInfo: {kubeletVersion: `v1.29.0${TITLE}`}}},
      {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: SA, namespace: NS}},
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: WEB, namespace: NS, labels: {app: 'web'}},
        spec: {
          selector: {matchLabels: {app: 'web'}},
          template: {
            metadata: {labels: {app: 'web', tier: `x${INVISIBLE}`}},
            spec: {serviceAccountName: SA, containers: [{name: `c${C1}`, image: `web${BIDI}`, ports: [{containerPort: 80}]}]},
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {name: `lb${LINK}`, namespace: NS},
        spec: {type: 'LoadBalancer', selector: {app: 'web'}, ports: [{port: 80}]},
      },
      pod('data', DB, 'db'),
      pod('data', LINKED, 'link'),
      // Twice: the warning on stderr names it.
      pod('data', LINKED, 'link'),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {name: `deny${CLEAR}${INVISIBLE}`, namespace: 'data'},
        spec: {
          podSelector: {matchLabels: {app: 'db'}},
          ingress: [{from: [{podSelector: {matchLabels: {app: 'link'}}}], ports: [{port: 5432}]}],
        },
      },
      ...(withBinding
        ? [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRoleBinding',
              metadata: {name: `crb${LINK}${BIDI}`},
              roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin'},
              subjects: [
                // A ServiceAccount subject's name must be a DNS subdomain (the API server refuses others): the account is bound through its namespace's group.
                {kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${NS}`},
                {kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user${CLEAR}${BIDI}${C1}\nforged`},
                {kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `group${INVISIBLE}${C1}`},
              ],
            },
          ]
        : []),
    ],
  };
}

const DIR = writeFiles({'cluster.json': JSON.stringify(cluster(true)), 'before.json': JSON.stringify(cluster(false))});
const INPUT = join(DIR, 'cluster.json');

function run(args: string[]): string {
  const result = runCli(args);
  expect(result.status, result.stderr).toBe(0);
  expectInert(result.stderr, `${args.join(' ')}: stderr`);
  return result.stdout;
}

interface Line {
  src: string;
  dst: string;
  conn: string;
}

interface Explanation extends Line {
  egress: unknown[] | null;
  ingress: unknown[] | null;
}

describe('reach with hostile names', () => {
  it('prints one line per connection, every name escaped, no control byte but the new lines', () => {
    const text = run(['reach', INPUT]);
    const json = JSON.parse(run(['reach', INPUT, '-o', 'json'])) as Line[];
    expect(json.some((line) => line.src === `data/${DB}[Pod]`)).toBe(true);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expectInert(text, 'reach -o txt');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(json.map((line) => `${safe(line.src)} => ${safe(line.dst)} : ${line.conn}`));
    expect(text).toContain(`data/db[Pod] : All Connections\\u000aforged => line[Pod] => `);
    expect(text).toContain(`shop\\u001b]0;pwned\\u0007/web\\u001b[2J\\u001b[H\\u202egnp.exe\\u2066x\\u2069\\u200f[Deployment]`);
  });

  it('explains each pair in its lines, names and rules escaped, no control byte but the new lines', () => {
    for (const [source, destination] of [
      ['ns:data', 'ns:data'],
      ['internet', namespaceId(NS)],
      [namespaceId(NS), 'internet'],
    ]) {
      const text = run(['reach', INPUT, '--explain', source!, destination!]);
      const json = JSON.parse(run(['reach', INPUT, '--explain', source!, destination!, '-o', 'json'])) as Explanation[];
      expect(json.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      expectInert(text, `reach --explain ${source} ${destination}`);
      const side = (verdicts: unknown[] | null) => (verdicts === null ? 0 : 1 + verdicts.length);
      expect(text.split('\n').length - 1).toBe(json.reduce((sum, e) => sum + 1 + side(e.egress) + side(e.ingress), 0));
      const heads = text.split('\n').filter((line) => !line.startsWith('  ') && line !== '');
      expect(heads).toEqual(json.map((e) => `${safe(e.src)} => ${safe(e.dst)} : ${e.conn}`));
    }
    expect(run(['reach', INPUT, '--explain', 'ns:data', 'ns:data'])).toContain(
      'NetworkPolicy/data/deny\\u001b[2J\\u001b[H\\u200b\\ufeff\\u2028\\u2029\\udb40\\udc41 spec.ingress[0]',
    );
  });
});

describe('every other output with hostile names', () => {
  const snapshot = join(tempDir(), 'snapshot.json');
  beforeAll(() => {
    // A live snapshot's source (server, context, version, time) is printed by analyze's summary.
    run(['collect', INPUT, '--out', snapshot]);
    const written = JSON.parse(readFileSync(snapshot, 'utf8')) as {source: Record<string, unknown>};
    written.source = {
      ...written.source,
      mode: 'live',
      server: `https://api${TITLE}`,
      context: `ctx${BIDI}`,
      serverVersion: `v1.30.1${C1}`,
      collectedAt: `2026-01-01T00:00:00Z${CLEAR}${BIDI}`,
    };
    writeFileSync(snapshot, JSON.stringify(written));
  });
  const before = join(DIR, 'before.json');

  const texts: Array<[string, string[]]> = [
    ['analyze', ['analyze', INPUT, '--verbose']],
    ['analyze -o markdown', ['analyze', INPUT, '-o', 'markdown']],
    ['analyze of a live snapshot', ['analyze', snapshot, '--verbose']],
    ['paths', ['paths', INPUT, '--from', 'internet', '--to', 'cluster-admin']],
    ['paths -o markdown', ['paths', INPUT, '--from', 'internet', '--to', 'cluster-admin', '-o', 'markdown']],
    ['who-can', ['who-can', 'get', 'secrets', INPUT]],
    ['contain', ['contain', namespaceId(NS), INPUT]],
    ['diff', ['diff', before, INPUT]],
  ];
  it.each(texts)('%s: every name escaped', (_name, args) => {
    const text = run(args);
    expectInert(text, args.join(' '));
    expect(text).toMatch(/\\u(001b|202e|0085|200b)/);
  });

  const jsons: Array<[string, string[]]> = [
    ['reach -o json', ['reach', INPUT, '-o', 'json']],
    ['analyze -o json', ['analyze', INPUT, '-o', 'json']],
    ['analyze -o sarif', ['analyze', INPUT, '-o', 'sarif']],
    ['paths -o json', ['paths', INPUT, '--from', 'internet', '--to', 'cluster-admin', '-o', 'json']],
    ['who-can -o json', ['who-can', 'get', 'secrets', INPUT, '-o', 'json']],
    ['contain -o json', ['contain', namespaceId(NS), INPUT, '-o', 'json']],
    ['diff -o json', ['diff', before, INPUT, '-o', 'json']],
    ['graph -o json', ['graph', INPUT, '-o', 'json']],
    ['collect (the snapshot)', ['collect', INPUT]],
  ];
  it.each(jsons)('%s: escaped as JSON, the same values', (_name, args) => {
    const text = run(args);
    expectInert(text, args.join(' '));
    expect(text).toMatch(/\\u(202e|0085|200b)/);
    // The escapes are JSON's own: parsed, the names are whole again.
    expect(/\u202e|\u0085|\u200b/.test(JSON.stringify(JSON.parse(text)))).toBe(true);
  });

  it('export cypher and opengraph files: escaped, the same values', () => {
    const folder = tempDir();
    run(['export', 'opengraph', INPUT, '--out', join(folder, 'graph.json')]);
    run(['export', 'cypher', INPUT, '--out', join(folder, 'graph.cypher')]);
    const openGraph = readFileSync(join(folder, 'graph.json'), 'utf8');
    expectInert(openGraph, 'export opengraph');
    const nodes = (JSON.parse(openGraph) as {graph: {nodes: Array<{properties: {name?: string}}>}}).graph.nodes;
    expect(nodes.some((node) => node.properties.name === SA)).toBe(true);
    const cypher = readFileSync(join(folder, 'graph.cypher'), 'utf8');
    expectInert(cypher, 'export cypher');
    expect(cypher).toContain("'sa\\u001b]0;pwned\\u0007\\u202egnp.exe\\u2066x\\u2069\\u200f'");
  });
});

const escapeUnits = (text: string): string =>
  [...Array(text.length).keys()].map((i) => `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

describe('safe', () => {
  it('escapes every control, format, line and paragraph separator character Node knows, and nothing else', () => {
    const all = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
    const wrong: string[] = [];
    let escapedCount = 0;
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      const escaped = safe(character);
      const expected = all.test(character) ? escapeUnits(character) : character;
      if (escaped !== expected) wrong.push(`U+${code.toString(16)}`);
      if (escaped !== character) escapedCount++;
    }
    expect(wrong).toEqual([]);
    // C0, DEL, C1 and the format characters, the bidi controls among them.
    expect(escapedCount).toBeGreaterThan(200);
  });
});
