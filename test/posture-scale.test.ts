/**
 * Posture output at scale: 20,000 bare pods in one namespace, every one a posture
 * finding of the same rules. Grouping them for the table must cost what building the
 * JSON costs, not grow with the square of the pods (copying a group's list on every
 * append took 43 s where `-o json` took 7.8 s).
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {describe, expect, it} from 'vitest';
import {runCli, tempDir} from './helpers/cli.js';

const PODS = 20_000;

function oneNamespaceOfPods(): string {
  const items = Array.from({length: PODS}, (_unused, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `worker-${i}`, namespace: 'crowded', labels: {app: 'worker'}},
    spec: {nodeName: 'node-1', containers: [{name: 'main', image: 'registry.example/worker:latest'}]},
  }));
  const file = join(tempDir(), 'crowded.json');
  writeFileSync(file, JSON.stringify({apiVersion: 'v1', kind: 'List', items}));
  return file;
}

function timed(args: string[]): {seconds: number; status: number | null; stderr: string} {
  const started = performance.now();
  const result = runCli(args);
  return {seconds: (performance.now() - started) / 1000, status: result.status, stderr: result.stderr};
}

describe('posture grouping at scale', () => {
  it('prints the table of 20,000 pods in one namespace in no more than twice the time of -o json', () => {
    const input = oneNamespaceOfPods();
    const out = tempDir();
    const json = timed(['analyze', input, '-o', 'json', '--output-file', join(out, 'analysis.json')]);
    const table = timed(['analyze', input, '-o', 'table', '--output-file', join(out, 'analysis.txt')]);
    expect(json.status, json.stderr).toBe(0);
    expect(table.status, table.stderr).toBe(0);
    expect(table.seconds).toBeLessThanOrEqual(2 * json.seconds);
  });
});
