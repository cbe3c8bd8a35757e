/**
 * `analyze` findings (src/paths/findings.ts, docs/findings.md) on the bundled example
 * and small fixtures: entry points, crown jewels, one finding per root cause, the
 * severity table, ranking, and what must not become a finding.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  ANY_POD,
  crownJewels,
  findings,
  JEWEL_CATEGORIES,
  SEVERITIES,
  severityOf,
  type Finding,
  type FindingsOptions,
} from '../src/paths/findings.js';
import {cheapestPaths} from '../src/paths/search.js';
import type {AttackMoves} from '../src/paths/moves.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';
import {attackMovesOf} from './helpers/load.js';

const OPTIONS: FindingsOptions = {assumeBreach: [], crownJewels: [], pathsPerEntry: 5, search: {maxDepth: 12, definiteOnly: false}};

let example: AttackMoves;
let fromInternet: Finding[];
beforeAll(async () => {
  example = await attackMovesOf(EXAMPLE);
  fromInternet = findings(example, OPTIONS);
});

describe('severity', () => {
  it('follows the table of docs/findings.md', () => {
    expect(severityOf('cluster-admin', true)).toBe('critical');
    expect(severityOf('cluster-admin', false)).toBe('high');
    expect(severityOf('node', true)).toBe('high');
    expect(severityOf('secret', false)).toBe('medium');
    expect(severityOf('kube-system', true)).toBe('medium');
    expect(severityOf('marked', false)).toBe('low');
  });
});

describe('examples/multi-tenant from the Internet', () => {
  it('finds cluster-admin critical, P2 among the root causes (the ingress controller token)', () => {
    const critical = fromInternet.filter((f) => f.severity === 'critical');
    expect(critical.length).toBeGreaterThan(0);
    for (const finding of critical) expect(finding.category).toBe('cluster-admin');
    expect(critical.map((f) => f.id)).toContain(
      'cluster-admin:pod:ingress-nginx/ingress-nginx-controller USES_TOKEN sa:ingress-nginx/ingress-nginx',
    );
  });

  it('one finding per root cause, ranked by severity then cost, each path ending at a jewel of its category', () => {
    const jewels = crownJewels(example.graph);
    expect(new Set(fromInternet.map((f) => f.id)).size).toBe(fromInternet.length);
    for (let i = 1; i < fromInternet.length; i++) {
      const [a, b] = [fromInternet[i - 1]!, fromInternet[i]!];
      const order = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
      expect(order < 0 || (order === 0 && a.path.cost <= b.path.cost)).toBe(true);
    }
    for (const finding of fromInternet) {
      expect(jewels.get(finding.category)!.has(finding.path.target)).toBe(true);
      expect(finding.entryPoints).toContain(finding.path.source);
      expect(finding.path.steps).toContain(finding.rootCause);
      // The first step past network position and group membership; a path of network moves only ends at its root cause.
      const gains = finding.path.steps.filter((s) => !['CAN_REACH', 'MEMBER_OF'].includes(s.attributes.type));
      expect(finding.rootCause).toBe(gains[0] ?? finding.path.steps[finding.path.steps.length - 1]);
    }
  });

  it('N2, N4: unexposed pods are no entry point: no finding starts at payments-admin or in ci', () => {
    for (const finding of fromInternet) {
      const first = finding.path.steps[0]!;
      expect(first.attributes.technique).toBe('INTERNET_EXPOSURE');
      expect(first.to).not.toBe('pod:payments/payments-admin');
      expect(first.to.startsWith('pod:ci/')).toBe(false);
    }
  });
});

describe('assumed breaches', () => {
  it('N13: the payments deployer reaches payments secrets (medium) but not cluster-admin', () => {
    const found = findings(example, {...OPTIONS, assumeBreach: ['sa:ci/deployer-payments']}).filter((f) =>
      f.entryPoints.includes('sa:ci/deployer-payments'),
    );
    expect(found.some((f) => f.category === 'cluster-admin')).toBe(false);
    const secrets = found.filter((f) => f.category === 'secret' && f.path.source === 'sa:ci/deployer-payments');
    expect(secrets.length).toBeGreaterThan(0);
    for (const finding of secrets) expect(finding.severity).toBe('medium');
  });

  it('a marked namespace is a crown jewel; its reach from the Internet is medium, nothing marked is none', async () => {
    const file = join(tempDir(), 'marked.yaml');
    const documents = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: vault, labels: {kubepath.io/crown-jewel: "true"}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: vault-0, namespace: vault, labels: {app: vault}}\nspec: {automountServiceAccountToken: false, containers: [{name: v, image: vault, ports: [{containerPort: 8200}]}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: vault, namespace: vault}\nspec: {type: LoadBalancer, selector: {app: vault}, ports: [{port: 443, targetPort: 8200}]}',
    ];
    writeFileSync(file, documents.join('\n---\n'));
    const moves = await attackMovesOf(file);
    const [finding, ...rest] = findings(moves, OPTIONS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({category: 'marked', severity: 'medium', entryPoints: ['internet']});
    expect(finding!.path.target).toBe('pod:vault/vault-0');
    // Without the label the same cluster has nothing to find.
    writeFileSync(file, documents.join('\n---\n').replace('labels: {kubepath.io/crown-jewel: "true"}', 'labels: {}'));
    expect(findings(await attackMovesOf(file), OPTIONS)).toEqual([]);
  });
});

describe('--assume-breach all: every pod at once', () => {
  it('finds, per category, the cheapest paths from any pod: none cheaper from a pod on its own', () => {
    const anyPod = findings(example, {...OPTIONS, anyPod: true});
    const pods = example.context.model.pods.map((pod) => pod.id);
    const jewels = crownJewels(example.graph);
    const fromPods = anyPod.filter((finding) => finding.entryPoints.some((entry) => entry !== 'internet'));
    expect(fromPods.length).toBeGreaterThan(0);
    for (const finding of fromPods) {
      for (const path of finding.allPaths) expect(path.source === 'internet' || pods.includes(path.source), path.source).toBe(true);
    }
    for (const category of JEWEL_CATEGORIES) {
      const targets = jewels.get(category)!;
      if (targets.size === 0) continue;
      const cheapestFromAny = Math.min(
        ...anyPod.filter((f) => f.category === category && f.path.source !== 'internet').map((f) => f.path.cost),
      );
      const cheapestAlone = Math.min(
        ...pods.map((pod) => cheapestPaths(example, [pod], targets, {...OPTIONS.search, maxPaths: 1})[0]?.cost ?? Infinity),
      );
      expect(cheapestFromAny, category).toBe(cheapestAlone);
    }
    // Breached pods rank below the Internet: the same jewel is one severity lower.
    for (const finding of fromPods) expect(finding.severity).toBe(severityOf(finding.category, finding.entryPoints.includes('internet')));
  });
});

describe('kubepath analyze', () => {
  it('adds findings to the JSON summary, and a findings section to the table', () => {
    const json = runCli(['analyze', EXAMPLE, '-o', 'json']);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.source.mode).toBe('offline');
    expect(report.counts.critical).toBeGreaterThan(0);
    expect(report.findings[0]).toMatchObject({severity: 'critical', category: 'cluster-admin'});
    expect(Object.keys(report.findings[0])).toEqual([
      'id',
      'severity',
      'category',
      'title',
      'certainty',
      'cost',
      'entryPoints',
      'paths',
      'rootCause',
      'fixes',
      'coverageGaps',
      'owner',
      'path',
    ]);
    expect(report.chokePoints.length).toBeGreaterThan(0);
    const table = runCli(['analyze', EXAMPLE]);
    expect(table.stdout).toMatch(/Findings: \d+ critical, \d+ high, \d+ medium, \d+ low/);
    expect(table.stdout).toContain('[CRITICAL]');
  });

  it('--assume-breach all adds one entry point, every pod at once', () => {
    const result = runCli(['analyze', EXAMPLE, '--assume-breach', 'all', '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.entryPoints).toEqual(['internet', ANY_POD]);
    expect(report.findings.some((finding: {entryPoints: string[]}) => finding.entryPoints.some((entry) => entry.startsWith('pod:')))).toBe(
      true,
    );
  });

  it('rejects an --assume-breach selector that matches nothing (exit 2)', () => {
    const result = runCli(['analyze', EXAMPLE, '--assume-breach', 'pod:nowhere/x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--assume-breach "pod:nowhere/x" matches no node of the graph');
  });
});
