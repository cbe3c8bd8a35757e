/**
 * The commands as users run them on the bundled example: analyze's summary in both
 * formats, graph's JSON shape, collect's snapshot, and --output-file.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EXAMPLE, ROOT, runCli, tempDir} from './helpers/cli.js';

describe('kubepath analyze', () => {
  it('summarizes the bundled example', () => {
    const result = runCli(['analyze', EXAMPLE]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^kubepath: offline snapshot from \d+ input files\n/);
    expect(result.stdout).toContain('Cluster model:');
    expect(result.stdout).toMatch(/pods +\d+ \(\d+ representative, from workload templates\)/);
  });

  it('gives the same facts as JSON, and the example is as large as promised', () => {
    const result = runCli(['analyze', EXAMPLE, '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.model.namespaces.total).toBeGreaterThanOrEqual(8);
    expect(summary.model.workloads.total).toBeGreaterThanOrEqual(30);
    for (const kind of [
      'Service',
      'Ingress',
      'NetworkPolicy',
      'Role',
      'ClusterRole',
      'RoleBinding',
      'ClusterRoleBinding',
      'Secret',
      'ServiceAccount',
    ]) {
      expect(summary.objects[kind], kind).toBeGreaterThan(0);
    }
    expect(summary.model.pods.representative).toBe(summary.model.workloads.total);
    expect(summary.graph.edgesByType.HAS_ROLE).toBeGreaterThan(0);
    expect(summary.graph.edgesByType.SELECTS).toBeGreaterThan(0);
    expect(summary.graph.edgesByType.APPLIES_TO).toBeGreaterThan(0);
  });

  it('writes to --output-file and nothing to stdout', () => {
    const file = join(tempDir(), 'summary.json');
    const result = runCli(['analyze', EXAMPLE, '--json', '--output-file', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).source.mode).toBe('offline');
  });
});

describe('kubepath graph', () => {
  it('prints the documented JSON shape', () => {
    const result = runCli(['graph', EXAMPLE, '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const graph = JSON.parse(result.stdout);
    for (const node of graph.nodes) {
      expect(Object.keys(node).slice(0, 3)).toEqual(['id', 'kind', 'name']);
    }
    for (const edge of graph.edges) expect(Object.keys(edge).slice(0, 4)).toEqual(['source', 'target', 'type', 'attack']);
    const ids = new Set(graph.nodes.map((n: {id: string}) => n.id));
    expect(ids.has('internet') && ids.has('cluster-admin')).toBe(true);
    for (const edge of graph.edges) expect(ids.has(edge.source) && ids.has(edge.target)).toBe(true);
  });

  it('lists the edges asked per identity, which the graph does not hold, and analyze counts the same edges', () => {
    const graph = JSON.parse(runCli(['graph', EXAMPLE, '-o', 'json']).stdout) as {
      edges: Array<{source: string; target: string; type: string}>;
    };
    const byType: Record<string, number> = {};
    for (const edge of graph.edges) byType[edge.type] = (byType[edge.type] ?? 0) + 1;
    const exec = graph.edges.filter((e) => e.type === 'CAN_EXEC').map((e) => `${e.source} -> ${e.target}`);
    expect(exec).toContain('sa:ci/gitlab-runner -> pod:ci/docker-builder');
    expect(exec.filter((e) => e.startsWith('sa:logging/fluent-bit -> '))).toHaveLength(43);
    for (const type of [
      'CAN_READ_SECRET',
      'CAN_PATCH',
      'CAN_CREATE_POD_AS',
      'CAN_CREATE_PRIVILEGED_POD',
      'CAN_MINT_TOKEN',
      'CAN_IMPERSONATE',
    ])
      expect(byType[type], type).toBeGreaterThan(0);
    const summary = JSON.parse(runCli(['analyze', EXAMPLE, '--json']).stdout);
    expect(summary.graph.edgesByType).toEqual(Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(summary.graph.edges).toBe(graph.edges.length);
  });
});

describe('hostile names', () => {
  it('prints names from the input as inert text: control characters and ANSI escapes are escaped', () => {
    const dir = tempDir();
    const evil = 'Evil\u001b[31mRED\u001b]8;;http://x\u0007';
    writeFileSync(
      join(dir, 'evil.yaml'),
      `apiVersion: example.com/v1\nkind: "${evil.replace(/\u001b/g, '\\e').replace(/\u0007/g, '\\a')}"\nmetadata: {name: x}\n`,
    );
    const result = runCli(['analyze', join(dir, 'evil.yaml'), '--verbose']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(result.stdout).toContain('Evil\\u001b[31mRED\\u001b]8;;http://x\\u0007');
  });
});

describe('stdout closed early', () => {
  it('ends quietly with exit 0 when the reader stops (graph | head)', () => {
    const result = spawnSync('bash', ['-c', `set -o pipefail; node bin/run.js graph "${EXAMPLE}" -o json | head -c 100 >/dev/null`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('kubepath collect', () => {
  it('writes a versioned snapshot that records its inputs', () => {
    const file = join(tempDir(), 'snapshot.json');
    const result = runCli(['collect', EXAMPLE, '--out', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^kubepath: wrote \d+ objects to /);
    const snapshot = JSON.parse(readFileSync(file, 'utf8'));
    expect(snapshot).toMatchObject({apiVersion: 'kubepath.dev/v1alpha1', kind: 'KubepathSnapshot', version: 1, source: {mode: 'offline'}});
    expect(snapshot.source.inputs.length).toBeGreaterThan(1);
    expect(snapshot.source.collectedAt).toBeUndefined();
  });

  it('names each input and skipped kind with --verbose, on stderr', () => {
    const result = runCli(['collect', EXAMPLE, '--verbose']);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).kind).toBe('KubepathSnapshot');
    expect(result.stderr).toMatch(/^kubepath: .*00-namespaces\.yaml: 11 objects$/m);
    expect(result.stderr).toMatch(/^kubepath: skipped 7 v1 ConfigMap$/m);
  });
});
