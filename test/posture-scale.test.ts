/**
 * Posture output at scale: 20,000 bare pods in one namespace, every one a posture
 * finding of the same rules. Grouping them for the table must cost what building the
 * JSON costs, not grow with the square of the pods (copying a group's list on every
 * append took 43 s where `-o json` took 7.8 s). And one image with 150,000 exploitable
 * vulnerabilities: more than a function call takes as arguments.
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

function reportOf(image: string, vulnerabilities: number): string {
  const file = join(tempDir(), 'trivy.json');
  const found = Array.from({length: vulnerabilities}, (_unused, i) => ({
    VulnerabilityID: `CVE-2026-${100000 + i}`,
    PkgName: `lib${i}`,
    InstalledVersion: '1.0.0',
    Severity: 'CRITICAL',
  }));
  writeFileSync(
    file,
    JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: image,
      ArtifactType: 'container_image',
      Metadata: {RepoTags: [image]},
      Results: [{Target: `${image} (debian 12)`, Class: 'os-pkgs', Type: 'debian', Vulnerabilities: found}],
    }),
  );
  return file;
}

describe('posture at scale', () => {
  it('prints the table of 20,000 pods in one namespace in no more than twice the time of -o json', () => {
    const input = oneNamespaceOfPods();
    const out = tempDir();
    const json = timed(['analyze', input, '-o', 'json', '--output-file', join(out, 'analysis.json')]);
    const table = timed(['analyze', input, '-o', 'table', '--output-file', join(out, 'analysis.txt')]);
    expect(json.status, json.stderr).toBe(0);
    expect(table.status, table.stderr).toBe(0);
    expect(table.seconds).toBeLessThanOrEqual(2 * json.seconds);
  });

  it('reads an image report of 150,000 critical vulnerabilities and names them on the pod that runs it', () => {
    const pod = join(tempDir(), 'pod.yaml');
    writeFileSync(
      pod,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: shop}\nspec: {nodeName: n1, containers: [{name: app, image: registry.example/app:1}]}\n',
    );
    const result = runCli(['analyze', pod, '--vulns', reportOf('registry.example/app:1', 150_000), '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const posture = JSON.parse(result.stdout).posture as {findings: Array<{rule: string; subject: string}>};
    expect(posture.findings.filter((finding) => finding.rule === 'known-vulnerabilities').map((finding) => finding.subject)).toEqual([
      'pod:shop/app',
    ]);
  });
});
