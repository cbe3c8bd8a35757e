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
import {EdgeJoiner, ESCALATION_COST, type Found, type GrantGroup} from '../src/edges/grant-groups.js';
import {createRuleContext, type RuleContext} from '../src/engines/context.js';
import {grantsBySource, grantsEvidence} from '../src/edges/rbac-grants.js';
import {RULES} from '../src/edges/index.js';
import {ruleEdges} from '../src/edges/rule.js';
import type {ResourceRequest} from '../src/engines/rbac/request.js';
import {UNSCHEDULED} from '../src/graph/ids.js';
import type {Evidence} from '../src/graph/types.js';
import {buildModel} from '../src/graph/model.js';
import {loadInputs} from '../src/snapshot/load.js';
import {generatedCluster, ROOT} from './helpers/cli.js';

/** Sources whose grants for the request explain themselves (as the rules require). */
function askedAlone(context: RuleContext, request: ResourceRequest): string[] {
  return [...grantsBySource(context, request)]
    .filter(([, grants]) => grantsEvidence(context, grants, () => 'x').length > 0)
    .map(([source]) => source);
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
      ...['create', 'get'].map((verb) => ({
        verb,
        group: '',
        resource: 'nodes',
        subresource: 'proxy',
        ...(pod.nodeName === UNSCHEDULED ? {} : {name: pod.nodeName}),
      })),
    ];
    for (const request of requests)
      for (const source of askedAlone(context, request)) if (source !== pod.id) pairs.add(`${source} -> ${pod.id}`);
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
    for (const request of requests)
      for (const source of askedAlone(context, request)) pairs.add(`${source} -> secret:${namespace}/${name}`);
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
    const read = new Set(
      ruleEdges(canReadSecret, context)
        .filter((e) => declared.has(e.target))
        .map((e) => `${e.source} -> ${e.target}`),
    );
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
    expect(grouped.map((rule) => rule.id).sort()).toEqual(
      RULES.filter((rule) => rule.sources)
        .map((rule) => rule.id)
        .sort(),
    );
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
            byTarget.set(target, {
              cost: Math.min(known?.cost ?? Infinity, cost),
              definite: (known?.definite ?? false) || certainty === 'definite',
            });
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

describe("EdgeJoiner: one identity's edges, joined target by target", () => {
  const spec = {rule: {id: 'RULE', type: 'CAN_EXEC' as const, mitre: 'T0000'}, cost: 1};
  const ids = Array.from({length: 100}, (_, i) => `t${i}`);
  const grant = (object: string, options: Partial<Found> = {}): Found => ({
    certainty: 'definite',
    evidence: [{object, note: `${object} allows`}],
    ...options,
  });
  const group = (members: number[], extras?: Array<Evidence | undefined>): Pick<GrantGroup, 'members' | 'extras'> =>
    extras ? {members, extras} : {members};
  const node: Evidence = {object: 'Node/a', note: 'runs there'};
  const other: Evidence = {object: 'Node/b', note: 'runs there'};

  /** The edges from `t0` for groups and grants, held in columns by position (covered: every target) or in slots (covered: only theirs). */
  function edges(added: Array<[Pick<GrantGroup, 'members' | 'extras'>, Found]>, columns: 'by position' | 'in slots') {
    const covered = columns === 'by position' ? ids.length : added.reduce((sum, [g]) => sum + g.members.length, 0);
    const joiner = new EdgeJoiner(spec, ids, covered);
    for (const [g, found] of added) joiner.add(g, found);
    return joiner.edgesFrom('t0');
  }

  const a = grant('RoleBinding/x/a');
  const b = grant('ClusterRoleBinding/b', {certainty: 'conditional', escalated: true});
  const added: Array<[Pick<GrantGroup, 'members' | 'extras'>, Found]> = [
    [group([0, 3, 7, 8], [node, node, undefined, undefined]), a],
    [group([3, 5], [other, undefined]), b],
    [group([5, 6, 9], [node, node, node]), b],
    [group([3], [other]), b],
  ];

  it.each(['by position', 'in slots'] as const)(
    'columns %s: each target once, by position, its grants joined and its items once each',
    (columns) => {
      const found = edges(added, columns);
      // t0 is the source: no edge to itself.
      expect(found.map((edge) => edge.target)).toEqual(['t3', 't5', 't6', 't7', 't8', 't9']);
      const [t3, t5, t6, t7, t8, t9] = found.map((edge) => edge.attributes);
      // Definite if any grant is; an escalation more only when every grant needs one.
      expect([t3, t5, t6, t7, t8, t9].map((attributes) => `${attributes!.certainty} ${attributes!.cost}`)).toEqual([
        'definite 1',
        `conditional ${1 + ESCALATION_COST}`,
        `conditional ${1 + ESCALATION_COST}`,
        'definite 1',
        'definite 1',
        `conditional ${1 + ESCALATION_COST}`,
      ]);
      // The grants in the order added (one named twice, once), then the target's own items, each once.
      expect(t3!.evidence).toEqual([...a.evidence, ...b.evidence, node, other]);
      expect(t5!.evidence).toEqual([...b.evidence, node]);
      expect(t7!.evidence).toEqual(a.evidence);
      expect(t3).toMatchObject({type: 'CAN_EXEC', attack: true, technique: 'RULE', mitre: 'T0000'});
      // Targets reached the same way, with the same item, share one frozen attributes object.
      expect(t7).toBe(t8);
      expect(t6).toBe(t9);
      expect(Object.isFrozen(t6)).toBe(true);
    },
  );

  it('gives the same edges whichever way it holds its columns', () => {
    expect(edges(added, 'in slots')).toEqual(edges(added, 'by position'));
  });

  it('names a binding once when two grants name it, with everything each allows', () => {
    const first: Found = {certainty: 'definite', evidence: [{object: 'RoleBinding/x/a', note: 'allows: get pods/exec'}]};
    const second: Found = {certainty: 'definite', evidence: [{object: 'RoleBinding/x/a', note: 'allows: create pods/exec'}]};
    const [edge] = edges(
      [
        [group([4]), first],
        [group([4]), second],
      ],
      'in slots',
    );
    expect(edge!.attributes.evidence).toEqual([{object: 'RoleBinding/x/a', note: 'allows: get pods/exec | create pods/exec'}]);
  });

  it('gives no edges without groups', () => {
    expect(edges([], 'in slots')).toEqual([]);
    expect(edges([], 'by position')).toEqual([]);
  });
});
