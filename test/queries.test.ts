/**
 * The analyst queries of queries/: each file opens with its purpose, parameters and an
 * example, and runs with those parameters on the bundled example exported into the
 * test's real Neo4j, returning rows. Where kubepath answers the same question, the
 * rows are compared with its answer: the Cypher cheapest path from the Internet to
 * cluster-admin and to each secret is the one `kubepath paths` finds (where that one
 * has no pod-to-pod network move, which the export leaves out), and the escapes, the
 * cluster-admin holders, nodes/proxy holders, exposed escaping pods and namespaces
 * without policies are what the graph's edges say; the findings and the fixes that cut
 * them are analyze's.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import neo4j from 'neo4j-driver';
import {beforeAll, describe, expect, inject, it} from 'vitest';
import type {AttackMoves} from '../src/paths/moves.js';
import {cheapestPaths} from '../src/paths/search.js';
import {EXAMPLE, ROOT, runCli} from './helpers/cli.js';
import {attackMovesOf} from './helpers/load.js';
import {readTrivyReport} from '../src/vulns/trivy.js';

const CLUSTER = 'queries';
const FILES = readdirSync(join(ROOT, 'queries'))
  .filter((name) => name.endsWith('.cypher'))
  .sort();

interface Edge {
  source: string;
  target: string;
  type: string;
  escape?: string;
  evidence?: unknown;
}
let graph: {nodes: Array<{id: string; kind: string; name: string; namespace?: string}>; edges: Edge[]};
let moves: AttackMoves;
let analysis: {
  findings: Array<{
    severity: string;
    title: string;
    cost: number;
    path: {source: string; target: string; steps: Array<{to: string}>};
    fixes: Array<{id: string; action: string; paths: number}>;
  }>;
};
const rows = new Map<string, Array<Record<string, unknown>>>();

function header(file: string): {purpose: string; parameters: string; example: Record<string, unknown>} {
  const text = readFileSync(join(ROOT, 'queries', file), 'utf8');
  const line = (name: string) => new RegExp(`^// ${name}: (.+)$`, 'm').exec(text)?.[1];
  return {purpose: line('Purpose') ?? '', parameters: line('Parameters') ?? '', example: JSON.parse(line('Example') ?? 'null')};
}

// The example with its illustrative vulnerability reports, everywhere alike: the export, the graph, analyze and the moves.
const REPORTS = ['trivy-k8s.json', 'trivy-image-report-generator.json'].map((name) => join(ROOT, 'examples', 'vulns', name));
const VULNS = REPORTS.flatMap((file) => ['--vulns', file]);

beforeAll(async () => {
  const {uri, user, password} = inject('neo4j');
  const exported = runCli(['export', 'neo4j', EXAMPLE, '--uri', uri, '--user', user, '--cluster', CLUSTER, ...VULNS], {
    env: {NEO4J_PASSWORD: password},
  });
  expect(exported.status, exported.stderr).toBe(0);
  graph = JSON.parse(runCli(['graph', EXAMPLE, ...VULNS]).stdout);
  analysis = JSON.parse(runCli(['analyze', EXAMPLE, '-o', 'json', ...VULNS]).stdout);
  moves = await attackMovesOf(EXAMPLE, () => REPORTS.flatMap((file) => readTrivyReport(file)));
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {disableLosslessIntegers: true});
  try {
    for (const file of FILES) {
      const result = await driver.executeQuery(readFileSync(join(ROOT, 'queries', file), 'utf8'), {
        ...header(file).example,
        cluster: CLUSTER,
      });
      rows.set(
        file,
        result.records.map((record) => record.toObject()),
      );
    }
  } finally {
    await driver.close();
  }
});

const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('queries/', () => {
  it('holds at least 12 queries, each with its purpose, parameters and an example, each returning rows on the example', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    for (const file of FILES) {
      const {purpose, parameters, example} = header(file);
      expect(purpose.length, file).toBeGreaterThan(20);
      expect(parameters, file).toContain('$cluster');
      for (const name of parameters.match(/\$\w+/g) ?? [])
        expect(Object.keys(example), `${file}: the example gives ${name}`).toContain(name.slice(1));
      expect(rows.get(file)!.length, `${file} returns rows`).toBeGreaterThan(0);
    }
  });

  it('the cheapest path from the Internet to cluster-admin is the one kubepath paths finds', () => {
    const [first] = cheapestPaths(moves, ['internet'], new Set(['cluster-admin']), {maxPaths: 1, maxDepth: 12, definiteOnly: false});
    expect(first!.steps.some((step) => step.attributes.technique === 'POD_NETWORK_REACH')).toBe(false);
    const [row] = rows.get('internet-to-cluster-admin.cypher')!;
    expect(row).toEqual({
      cost: first!.cost,
      nodes: [first!.source, ...first!.steps.map((s) => s.to)],
      types: first!.steps.map((s) => s.attributes.type),
    });
  });

  it('each secret the Internet reaches costs what kubepath paths says, and is every secret it reaches', () => {
    const found = rows.get('secrets-reachable-from-internet.cypher')!;
    let compared = 0;
    for (const secret of graph.nodes.filter((node) => node.kind === 'Secret')) {
      const [path] = cheapestPaths(moves, ['internet'], new Set([secret.id]), {maxPaths: 1, maxDepth: 6, definiteOnly: false});
      const row = found.find((r) => r.secret === secret.id);
      if (!path || path.steps.some((step) => step.attributes.technique === 'POD_NETWORK_REACH')) continue;
      expect(row, secret.id).toBeDefined();
      expect(row!.cost, secret.id).toBe(path.cost);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('escapes by node, cluster-admin holders, nodes/proxy holders, exposed escaping pods and namespaces without policies are what the edges say', () => {
    const escapes = graph.edges.filter((edge) => edge.type === 'ESCAPES_TO');
    expect(sorted(rows.get('container-escapes-by-node.cypher')!.map((row) => [row.node, sorted(row.escaping as string[])]))).toEqual(
      sorted(
        [...new Set(escapes.map((edge) => edge.target))].map((node) => [
          node,
          sorted([...new Set(escapes.filter((edge) => edge.target === node).map((edge) => edge.source))]),
        ]),
      ),
    );
    const direct = rows
      .get('cluster-admin-holders.cypher')!
      .filter((row) => row.how === 'direct')
      .map((row) => row.identity);
    expect(sorted(direct)).toEqual(
      sorted([...new Set(graph.edges.filter((edge) => edge.type === 'IS_CLUSTER_ADMIN').map((edge) => edge.source))]),
    );
    const proxy = graph.edges.filter((edge) => edge.type === 'CAN_EXEC' && JSON.stringify(edge.evidence).includes('nodes/proxy'));
    expect(sorted(rows.get('nodes-proxy-holders.cypher')!.map((row) => row.identity))).toEqual(
      sorted([...new Set(proxy.map((edge) => edge.source))]),
    );
    const exposed = new Set(
      graph.edges.filter((edge) => edge.source === 'internet' && edge.type === 'CAN_REACH').map((edge) => edge.target),
    );
    expect(sorted(rows.get('exposed-privileged-pods.cypher')!.map((row) => row.pod))).toEqual(
      sorted([...new Set(escapes.filter((edge) => exposed.has(edge.source)).map((edge) => edge.source))]),
    );
    const namespaceOf = new Map(graph.nodes.map((node) => [node.id, node.namespace]));
    const withPolicy = new Set(graph.nodes.filter((node) => node.kind === 'NetworkPolicy').map((node) => node.namespace));
    const bare = new Set(
      graph.nodes.filter((node) => node.kind === 'Pod' && !withPolicy.has(node.namespace)).map((node) => namespaceOf.get(node.id)),
    );
    expect(sorted(rows.get('namespaces-without-network-policies.cypher')!.map((row) => row.namespace))).toEqual(sorted([...bare]));
  });

  it('exploitable services are the pods the reports mark, the exposed ones first, each with what its attack edges reach', () => {
    const marked = graph.nodes.filter((node) => (node as {exploitableVulnerabilities?: string[]}).exploitableVulnerabilities);
    expect(marked.map((node) => node.id).sort()).toEqual(['pod:batch/report-generator', 'pod:monitoring/grafana']);
    const exposed = new Set(
      graph.edges.filter((edge) => edge.source === 'internet' && edge.type === 'CAN_REACH').map((edge) => edge.target),
    );
    const attack = graph.edges as Array<Edge & {attack?: boolean}>;
    expect(rows.get('exploitable-services.cypher')).toEqual(
      marked
        .map((node) => ({
          pod: node.id,
          vulnerabilities: (node as {exploitableVulnerabilities?: string[]}).exploitableVulnerabilities,
          exposed: exposed.has(node.id),
          gains: [
            ...new Set(
              attack.filter((edge) => edge.source === node.id && edge.attack && edge.type !== 'CAN_REACH').map((edge) => edge.target),
            ),
          ].sort(),
        }))
        .sort((a, b) => Number(b.exposed) - Number(a.exposed) || (a.pod < b.pod ? -1 : 1)),
    );
    expect(rows.get('exploitable-services.cypher')![0]).toMatchObject({
      pod: 'pod:monitoring/grafana',
      exposed: true,
      vulnerabilities: ['CVE-2099-10001'],
    });
  });

  it("the findings and the fixes that cut them are analyze's", () => {
    expect(rows.get('findings-by-severity.cypher')).toEqual(
      analysis.findings.map((finding, index) => ({
        rank: index + 1,
        severity: finding.severity,
        title: finding.title,
        cost: finding.cost,
        certainty: expect.any(String),
        entry: finding.path.source,
        jewel: finding.path.target,
        path: [finding.path.source, ...finding.path.steps.map((step) => step.to)],
      })),
    );
    const cut = new Map<string, {findings: number; paths: number}>();
    for (const finding of analysis.findings) {
      for (const fix of finding.fixes) {
        const known = cut.get(fix.action) ?? {findings: 0, paths: 0};
        cut.set(fix.action, {findings: known.findings + 1, paths: known.paths + fix.paths});
      }
    }
    const fixes = rows.get('fixes-by-findings-cut.cypher')!;
    expect(fixes.length).toBe(Math.min(20, cut.size));
    for (const row of fixes) expect({findings: row.findings, paths: row.paths}, String(row.fix)).toEqual(cut.get(String(row.fix)));
    const most = Math.max(...[...cut.values()].map((counts) => counts.findings));
    expect(fixes[0]!.findings).toBe(most);
  });
});
