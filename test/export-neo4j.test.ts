/**
 * `kubepath export neo4j` against the real Neo4j the test setup started
 * (test/helpers/neo4j-setup.ts): the example's graph arrives whole (as many nodes and
 * relationships as `kubepath graph` prints, of each kind and type) with analyze's
 * findings, each finding's path walkable in Cypher, exporting again
 * replaces instead of duplicating, clusters live side by side, a smaller input removes
 * what it no longer has, hostile values are stored verbatim as data, and an unreachable
 * server, a wrong password or a missing database are clear errors (exit 2).
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import neo4j from 'neo4j-driver';
import {beforeAll, describe, expect, inject, it} from 'vitest';
import {loadIntoNeo4j} from '../src/export/neo4j-live.js';
import {layout, start, stop} from '../src/neo4j/local-server.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';
import {countBy, expectedExport, type ExpectedExport, hostilePodFile} from './helpers/export-expected.js';

const server = () => inject('neo4j');

async function query<T = Record<string, unknown>>(cypher: string, parameters: Record<string, unknown> = {}): Promise<T[]> {
  const {uri, user, password} = server();
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {disableLosslessIntegers: true});
  try {
    return (await driver.executeQuery(cypher, parameters)).records.map((record) => record.toObject() as T);
  } finally {
    await driver.close();
  }
}

function exportTo(cluster: string, inputs: string[], extra: string[] = []) {
  const {uri, user, password} = server();
  return runCli(['export', 'neo4j', ...inputs, '--uri', uri, '--user', user, '--cluster', cluster, '--json', ...extra], {
    env: {NEO4J_PASSWORD: password},
  });
}

async function clusterCounts(cluster: string) {
  const nodes = await query<{kind: string; count: number}>(
    'MATCH (n:KubepathNode {cluster: $cluster}) RETURN n.kind AS kind, count(*) AS count',
    {cluster},
  );
  const relationships = await query<{type: string; count: number}>(
    'MATCH (:KubepathNode {cluster: $cluster})-[r]->(:KubepathNode {cluster: $cluster}) RETURN type(r) AS type, count(*) AS count',
    {cluster},
  );
  return {
    nodes: Object.fromEntries(nodes.map((row) => [row.kind, row.count])),
    relationships: Object.fromEntries(relationships.map((row) => [row.type, row.count])),
  };
}

let graph: ExpectedExport;
beforeAll(() => {
  graph = expectedExport([EXAMPLE]);
});

describe('kubepath export neo4j', () => {
  it('loads the example whole: nodes by kind and relationships by type as `kubepath graph` prints them, and the findings', async () => {
    const result = exportTo('example', [EXAMPLE]);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({cluster: 'example', nodes: graph.nodes.length, relationships: graph.edges.length});
    expect(result.stderr).toMatch(/nodes \d+\/\d+/);
    expect(await clusterCounts('example')).toEqual({nodes: countBy(graph.nodes, 'kind'), relationships: countBy(graph.edges, 'type')});
    // Kinds are labels too; evidence is kept as JSON text, with the objects it names.
    const [edge] = await query<{evidence: string; objects: string[]}>(
      "MATCH (:Pod {cluster: 'example', id: 'pod:ingress-nginx/ingress-nginx-controller'})-[r:USES_TOKEN]->(:ServiceAccount) RETURN r.evidence AS evidence, r.evidenceObjects AS objects",
    );
    expect(JSON.parse(edge!.evidence).length).toBeGreaterThan(0);
    expect(edge!.objects.length).toBeGreaterThan(0);
  });

  it('carries the findings: each path in order, walkable along attack relationships; fixes and what they cut', async () => {
    const assumeBreach = ['--assume-breach', 'pod:shop/storefront'];
    const breached = expectedExport([EXAMPLE], assumeBreach);
    expect(exportTo('findings', [EXAMPLE], assumeBreach).status).toBe(0);
    expect(await clusterCounts('findings')).toEqual({
      nodes: countBy(breached.nodes, 'kind'),
      relationships: countBy(breached.edges, 'type'),
    });
    const withNetworkStep = breached.findings.filter((finding) =>
      finding.path.steps.some((step) => step.technique === 'POD_NETWORK_REACH'),
    );
    expect(withNetworkStep.length).toBeGreaterThan(0);
    for (const finding of breached.findings) {
      const [stored] = await query<{nodes: string[]; severity: string; path: string}>(
        "MATCH (f:Finding {cluster: 'findings', id: $id})-[p:FINDING_PATH]->(n) WITH f, p, n ORDER BY p.order RETURN collect(n.id) AS nodes, f.severity AS severity, f.path AS path",
        {id: `finding:${finding.id}`},
      );
      expect(stored!.nodes).toEqual([finding.path.source, ...finding.path.steps.map((step) => step.to)]);
      expect(JSON.parse(stored!.path)).toEqual(finding.path);
      // Each step is a relationship of its type between the nodes in order: pod-to-pod network steps included.
      const [walk] = await query<{steps: number}>(
        `MATCH (f:Finding {cluster: 'findings', id: $id})-[p:FINDING_PATH]->(n) WITH n ORDER BY p.order WITH collect(n) AS ns
         UNWIND range(0, size(ns) - 2) AS i
         MATCH (a)-[r]->(b) WHERE a = ns[i] AND b = ns[i + 1] AND r.attack AND type(r) = $types[i]
         RETURN count(DISTINCT i) AS steps`,
        {id: `finding:${finding.id}`, types: finding.path.steps.map((step) => step.type)},
      );
      expect(walk!.steps).toBe(finding.path.steps.length);
    }
    const cuts = await query<{fix: string; finding: string; paths: number}>(
      "MATCH (x:Fix {cluster: 'findings'})-[c:CUTS]->(f:Finding) RETURN x.fixId AS fix, f.findingId AS finding, c.paths AS paths ORDER BY fix, finding",
    );
    expect(cuts.length).toBe(breached.findings.reduce((sum, finding) => sum + finding.fixes.length, 0));
    for (const {fix, finding, paths} of cuts) {
      expect(breached.findings.find((f) => f.id === finding)!.fixes).toContainEqual(expect.objectContaining({id: fix, paths}));
    }
  });

  it('exporting again replaces: the same counts, every item of the latest run', async () => {
    const first = JSON.parse(exportTo('again', [EXAMPLE]).stdout);
    const second = exportTo('again', [EXAMPLE]);
    expect(second.status, second.stderr).toBe(0);
    const counts = JSON.parse(second.stdout);
    expect(counts.run).not.toBe(first.run);
    // Nodes are merged and stay; relationships are written anew by every run, the earlier run's removed.
    expect(counts.deleted).toEqual({nodes: 0, relationships: first.relationships});
    expect(await clusterCounts('again')).toEqual({nodes: countBy(graph.nodes, 'kind'), relationships: countBy(graph.edges, 'type')});
    const runs = await query<{run: string}>(
      'MATCH (n:KubepathNode {cluster: $cluster}) RETURN DISTINCT n.run AS run UNION MATCH (:KubepathNode {cluster: $cluster})-[r]->() RETURN DISTINCT r.run AS run',
      {cluster: 'again'},
    );
    expect(runs).toEqual([{run: counts.run}]);
  });

  it('keeps clusters apart, and a smaller input removes what it no longer has', async () => {
    const small = join(tempDir(), 'small.yaml');
    writeFileSync(
      small,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: lonely, namespace: solo}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n',
    );
    expect(exportTo('shrinks', [EXAMPLE]).status).toBe(0);
    const before = await clusterCounts('example');
    const result = exportTo('shrinks', [small]);
    expect(result.status, result.stderr).toBe(0);
    const smallGraph = expectedExport([small]);
    expect(JSON.parse(result.stdout).deleted.nodes).toBe(
      graph.nodes.length - smallGraph.nodes.filter((n) => graph.nodes.some((m) => m.id === n.id)).length,
    );
    expect(await clusterCounts('shrinks')).toEqual({
      nodes: countBy(smallGraph.nodes, 'kind'),
      relationships: countBy(smallGraph.edges, 'type'),
    });
    expect(await clusterCounts('example')).toEqual(before);
  });

  it('stores hostile labels and images verbatim, as data: nothing runs', async () => {
    const hostile = `x" }) DETACH DELETE n // {braces} 'quotes' \`ticks\``;
    const file = hostilePodFile(hostile, `registry.example/${hostile}`);
    const result = exportTo('hostile', [file]);
    expect(result.status, result.stderr).toBe(0);
    const [pod] = await query<{labels: string; images: string[]}>(
      "MATCH (p:Pod {cluster: 'hostile', id: 'pod:evil/web'}) RETURN p.labels AS labels, p.images AS images",
    );
    expect(JSON.parse(pod!.labels)).toEqual({app: hostile});
    expect(pod!.images).toEqual([`registry.example/${hostile}`]);
    expect(await clusterCounts('example')).toEqual({nodes: countBy(graph.nodes, 'kind'), relationships: countBy(graph.edges, 'type')});
  });

  it('--wipe deletes every kubepath node of every cluster first (on a server of its own: other test files share the main one)', async () => {
    const paths = layout(tempDir('kubepath-neo4j-'));
    const own = await start({port: 0, password: 'wipe-server', paths});
    try {
      const run = (cluster: string, extra: string[] = []) =>
        runCli(['export', 'neo4j', EXAMPLE, '--uri', own.uri, '--user', 'neo4j', '--cluster', cluster, ...extra], {
          env: {NEO4J_PASSWORD: 'wipe-server'},
        });
      expect(run('wipe-a').status).toBe(0);
      expect(run('wipe-b').status).toBe(0);
      const result = run('wipe-c', ['--wipe']);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toContain(`wiped ${2 * graph.nodes.length} kubepath nodes`);
      const driver = neo4j.driver(own.uri, neo4j.auth.basic('neo4j', 'wipe-server'), {disableLosslessIntegers: true});
      try {
        const {records} = await driver.executeQuery('MATCH (n:KubepathNode) RETURN n.cluster AS cluster, count(*) AS nodes');
        expect(records.map((record) => record.toObject())).toEqual([{cluster: 'wipe-c', nodes: graph.nodes.length}]);
      } finally {
        await driver.close();
      }
    } finally {
      await stop(paths);
    }
  });

  it('never drops a relationship unseen: one whose end is not there fails the export', async () => {
    const {uri, user, password} = server();
    const node = (id: string) => ({id, label: 'Pod', properties: {kind: 'Pod', name: id}});
    const records = {
      nodes: [node('pod:a/x')],
      relationships: [
        {source: 'pod:a/x', target: 'pod:a/gone', type: 'CAN_REACH', key: 'POD_NETWORK_REACH', properties: {attack: true, cost: 3}},
      ],
    };
    await expect(
      loadIntoNeo4j({uri, user, password}, records, {cluster: 'dangling', wipe: false, batchSize: 100, progress: () => {}}),
    ).rejects.toThrow(/1 relationships found no end node/);
  });

  it('says what is wrong with the server: unreachable, wrong password, missing database (exit 2)', () => {
    const {user, password} = server();
    const unreachable = runCli(['export', 'neo4j', EXAMPLE, '--uri', 'bolt://127.0.0.1:9', '--user', user], {
      env: {NEO4J_PASSWORD: password},
    });
    expect(unreachable.status).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach Neo4j at bolt://127.0.0.1:9');
    const wrong = exportTo('x', [EXAMPLE], ['--password', 'not-the-password']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/refused user "neo4j"/);
    const missing = exportTo('x', [EXAMPLE], ['--database', 'nosuchdb']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('has no database "nosuchdb"');
    const noPassword = runCli(['export', 'neo4j', EXAMPLE], {env: {NEO4J_PASSWORD: ''}});
    expect(noPassword.status).toBe(2);
    for (const result of [unreachable, wrong, missing]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
