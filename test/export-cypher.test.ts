/**
 * `kubepath export cypher`: the script loads into the real Neo4j of the test setup,
 * statement by statement as cypher-shell runs it (`:begin`/`:commit` transactions,
 * every other line one statement), and gives what the live export gives: the same
 * nodes and relationships with the same properties, hostile values verbatim. The same
 * input gives the same bytes, and loading the script again changes nothing.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import neo4j, {type Transaction} from 'neo4j-driver';
import {describe, expect, inject, it} from 'vitest';
import {cypherLiteral} from '../src/export/cypher.js';
import {expectedExport, hostilePodFile} from './helpers/export-expected.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';

function driver() {
  const {uri, user, password} = inject('neo4j');
  return neo4j.driver(uri, neo4j.auth.basic(user, password), {disableLosslessIntegers: true});
}

/** Runs a script as cypher-shell would: comments skipped, `:begin`...`:commit` one transaction, each other line one statement. */
async function runScript(script: string): Promise<void> {
  const db = driver();
  const session = db.session();
  let tx: Transaction | undefined;
  try {
    for (const line of script.split('\n')) {
      if (line === '' || line.startsWith('//')) continue;
      if (line === ':begin') tx = session.beginTransaction();
      else if (line === ':commit') {
        await tx!.commit();
        tx = undefined;
      } else {
        expect(line.endsWith(';'), line.slice(0, 80)).toBe(true);
        const statement = line.slice(0, -1);
        await (tx ? tx.run(statement) : session.run(statement));
      }
    }
  } finally {
    await session.close();
    await db.close();
  }
}

/** Every node and relationship of a cluster, as comparable text (run ids aside). */
async function contents(cluster: string): Promise<string[]> {
  const db = driver();
  try {
    const nodes = await db.executeQuery(
      'MATCH (n:KubepathNode {cluster: $cluster}) RETURN labels(n) AS labels, properties(n) AS properties',
      {cluster},
    );
    const relationships = await db.executeQuery(
      'MATCH (a:KubepathNode {cluster: $cluster})-[r]->(b) RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS properties',
      {cluster},
    );
    const strip = (properties: Record<string, unknown>) =>
      JSON.stringify(
        Object.entries(properties)
          .filter(([key]) => key !== 'run' && key !== 'cluster')
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    return [
      ...nodes.records.map((record) => `${[...(record.get('labels') as string[])].sort().join(':')} ${strip(record.get('properties'))}`),
      ...relationships.records.map(
        (record) => `${record.get('source')} ${record.get('type')} ${record.get('target')} ${strip(record.get('properties'))}`,
      ),
    ].sort();
  } finally {
    await db.close();
  }
}

function script(inputs: string[], cluster: string): string {
  const out = join(tempDir(), 'graph.cypher');
  const result = runCli(['export', 'cypher', ...inputs, '--out', out, '--cluster', cluster, '--batch-size', '500']);
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

function exportLive(inputs: string[], cluster: string): void {
  const {uri, user, password} = inject('neo4j');
  const result = runCli(['export', 'neo4j', ...inputs, '--uri', uri, '--user', user, '--cluster', cluster], {
    env: {NEO4J_PASSWORD: password},
  });
  expect(result.status, result.stderr).toBe(0);
}

describe('cypherLiteral', () => {
  it('escapes what would end a string or a key', () => {
    expect(cypherLiteral("a'b\\c\nd")).toBe("'a\\'b\\\\c\\u000ad'");
    expect(cypherLiteral({'we`ird': [1, true, 'x']})).toBe("{`we``ird`: [1, true, 'x']}");
    expect(() => cypherLiteral(Number.NaN)).toThrow();
  });
});

describe('kubepath export cypher', () => {
  it('loads into Neo4j as the live export does, the same bytes every time, twice the same as once', async () => {
    const text = script([EXAMPLE], 'script');
    expect(script([EXAMPLE], 'script')).toBe(text);
    expect(text).toMatch(/^\/\/ kubepath export cypher: \d+ nodes and \d+ relationships/);
    await runScript(text);
    exportLive([EXAMPLE], 'live');
    const loaded = await contents('script');
    const graph = expectedExport([EXAMPLE]);
    expect(loaded.length).toBe(graph.nodes.length + graph.edges.length);
    expect(loaded).toEqual(await contents('live'));
    await runScript(text);
    expect(await contents('script')).toEqual(loaded);
  });

  it('keeps hostile values as data', async () => {
    const hostile = `x' }) DETACH DELETE n // \\ {braces} "quotes" \`ticks\`\u2028`;
    const file = hostilePodFile(hostile, `r.example/${hostile}`);
    await runScript(script([file], 'script-hostile'));
    const db = driver();
    try {
      const {records} = await db.executeQuery(
        "MATCH (p:Pod {cluster: 'script-hostile', id: 'pod:evil/web'}) RETURN p.labels AS labels, p.images AS images",
      );
      expect(JSON.parse(records[0]!.get('labels'))).toEqual({app: hostile});
      expect(records[0]!.get('images')).toEqual([`r.example/${hostile}`]);
    } finally {
      await db.close();
    }
    expect((await contents('script')).length).toBeGreaterThan(0);
  });
});
