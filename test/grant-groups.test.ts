/**
 * The identity → object rules asked per identity (src/edges/grant-groups.ts) group
 * objects that share an answer. Checked here against asking the RBAC engine about
 * every object on its own, by name where it has one: the same edges, from the same
 * sources, on the example, a resourceNames fixture and a generated cluster.
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {canExec} from '../src/edges/can-exec.js';
import {canReadSecret} from '../src/edges/can-read-secret.js';
import {createRuleContext, type RuleContext} from '../src/engines/context.js';
import {grantsBySource, grantsEvidence} from '../src/edges/rbac-grants.js';
import {RULES} from '../src/edges/index.js';
import {ruleEdges} from '../src/edges/rule.js';
import type {ResourceRequest} from '../src/engines/rbac/request.js';
import {UNSCHEDULED} from '../src/graph/ids.js';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {generatedCluster, ROOT} from './helpers/cli.js';

/** Sources whose grants for the request explain themselves (as the rules require). */
function askedAlone(context: RuleContext, request: ResourceRequest): string[] {
  return [...grantsBySource(context, request)].filter(([, grants]) => grantsEvidence(context, grants, () => 'x').length > 0).map(([source]) => source);
}

function execPairs(context: RuleContext): Set<string> {
  const pairs = new Set<string>();
  for (const pod of context.model.pods) {
    const name = pod.representative ? {} : {name: pod.name};
    const requests: ResourceRequest[] = [
      ...[
        ['create', 'exec'],
        ['create', 'attach'],
        ['patch', 'ephemeralcontainers'],
        ['update', 'ephemeralcontainers'],
        ['get', 'exec'],
        ['get', 'attach'],
      ].map(([verb, subresource]) => ({verb: verb!, group: '', resource: 'pods', subresource, namespace: pod.namespace, ...name})),
      ...['create', 'get'].map((verb) => ({verb, group: '', resource: 'nodes', subresource: 'proxy', ...(pod.nodeName === UNSCHEDULED ? {} : {name: pod.nodeName})})),
    ];
    for (const request of requests) for (const source of askedAlone(context, request)) if (source !== pod.id) pairs.add(`${source} -> ${pod.id}`);
  }
  return pairs;
}

function secretPairs(context: RuleContext): Set<string> {
  const pairs = new Set<string>();
  for (const secret of context.model.snapshot.objects.secrets) {
    const {namespace, name} = secret.metadata;
    const requests: ResourceRequest[] = [
      {verb: 'get', group: '', resource: 'secrets', namespace: namespace!, name},
      {verb: 'list', group: '', resource: 'secrets', namespace: namespace!},
      {verb: 'watch', group: '', resource: 'secrets', namespace: namespace!},
    ];
    for (const request of requests) for (const source of askedAlone(context, request)) pairs.add(`${source} -> secret:${namespace}/${name}`);
  }
  return pairs;
}

const inputs: Array<[string, () => string]> = [
  ['examples/multi-tenant', () => join(ROOT, 'examples', 'multi-tenant')],
  ['a resourceNames fixture', () => join(ROOT, 'test', 'fixtures', 'edges', 'CAN_EXEC', 'positive.attach-ephemeral-resource-names.yaml')],
  ['a generated cluster of 800 pods', () => generatedCluster(800, 3)],
];

describe('grouped answers equal asking about each object alone', () => {
  it.each(inputs)('%s', async (_name, input) => {
    const {snapshot} = await loadInputs([input()]);
    const context = createRuleContext(buildModel(snapshot));
    const exec = new Set(ruleEdges(canExec, context).map((e) => `${e.source} -> ${e.target}`));
    expect(exec).toEqual(execPairs(context));
    // Secrets pods reference that the input lacks are drawn too (conditional): compare the declared ones.
    const declared = new Set(snapshot.objects.secrets.map((s) => `secret:${s.metadata.namespace}/${s.metadata.name}`));
    const read = new Set(ruleEdges(canReadSecret, context).filter((e) => declared.has(e.target)).map((e) => `${e.source} -> ${e.target}`));
    expect(read).toEqual(secretPairs(context));
    expect(exec.size + read.size).toBeGreaterThan(0);
  });

  it('lists each source once, sorted, and its edges by target', async () => {
    const {snapshot} = await loadInputs([join(ROOT, 'examples', 'multi-tenant')]);
    const context = createRuleContext(buildModel(snapshot));
    const sources = canExec.sources!(context);
    expect(sources).toEqual([...new Set(sources)].sort());
    for (const source of sources) {
      const targets = canExec.edgesFrom!(context, source).map((e) => e.target);
      expect(targets.length, source).toBeGreaterThan(0);
      expect(targets).toEqual([...new Set(targets)].sort());
    }
    expect(canExec.edgesFrom!(context, 'sa:nowhere/nobody')).toEqual([]);
  });
});

describe('what path search follows (groups, single edges, counts) agrees with edgesFrom', () => {
  it.each([inputs[0]!, inputs[2]!])('%s', async (_name, input) => {
    const {snapshot} = await loadInputs([input()]);
    const context = createRuleContext(buildModel(snapshot));
    const grouped = RULES.filter((rule) => rule.groupsFrom);
    expect(grouped.map((rule) => rule.id).sort()).toEqual(RULES.filter((rule) => rule.sources).map((rule) => rule.id).sort());
    let checked = 0;
    for (const rule of grouped) {
      for (const source of rule.sources!(context)) {
        const edges = rule.edgesFrom!(context, source);
        expect(rule.countFrom!(context, source), `${rule.id} ${source}`).toBe(edges.length);
        // Per target: the cheapest group, definite if any group is.
        const byTarget = new Map<string, {cost: number; definite: boolean}>();
        for (const {group, cost, certainty} of rule.groupsFrom!(context, source)) {
          expect(rule.groupsTo!(context, group.targets[0]!), `${rule.id}: groupsTo finds the group back`).toContain(group);
          expect(group.sources.some((entry) => entry.source === source && entry.cost === cost && entry.certainty === certainty)).toBe(true);
          for (const target of group.targets) {
            if (target === source) continue;
            const known = byTarget.get(target);
            byTarget.set(target, {cost: Math.min(known?.cost ?? Infinity, cost), definite: (known?.definite ?? false) || certainty === 'definite'});
          }
        }
        expect([...byTarget.keys()].sort(), `${rule.id} ${source}: the groups hold the targets`).toEqual(edges.map((edge) => edge.target));
        for (const edge of edges) {
          expect(rule.edgeBetween!(context, source, edge.target), `${rule.id} ${source} -> ${edge.target}`).toEqual(edge);
          const expected = byTarget.get(edge.target)!;
          expect([edge.attributes.cost, edge.attributes.certainty === 'definite']).toEqual([expected.cost, expected.definite]);
          checked++;
        }
      }
      expect(rule.edgeBetween!(context, 'sa:nowhere/nobody', rule.sources!(context)[0] ?? 'x')).toBeUndefined();
    }
    expect(checked).toBeGreaterThan(100);
  });
});
