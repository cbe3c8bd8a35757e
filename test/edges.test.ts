/**
 * One data-driven test for every attack-edge rule: its conventions hold, its
 * positive fixtures draw its edges (with evidence that names real objects), its
 * negative fixtures draw none, and its fixes name a change to the fixture.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRuleContext} from '../src/engines/context.js';
import {RULES} from '../src/edges/index.js';
import {CNI_PROFILES} from '../src/engines/network/profile.js';
import {EDGE_FAMILIES, noFixes, ruleEdges, type AttackEdge, type EdgeRule} from '../src/edges/rule.js';
import {usesToken} from '../src/edges/uses-token.js';
import {buildModel, type ClusterModel} from '../src/graph/model.js';
import {ATTACK_EDGE_TYPES} from '../src/graph/types.js';
import {loadInputs} from '../src/snapshot/load.js';
import {ROOT, tempDir} from './helpers/cli.js';
import {DOC_SECTIONS, expectedEdges, ruleConventionProblems} from './helpers/rule-conventions.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'edges');

describe('edge rule conventions', () => {
  it('every rule in src/edges/index.ts has its page and fixtures, and nothing is orphaned', () => {
    expect(ruleConventionProblems(RULES, ROOT)).toEqual([]);
  });

  it('the check fails for a rule without page or fixtures, and for orphans', () => {
    const root = tempDir();
    mkdirSync(join(root, 'docs', 'edges'), {recursive: true});
    mkdirSync(join(root, 'test', 'fixtures', 'edges', 'HALF_DONE'), {recursive: true});
    writeFileSync(join(root, 'docs', 'edges', 'HALF_DONE.md'), '# HALF_DONE\n## Preconditions\n');
    writeFileSync(join(root, 'test', 'fixtures', 'edges', 'HALF_DONE', 'positive.basic.yaml'), '');
    writeFileSync(join(root, 'docs', 'edges', 'ORPHAN.md'), DOC_SECTIONS.join('\n'));
    writeFileSync(join(root, 'docs', 'edges', 'README.md'), '| [HALF_DONE](HALF_DONE.md) | `HOSTS` | half done |\n');
    expect(ruleConventionProblems([{id: 'MISSING'}, {id: 'HALF_DONE'}, {id: 'bad-id'}], root)).toEqual([
      'HALF_DONE: docs/edges/HALF_DONE.md lacks "## Evidence"',
      'HALF_DONE: docs/edges/HALF_DONE.md lacks "## Fix"',
      'HALF_DONE: docs/edges/HALF_DONE.md lacks "## Verify"',
      'HALF_DONE: no fixture test/fixtures/edges/HALF_DONE/negative.*.yaml',
      'MISSING: no doc page docs/edges/MISSING.md',
      'MISSING: no fixture test/fixtures/edges/MISSING/negative.*.yaml',
      'MISSING: no fixture test/fixtures/edges/MISSING/positive.*.yaml',
      'MISSING: no row in the table of docs/edges/README.md',
      'bad-id: a rule id is upper-snake case',
      'bad-id: no doc page docs/edges/bad-id.md',
      'bad-id: no fixture test/fixtures/edges/bad-id/negative.*.yaml',
      'bad-id: no fixture test/fixtures/edges/bad-id/positive.*.yaml',
      'bad-id: no row in the table of docs/edges/README.md',
      'docs/edges/ORPHAN.md: no rule ORPHAN in src/edges/index.ts',
    ]);
  });

  it('a rule without a family or fixes does not compile (npm run typecheck checks these lines)', () => {
    const rule = {id: 'HALF_DONE', type: 'HOSTS', mitre: 'T1609', summary: 'a rule being written', build: () => []} as const;
    // @ts-expect-error a rule names its family
    const withoutFamily: EdgeRule<'HOSTS'> = {...rule, fixes: noFixes};
    // @ts-expect-error a rule names its fixes (noFixes where its edges hold by definition)
    const withoutFixes: EdgeRule<'HOSTS'> = {...rule, family: 'escape'};
    // @ts-expect-error a family is one of the report's
    const unknownFamily: EdgeRule<'HOSTS'> = {...rule, family: 'colourful', fixes: noFixes};
    expect([withoutFamily, withoutFixes, unknownFamily].map((r) => r.id)).toEqual(['HALF_DONE', 'HALF_DONE', 'HALF_DONE']);
  });

  it('the report viewer has a colour for every edge family, and none for a family that does not exist', () => {
    const colours = /const FAMILIES = \{([^}]*)\}/.exec(readFileSync(join(ROOT, 'viewer', 'report.js'), 'utf8'))![1]!;
    const families = [...colours.matchAll(/(\w+):/g)].map((match) => match[1]);
    expect(families.sort()).toEqual(Object.keys(EDGE_FAMILIES).sort());
  });

  it('rules that draw one edge type share its family (the report colours edges by type)', () => {
    const families = new Map<string, Set<string>>();
    for (const rule of RULES) families.set(rule.type, (families.get(rule.type) ?? new Set()).add(rule.family));
    expect([...families].filter(([, family]) => family.size > 1)).toEqual([]);
  });

  it('every attack edge type has a rule that draws it, so it has a family', () => {
    expect(ATTACK_EDGE_TYPES.filter((type) => !RULES.some((rule) => rule.type === type))).toEqual([]);
  });

  it('reads the expected edges a fixture declares', () => {
    expect(expectedEdges('# expect: pod:shop/web -> node:<unscheduled>\n#expect:sa:a/b->cluster-admin\nkind: Pod\n')).toEqual([
      {source: 'pod:shop/web', target: 'node:<unscheduled>'},
      {source: 'sa:a/b', target: 'cluster-admin'},
    ]);
  });
});

/** One rule run on one fixture: every edge it draws, and what the fixture holds. */
async function drawFixture(
  rule: EdgeRule,
  file: string,
): Promise<{text: string; model: ClusterModel; objects: Set<string>; edges: AttackEdge[]}> {
  const path = join(FIXTURES, rule.id, file);
  const text = readFileSync(path, 'utf8');
  const {snapshot} = await loadInputs([path]);
  const model = buildModel(snapshot);
  const cni = /^#\s*cni:\s*(\S+)\s*$/m.exec(text)?.[1];
  const context = createRuleContext(model, cni ? {cni: CNI_PROFILES[cni]!} : {});
  // Every edge, those asked per source included (pod-to-pod reachability lists no sources: ask it for every pod).
  const edges = ruleEdges(rule, context, rule.sources?.(context) ?? model.pods.map((pod) => pod.id));
  return {text, model, objects: new Set(Object.keys(snapshot.locations)), edges};
}

/** Runs one rule on one fixture and checks what it drew. */
async function checkFixture(rule: EdgeRule, file: string): Promise<void> {
  const {text, objects, edges} = await drawFixture(rule, file);
  for (const edge of edges) {
    expect(edge.attributes.type).toBe(rule.type);
    expect(edge.attributes.technique).toBe(rule.id);
    expect(edge.attributes.evidence.length, `${edge.source} -> ${edge.target} explains itself`).toBeGreaterThan(0);
    for (const evidence of edge.attributes.evidence) {
      expect(objects.has(evidence.object), `evidence names a snapshot object: ${evidence.object}`).toBe(true);
    }
  }
  if (file.startsWith('negative.')) {
    expect(edges.map((e) => `${e.source} -> ${e.target}`)).toEqual([]);
    return;
  }
  expect(edges.length).toBeGreaterThan(0);
  const drawn = new Set(edges.map((e) => `${e.source} -> ${e.target}`));
  for (const {source, target} of expectedEdges(text)) expect(drawn).toContain(`${source} -> ${target}`);
}

/**
 * The fixes the rule names for the edges its positive fixtures expect, that change
 * something the fixture holds: one of its objects, or the namespace of one.
 */
async function fixesOnFixtures(rule: EdgeRule): Promise<string[]> {
  const found: string[] = [];
  for (const file of readdirSync(join(FIXTURES, rule.id))
    .filter((f) => /^positive\..+\.ya?ml$/.test(f))
    .sort()) {
    const {text, model, objects, edges} = await drawFixture(rule, file);
    const present = (object: string): boolean =>
      objects.has(object) || (object.startsWith('Namespace/') && model.namespaces.has(object.slice('Namespace/'.length)));
    for (const {source, target} of expectedEdges(text)) {
      for (const edge of edges.filter((e) => e.source === source && e.target === target)) {
        for (const fix of rule.fixes({from: edge.source, to: edge.target, attributes: edge.attributes}))
          if (present(fix.object)) found.push(`${file}: ${fix.id}`);
      }
    }
  }
  return found;
}

const ruleFixtures = RULES.flatMap((rule) =>
  readdirSync(join(FIXTURES, rule.id))
    .filter((f) => /^(positive|negative)\..+\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({rule, file, name: `${rule.id}/${file}`})),
);

describe.runIf(ruleFixtures.length > 0)('edge rule fixtures', () => {
  it.each(ruleFixtures)('$name', async ({rule, file}) => checkFixture(rule, file));
});

describe('edge rule fixes', () => {
  it.each(RULES.filter((rule) => rule.fixes !== noFixes).map((rule) => ({rule, name: rule.id})))(
    '$name names a fix, on an edge its positive fixtures expect, that changes an object of the fixture',
    async ({rule}) => expect(await fixesOnFixtures(rule)).not.toEqual([]),
  );

  it('the check fails for fixes that name nothing, or nothing the fixture holds', async () => {
    expect(await fixesOnFixtures({...usesToken, fixes: () => []})).toEqual([]);
    expect(
      await fixesOnFixtures({...usesToken, fixes: () => [{id: 'delete:Pod/elsewhere/x', action: 'delete it', object: 'Pod/elsewhere/x'}]}),
    ).toEqual([]);
    expect(await fixesOnFixtures(usesToken)).toContain('positive.defaults.yaml: automount:Pod/shop/web');
  });
});
