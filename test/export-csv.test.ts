/**
 * `kubepath export csv`: the files load with the real `neo4j-admin database import full`
 * (the AdminTool of the same Maven jars), run exactly as the README in the folder says,
 * into a new database that a real server then opens: the same nodes by kind and
 * relationships by type as `kubepath graph` and analyze's findings (helpers/export-expected.ts), properties typed (numbers, booleans,
 * arrays), hostile values (commas, quotes, line breaks, the array delimiter) as data.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import neo4j from 'neo4j-driver';
import {describe, expect, it} from 'vitest';
import {admin, layout, start, stop} from '../src/neo4j/local-server.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';
import {countBy, expectedExport} from './helpers/export-expected.js';

function exportCsv(inputs: string[]): string {
  const out = join(tempDir(), 'csv');
  const result = runCli(['export', 'csv', ...inputs, '--out', out, '--cluster', 'imported']);
  expect(result.status, result.stderr).toBe(0);
  return out;
}

describe('kubepath export csv', () => {
  it('imports with neo4j-admin as its README says: the whole graph, typed, hostile values as data', async () => {
    const hostile = `a,b "c" ;d\nline two`;
    const file = join(tempDir(), 'hostile.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', '  namespace: evil', `  labels: {app: ${JSON.stringify(hostile)}}`, 'spec:', `  containers: [{name: app, image: ${JSON.stringify(`r.example/x;${hostile}`)}}]`, ''].join('\n'));
    const out = exportCsv([EXAMPLE, file]);
    const again = exportCsv([EXAMPLE, file]);
    for (const name of readdirSync(out)) expect(readFileSync(join(again, name), 'utf8'), name).toBe(readFileSync(join(out, name), 'utf8'));
    const command = /```sh\n([\s\S]*?)\n```/.exec(readFileSync(join(out, 'README.md'), 'utf8'))![1]!.replace(/\\\n\s*/g, ' ').trim().split(/\s+/);
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
      expect(JSON.parse(row.images as string)).toEqual(graph.nodes.find((n) => n.id === 'pod:ingress-nginx/ingress-nginx-controller')!.images);
      const evil = (await driver.executeQuery("MATCH (p:Pod {id: 'pod:evil/web'}) RETURN p.labels AS labels, p.images AS images")).records[0]!.toObject();
      expect(JSON.parse(evil.labels as string)).toEqual({app: hostile});
      expect(JSON.parse(evil.images as string)).toEqual([`r.example/x;${hostile}`]);
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
});
