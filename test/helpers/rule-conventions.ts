/**
 * The per-rule conventions: each rule in src/edges/index.ts has a doc page
 * `docs/edges/<ID>.md` with the standard sections, and fixtures
 * `test/fixtures/edges/<ID>/positive.*.yaml` and `negative.*.yaml`; no page or
 * fixture folder exists without its rule.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

export const DOC_SECTIONS = ['## Preconditions', '## Evidence', '## Verify', '## Fix'];

export function ruleConventionProblems(rules: ReadonlyArray<{id: string}>, root: string): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const docsDir = join(root, 'docs', 'edges');
  const fixturesDir = join(root, 'test', 'fixtures', 'edges');
  for (const {id} of rules) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(id)) problems.push(`${id}: a rule id is upper-snake case`);
    if (ids.has(id)) problems.push(`${id}: two rules share this id`);
    ids.add(id);
    const page = join(docsDir, `${id}.md`);
    if (!existsSync(page)) problems.push(`${id}: no doc page docs/edges/${id}.md`);
    else {
      const text = readFileSync(page, 'utf8');
      for (const section of DOC_SECTIONS) if (!text.includes(section)) problems.push(`${id}: docs/edges/${id}.md lacks "${section}"`);
    }
    const fixtures = existsSync(join(fixturesDir, id)) ? readdirSync(join(fixturesDir, id)) : [];
    if (!fixtures.some((f) => /^positive\..+\.ya?ml$/.test(f)))
      problems.push(`${id}: no fixture test/fixtures/edges/${id}/positive.*.yaml`);
    if (!fixtures.some((f) => /^negative\..+\.ya?ml$/.test(f)))
      problems.push(`${id}: no fixture test/fixtures/edges/${id}/negative.*.yaml`);
  }
  if (existsSync(docsDir)) {
    for (const file of readdirSync(docsDir)) {
      const id = file.replace(/\.md$/, '');
      if (file !== 'README.md' && !ids.has(id)) problems.push(`docs/edges/${file}: no rule ${id} in src/edges/index.ts`);
    }
  }
  if (existsSync(fixturesDir)) {
    for (const dir of readdirSync(fixturesDir)) {
      if (!ids.has(dir)) problems.push(`test/fixtures/edges/${dir}: no rule ${dir} in src/edges/index.ts`);
    }
  }
  return problems.sort();
}

/** `# expect: SOURCE -> TARGET` lines at the top of a fixture: edges the rule must draw. */
export function expectedEdges(fixtureText: string): Array<{source: string; target: string}> {
  return [...fixtureText.matchAll(/^#\s*expect:\s*(\S+)\s*->\s*(\S+)\s*$/gm)].map((m) => ({source: m[1]!, target: m[2]!}));
}
