/**
 * The per-rule conventions: each rule in src/edges/index.ts has a doc page
 * `docs/edges/<ID>.md` with the standard sections, and fixtures
 * `test/fixtures/edges/<ID>/positive.*.yaml` and `negative.*.yaml`; no page or
 * fixture folder exists without its rule; docs/edges/README.md's table links every page.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

export const DOC_SECTIONS = ['## Preconditions', '## Evidence', '## Verify', '## Fix'];

const readIfExists = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
const listIfExists = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

/** What one rule lacks: its page and the page's sections, its row in the table, its fixtures. */
function ruleProblems(id: string, docsDir: string, fixturesDir: string, table: string): string[] {
  const problems: string[] = [];
  if (!/^[A-Z][A-Z0-9_]*$/.test(id)) problems.push(`${id}: a rule id is upper-snake case`);
  const page = readIfExists(join(docsDir, `${id}.md`));
  if (page === undefined) problems.push(`${id}: no doc page docs/edges/${id}.md`);
  else for (const section of DOC_SECTIONS) if (!page.includes(section)) problems.push(`${id}: docs/edges/${id}.md lacks "${section}"`);
  if (!table.includes(`| [${id}](${id}.md) |`)) problems.push(`${id}: no row in the table of docs/edges/README.md`);
  const fixtures = listIfExists(join(fixturesDir, id));
  for (const side of ['positive', 'negative'])
    if (!fixtures.some((f) => new RegExp(`^${side}\\..+\\.ya?ml$`).test(f)))
      problems.push(`${id}: no fixture test/fixtures/edges/${id}/${side}.*.yaml`);
  return problems;
}

export function ruleConventionProblems(rules: ReadonlyArray<{id: string}>, root: string): string[] {
  const docsDir = join(root, 'docs', 'edges');
  const fixturesDir = join(root, 'test', 'fixtures', 'edges');
  const table = readIfExists(join(docsDir, 'README.md')) ?? '';
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const {id} of rules) {
    if (ids.has(id)) problems.push(`${id}: two rules share this id`);
    ids.add(id);
    problems.push(...ruleProblems(id, docsDir, fixturesDir, table));
  }
  for (const file of listIfExists(docsDir)) {
    const id = file.replace(/\.md$/, '');
    if (file !== 'README.md' && !ids.has(id)) problems.push(`docs/edges/${file}: no rule ${id} in src/edges/index.ts`);
  }
  for (const dir of listIfExists(fixturesDir))
    if (!ids.has(dir)) problems.push(`test/fixtures/edges/${dir}: no rule ${dir} in src/edges/index.ts`);
  return problems.sort();
}

/** `# expect: SOURCE -> TARGET` lines at the top of a fixture: edges the rule must draw. */
export function expectedEdges(fixtureText: string): Array<{source: string; target: string}> {
  return [...fixtureText.matchAll(/^#\s*expect:\s*(\S+)\s*->\s*(\S+)\s*$/gm)].map((m) => ({source: m[1]!, target: m[2]!}));
}
