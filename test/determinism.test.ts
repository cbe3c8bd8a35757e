/**
 * The same input gives byte-identical output, and a saved snapshot stands for its
 * inputs exactly: the graph from the snapshot is the graph from the manifests.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CORPUS, EXAMPLE, runCli, tempDir} from './helpers/cli.js';

const inputs = {
  'the bundled example': [EXAMPLE],
  'the netpol-analyzer corpus': [join(CORPUS, 'netpol-analyzer', 'cases')],
  badPods: [join(CORPUS, 'badpods')],
};

describe('deterministic output', () => {
  it.each(Object.entries(inputs))('graph -o json is byte-identical across runs and through a snapshot: %s', (_name, args) => {
    const first = runCli(['graph', ...args, '-o', 'json']);
    expect(first.status, first.stderr).toBe(0);
    const graph = JSON.parse(first.stdout);
    expect(graph.nodes.length).toBeGreaterThan(0);
    expect(graph.edges.length).toBeGreaterThan(0);
    const second = runCli(['graph', ...args, '--json']);
    expect(second.stdout).toBe(first.stdout);

    const dir = tempDir();
    const snapshot = join(dir, 'snapshot.json');
    expect(runCli(['collect', ...args, '--out', snapshot]).status).toBe(0);
    const again = join(dir, 'again.json');
    expect(runCli(['collect', ...args, '--out', again]).status).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(snapshot, 'utf8'));
    const fromSnapshot = runCli(['graph', snapshot, '-o', 'json']);
    expect(fromSnapshot.stdout).toBe(first.stdout);
  });

  it('sorts nodes by id and edges by source, target and type', () => {
    const {nodes, edges} = JSON.parse(runCli(['graph', EXAMPLE, '-o', 'json']).stdout) as {
      nodes: Array<{id: string}>;
      edges: Array<{source: string; target: string; type: string}>;
    };
    const ids = nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort());
    const keys = edges.map((e) => `${e.source}\u0000${e.target}\u0000${e.type}`);
    expect(keys).toEqual([...keys].sort());
  });
});
