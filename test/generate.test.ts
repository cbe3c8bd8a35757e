/**
 * The cluster generator: exact pod counts, byte-identical output for a seed, a
 * live-looking cluster that the loaders read without a warning, and clear errors
 * for bad arguments.
 */
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ROOT, tempDir} from './helpers/cli.js';
import {loadAll} from './helpers/load.js';

function generate(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'generate', 'cli.js'), ...args], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('npm run gen', () => {
  it('writes the same bytes for the same pods and seed, and other bytes for another seed', () => {
    const dir = tempDir();
    const files = ['a', 'b', 'c'].map((name) => join(dir, `${name}.json`));
    expect(generate(['--pods', '1500', '--seed', '7', '--out', files[0]!]).status).toBe(0);
    expect(generate(['--pods', '1500', '--seed', '7', '--out', files[1]!]).status).toBe(0);
    expect(generate(['--pods', '1500', '--seed', '8', '--out', files[2]!]).status).toBe(0);
    expect(sha(files[1]!)).toBe(sha(files[0]!));
    expect(sha(files[2]!)).not.toBe(sha(files[0]!));
  });

  it.each([1, 37, 2500])(
    'writes exactly %i pods, running or done, placed on declared nodes,, that load without a warning',
    async (pods) => {
      const file = join(tempDir(), 'cluster.json');
      const result = generate(['--pods', String(pods), '--seed', '3', '--out', file]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^kubepath gen: \d+ objects \(/);
      const list = JSON.parse(readFileSync(file, 'utf8'));
      expect(list).toMatchObject({apiVersion: 'v1', kind: 'List'});
      const {snapshot, model, warnings} = await loadAll([file]);
      expect(warnings).toEqual([]);
      expect(snapshot.coverage.skipped).toEqual([]);
      expect(snapshot.objects.pods).toHaveLength(pods);
      const live = model.pods.filter((p) => !p.representative);
      expect(live).toHaveLength(pods);
      for (const pod of snapshot.objects.pods) {
        expect(['Running', 'Succeeded']).toContain(pod.status?.phase);
        if (pod.status?.phase === 'Running') expect(pod.status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(pod.spec.nodeName && model.nodes.get(pod.spec.nodeName)?.declared).toBe(true);
      }
      if (pods >= 1000) {
        const kinds = Object.fromEntries(Object.entries(snapshot.objects).map(([k, v]) => [k, v.length]));
        for (const kind of [
          'nodes',
          'namespaces',
          'deployments',
          'replicaSets',
          'services',
          'networkPolicies',
          'roleBindings',
          'secrets',
        ]) {
          expect(kinds[kind], kind).toBeGreaterThan(0);
        }
        // Pods of Deployments are grouped under their Deployment through the ReplicaSets.
        expect(live.filter((p) => p.workload?.kind === 'Deployment').length).toBeGreaterThan(pods / 4);
        expect(snapshot.objects.pods.some((p) => p.spec.containers.some((c) => c.securityContext?.privileged))).toBe(true);
      }
    },
  );

  it.each([
    [['--seed', '1', '--out', '-'], /--pods is required/],
    [['--pods', 'many', '--out', '-'], /--pods must be a positive integer, not "many"/],
    [['--pods', '0', '--out', '-'], /--pods must be a positive integer/],
    [['--pods', '10'], /--out is required/],
    [['--pods', '10', '--out', '-', '--color'], /Unknown option '--color'/],
  ])('refuses %j with exit 2 and one line', (args, message) => {
    const result = generate(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
