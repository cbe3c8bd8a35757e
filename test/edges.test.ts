/**
 * One data-driven test for every attack-edge rule: its conventions hold, its
 * positive fixtures draw its edges (with evidence that names real objects), and its
 * negative fixtures draw none.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRuleContext} from '../src/engines/context.js';
import {RULES} from '../src/edges/index.js';
import {CNI_PROFILES} from '../src/engines/network/profile.js';
import {ruleEdges, type EdgeRule} from '../src/edges/rule.js';
import {buildModel} from '../src/graph/model.js';
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
    expect(ruleConventionProblems([{id: 'MISSING'}, {id: 'HALF_DONE'}, {id: 'bad-id'}], root)).toEqual([
      'HALF_DONE: docs/edges/HALF_DONE.md lacks "## Evidence"',
      'HALF_DONE: docs/edges/HALF_DONE.md lacks "## Fix"',
      'HALF_DONE: docs/edges/HALF_DONE.md lacks "## Verify"',
      'HALF_DONE: no fixture test/fixtures/edges/HALF_DONE/negative.*.yaml',
      'MISSING: no doc page docs/edges/MISSING.md',
      'MISSING: no fixture test/fixtures/edges/MISSING/negative.*.yaml',
      'MISSING: no fixture test/fixtures/edges/MISSING/positive.*.yaml',
      'bad-id: a rule id is upper-snake case',
      'bad-id: no doc page docs/edges/bad-id.md',
      'bad-id: no fixture test/fixtures/edges/bad-id/negative.*.yaml',
      'bad-id: no fixture test/fixtures/edges/bad-id/positive.*.yaml',
      'docs/edges/ORPHAN.md: no rule ORPHAN in src/edges/index.ts',
    ]);
  });

  it('reads the expected edges a fixture declares', () => {
    expect(expectedEdges('# expect: pod:shop/web -> node:<unscheduled>\n#expect:sa:a/b->cluster-admin\nkind: Pod\n')).toEqual([
      {source: 'pod:shop/web', target: 'node:<unscheduled>'},
      {source: 'sa:a/b', target: 'cluster-admin'},
    ]);
  });
});

/** Runs one rule on one fixture and checks what it drew. */
async function checkFixture(rule: EdgeRule, file: string): Promise<void> {
  const path = join(FIXTURES, rule.id, file);
  const {snapshot} = await loadInputs([path]);
  const model = buildModel(snapshot);
  const cni = /^#\s*cni:\s*(\S+)\s*$/m.exec(readFileSync(path, 'utf8'))?.[1];
  const context = createRuleContext(model, cni ? {cni: CNI_PROFILES[cni]!} : {});
  // Every edge, those asked per source included (pod-to-pod reachability lists no sources: ask it for every pod).
  const edges = ruleEdges(rule, context, rule.sources?.(context) ?? model.pods.map((pod) => pod.id));
  const objects = new Set(Object.keys(snapshot.locations));
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
  for (const {source, target} of expectedEdges(readFileSync(path, 'utf8'))) expect(drawn).toContain(`${source} -> ${target}`);
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
