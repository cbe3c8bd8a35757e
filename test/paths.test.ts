/**
 * Path search (src/paths) on the bundled example, whose README states the paths an
 * attacker has (P1-P13) and those it must not have (N1-N15), and on small fixtures:
 * the paths named there are found, the excluded ones are not, and every answer is
 * well formed (cheapest first, distinct, loop-free, each step starting where the last
 * one ended).
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {selectNodes} from '../src/graph/selector.js';
import type {AttackMoves} from '../src/paths/moves.js';
import {cheapestPaths, reachedFrom, type AttackPath, type SearchOptions} from '../src/paths/search.js';
import {EXAMPLE, runCli, tempDir} from './helpers/cli.js';
import {attackMovesOf} from './helpers/load.js';

const OPTIONS: SearchOptions = {maxPaths: 5, maxDepth: 12, definiteOnly: false};

let example: AttackMoves;
beforeAll(async () => {
  example = await attackMovesOf(EXAMPLE);
});

function search(moves: AttackMoves, from: string[], to: string[], options: Partial<SearchOptions> = {}): AttackPath[] {
  const paths = cheapestPaths(moves, selectNodes(moves.graph, from, '--from'), new Set(selectNodes(moves.graph, to, '--to')), {
    ...OPTIONS,
    ...options,
  });
  expectWellFormed(paths, moves, from, to);
  return paths;
}

const nodes = (path: AttackPath): string[] => [path.source, ...path.steps.map((s) => s.to)];
const chain = (path: AttackPath): string => nodes(path).join(' -> ');

/** The invariants every answer keeps, whatever the query. */
function expectWellFormed(paths: AttackPath[], moves: AttackMoves, from: string[], to: string[]): void {
  const sources = new Set(selectNodes(moves.graph, from, '--from'));
  const targets = new Set(selectNodes(moves.graph, to, '--to'));
  const keys = paths.map((path) => path.steps.map((s) => `${s.from} ${s.attributes.technique} ${s.to}`).join('|'));
  expect(new Set(keys).size, 'paths are distinct').toBe(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    if (i > 0) expect(path.cost, 'cheapest first').toBeGreaterThanOrEqual(paths[i - 1]!.cost);
    expect(sources.has(path.source)).toBe(true);
    expect(targets.has(path.target)).toBe(true);
    expect(path.steps.length).toBeGreaterThan(0);
    expect(path.steps[0]!.from).toBe(path.source);
    expect(path.steps[path.steps.length - 1]!.to).toBe(path.target);
    path.steps.forEach((step, j) => {
      if (j > 0) expect(step.from, `step ${j + 1} starts where step ${j} ended`).toBe(path.steps[j - 1]!.to);
      expect(step.attributes.attack).toBe(true);
      expect(step.attributes.evidence.length, `${step.from} -> ${step.to} explains itself`).toBeGreaterThan(0);
    });
    expect(new Set(nodes(path)).size, 'loop-free').toBe(nodes(path).length);
    expect(path.cost).toBe(path.steps.reduce((sum, step) => sum + step.attributes.cost, 0));
  }
}

describe('examples/multi-tenant: the README paths', () => {
  it('P2: internet, the ingress controller, every secret, a legacy token, cluster-admin', () => {
    const paths = search(example, ['internet'], ['cluster-admin']);
    expect(paths.map(chain)).toContain(
      'internet -> pod:ingress-nginx/ingress-nginx-controller -> sa:ingress-nginx/ingress-nginx -> secret:platform-ops/cluster-operator-token -> sa:platform-ops/cluster-operator -> cluster-admin',
    );
    expect(paths.map((p) => p.steps.map((s) => s.attributes.type).join(' '))).toContain(
      'CAN_REACH USES_TOKEN CAN_READ_SECRET HOLDS_TOKEN IS_CLUSTER_ADMIN',
    );
  });

  it('P1.3-4: storefront exec into data, then the privileged local-volume-provisioner escapes (not postgres, redis or the exporter)', () => {
    const [first] = search(example, ['sa:shop/storefront'], ['node:*'], {maxPaths: 1});
    expect(first!.steps.map((s) => `${s.attributes.type} ${s.to}`)).toEqual([
      'CAN_EXEC pod:data/local-volume-provisioner',
      'ESCAPES_TO node:<unscheduled>',
    ]);
  });

  it('P1.4-7: from the escaping pod, the node hosts the operator pod, whose token is cluster-admin', () => {
    const [first] = search(example, ['pod:data/local-volume-provisioner'], ['cluster-admin'], {maxPaths: 1});
    expect(first!.steps.map((s) => `${s.attributes.type} ${s.to}`)).toEqual([
      'ESCAPES_TO node:<unscheduled>',
      'HOSTS pod:platform-ops/cluster-operator',
      'USES_TOKEN sa:platform-ops/cluster-operator',
      'IS_CLUSTER_ADMIN cluster-admin',
    ]);
  });

  it('P5: Fluent Bit reaches cluster-admin through get nodes/proxy, a conditional exec', () => {
    const [first] = search(example, ['pod:logging/fluent-bit'], ['cluster-admin'], {maxPaths: 1});
    const exec = first!.steps.find((s) => s.attributes.type === 'CAN_EXEC');
    expect(exec?.from).toBe('sa:logging/fluent-bit');
    expect(exec?.attributes.certainty).toBe('conditional');
    // Definite edges only: get nodes/proxy depends on the version, so that way is closed.
    for (const path of search(example, ['pod:logging/fluent-bit'], ['cluster-admin'], {definiteOnly: true})) {
      for (const step of path.steps) expect(step.attributes.certainty).toBe('definite');
    }
  });

  it('P6: Prometheus reaches cAdvisor, whose read-only containerd socket escapes to the node', () => {
    const paths = search(example, ['pod:monitoring/prometheus'], ['node:*'], {maxPaths: 10});
    expect(paths.map(chain)).toContain('pod:monitoring/prometheus -> pod:monitoring/cadvisor -> node:<unscheduled>');
    const escape = paths.find((p) => p.steps[0]!.to === 'pod:monitoring/cadvisor')!.steps[1]!;
    expect(escape.attributes.escape).toBe('runtime-socket');
  });

  it('P8: release-bot binds cluster-admin to itself in platform-ops, then takes the operator token; the step says so and costs the write', () => {
    const [first] = search(example, ['sa:ci/release-bot'], ['cluster-admin'], {maxPaths: 1});
    const step = first!.steps[0]!;
    expect(first!.steps[first!.steps.length - 2]!.to).toBe('sa:platform-ops/cluster-operator');
    expect(step.attributes.evidence[0]!.note).toContain(
      'holds only after an escalation: sa:ci/release-bot writes a RoleBinding in namespace platform-ops',
    );
    expect(step.attributes.evidence.map((e) => e.object)).toContain('ClusterRole/namespace-rbac-admin');
    // Its cost is the rule's plus one deliberate write (the binding).
    expect(step.attributes.cost).toBe(3);
  });

  it('P10: the rbac-manager account escalates to cluster-admin', () => {
    const [first] = search(example, ['sa:platform-ops/rbac-manager'], ['cluster-admin'], {maxPaths: 1});
    expect(first!.steps.map((s) => s.attributes.type)).toEqual(['CAN_ESCALATE']);
  });
});

describe('examples/multi-tenant: what must not be concluded', () => {
  it('N13: the payments deployer has no path to cluster-admin, and the answer says how far it gets', () => {
    expect(search(example, ['sa:ci/deployer-payments'], ['cluster-admin'])).toEqual([]);
    const reached = reachedFrom(example, ['sa:ci/deployer-payments'], OPTIONS).map((r) => r.node);
    // P9: it runs pods as every payments account and so holds their secrets.
    expect(reached).toEqual(expect.arrayContaining(['sa:payments/payments-api', 'secret:payments/stripe-api-key']));
    expect(reached).not.toContain('cluster-admin');
  });

  it('N4: no network step enters ci (default-deny): every path to a ci pod ends with another kind of move', () => {
    const paths = search(example, ['internet'], ['pod:ci/*'], {maxPaths: 10});
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path.steps[path.steps.length - 1]!.attributes.type).not.toBe('CAN_REACH');
  });

  it('N2: payments-admin is no Internet entry point: no path starts with internet -> payments-admin', () => {
    for (const path of search(example, ['internet'], ['pod:payments/payments-admin'], {maxPaths: 10})) {
      expect(path.steps[0]!.to).not.toBe('pod:payments/payments-admin');
    }
  });
});

describe('network reach at class level', () => {
  it('a pod behind default-deny is reached by no one, while its open neighbour is', async () => {
    const file = join(tempDir(), 'deny.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: a, labels: {app: client}}\nspec: {automountServiceAccountToken: false, containers: [{name: c, image: c}]}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: open, namespace: b, labels: {app: open}}\nspec: {automountServiceAccountToken: false, containers: [{name: c, image: c, ports: [{containerPort: 80}]}]}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: closed, namespace: c, labels: {app: closed}}\nspec: {automountServiceAccountToken: false, containers: [{name: c, image: c, ports: [{containerPort: 80}]}]}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: c}\nspec: {podSelector: {}, policyTypes: [Ingress]}',
      ].join('\n---\n'),
    );
    const moves = await attackMovesOf(file);
    expect(search(moves, ['pod:a/client'], ['pod:c/closed'])).toEqual([]);
    const [open] = search(moves, ['pod:a/client'], ['pod:b/open']);
    expect(open!.steps.map((s) => `${s.attributes.technique} ${s.attributes.ports}`)).toEqual(['POD_NETWORK_REACH All Connections']);
    expect(reachedFrom(moves, ['pod:a/client'], OPTIONS).map((r) => r.node)).toEqual(['pod:b/open']);
  });

  it('K paths through the pods of one class are distinct, and depth bounds the steps', async () => {
    const paths = search(example, ['pod:shop/storefront'], ['pod:data/*'], {maxPaths: 4});
    expect(paths.length).toBe(4);
    expect(search(example, ['internet'], ['cluster-admin'], {maxDepth: 2})).toEqual([]);
  });
});

describe('kubepath paths', () => {
  it('prints the documented JSON shape, cheapest first', () => {
    const result = runCli(['paths', EXAMPLE, '--from', 'internet', '--to', 'cluster-admin', '--max-paths', '3', '-o', 'json']);
    expect(result.status, result.stderr).toBe(0);
    const {paths} = JSON.parse(result.stdout);
    expect(paths).toHaveLength(3);
    for (const path of paths) {
      expect(Object.keys(path)).toEqual(['source', 'target', 'cost', 'steps']);
      for (const step of path.steps) expect(Object.keys(step).slice(0, 5)).toEqual(['from', 'to', 'type', 'technique', 'certainty']);
      expect(path.steps[path.steps.length - 1].evidence.length).toBeGreaterThan(0);
    }
  });

  it('says when there is no path and how far the source gets', () => {
    const result = runCli(['paths', EXAMPLE, '--from', 'sa:ci/deployer-payments', '--to', 'cluster-admin']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('No attack path from sa:ci/deployer-payments to cluster-admin.');
    expect(result.stdout).toMatch(/The sources reach \d+ nodes: .*ServiceAccount/);
  });

  it('rejects a selector that matches nothing (exit 2)', () => {
    const result = runCli(['paths', EXAMPLE, '--from', 'pod:nowhere/*', '--to', 'cluster-admin']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--from "pod:nowhere/*" matches no node of the graph');
  });
});
