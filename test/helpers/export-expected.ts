/**
 * What an export of some inputs must hold, worked out from the CLI's own public output:
 * every node and edge of `kubepath graph -o json`, and from `kubepath analyze -o json`
 * a Finding node per finding, a Fix node per fix it names (and per choke point), a
 * FINDING_PATH edge to each node of a finding's path, a CUTS edge per fix of a finding,
 * and the pod-to-pod CAN_REACH steps of the findings' paths (docs/export.md).
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';
import {runCli, tempDir} from './cli.js';

type Item = Record<string, unknown>;
interface Step {
  from: string;
  to: string;
  type: string;
  technique: string;
}
interface FindingJson {
  id: string;
  fixes: Array<{id: string}>;
  path: {source: string; steps: Step[]};
}

export interface ExpectedExport {
  nodes: Item[];
  edges: Item[];
  findings: FindingJson[];
}

export function expectedExport(inputs: string[], flags: string[] = []): ExpectedExport {
  const graphRun = runCli(['graph', ...inputs, ...flags.filter((flag) => flag.startsWith('--cni'))]);
  expect(graphRun.status, graphRun.stderr).toBe(0);
  const analyzeRun = runCli(['analyze', ...inputs, ...flags, '-o', 'json']);
  expect(analyzeRun.status, analyzeRun.stderr).toBe(0);
  const graph = JSON.parse(graphRun.stdout) as {nodes: Item[]; edges: Item[]};
  const {findings, chokePoints} = JSON.parse(analyzeRun.stdout) as {findings: FindingJson[]; chokePoints: Array<{id: string}>};
  const ids = new Set(graph.nodes.map((node) => node.id));
  const nodes = [...graph.nodes];
  const edges = [...graph.edges];
  const fixes = new Set<string>(chokePoints.map((fix) => fix.id));
  const network = new Map<string, Item>();
  for (const finding of findings) {
    nodes.push({id: `finding:${finding.id}`, kind: 'Finding'});
    for (const node of [finding.path.source, ...finding.path.steps.map((step) => step.to)]) {
      if (ids.has(node)) edges.push({source: `finding:${finding.id}`, target: node, type: 'FINDING_PATH'});
    }
    for (const fix of finding.fixes) {
      fixes.add(fix.id);
      edges.push({source: `fix:${fix.id}`, target: `finding:${finding.id}`, type: 'CUTS'});
    }
    for (const step of finding.path.steps) {
      if (step.technique === 'POD_NETWORK_REACH')
        network.set(`${step.from} ${step.to}`, {source: step.from, target: step.to, type: step.type});
    }
  }
  for (const fix of fixes) nodes.push({id: `fix:${fix}`, kind: 'Fix'});
  edges.push(...network.values());
  return {nodes, edges, findings};
}

export const countBy = (items: readonly Item[], key: string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(item[key])] = (counts[String(item[key])] ?? 0) + 1;
  return counts;
};

/** A manifest of the pod evil/web whose label and image carry a hostile string, then any further YAML documents. */
export function hostilePodFile(hostile: string, image: string, ...documents: string[]): string {
  const file = join(tempDir(), 'hostile.yaml');
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  namespace: evil',
    `  labels: {app: ${JSON.stringify(hostile)}}`,
    'spec:',
    `  containers: [{name: app, image: ${JSON.stringify(image)}}]`,
  ];
  writeFileSync(file, [...pod, ...documents.flatMap((document) => ['---', document]), ''].join('\n'));
  return file;
}
