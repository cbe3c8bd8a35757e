/**
 * The floors of the code (issue 19): every import in src/ (static `import` and
 * `export ... from`, `import type` included) goes to a file on the same floor or a
 * lower one, no import cycle passes through src/graph/, and the few cycles kept
 * elsewhere are named here with their reason. Each name has one home: no file
 * re-exports another's.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import ts from 'typescript';
import {describe, expect, it} from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/**
 * The floors, lowest first. A file is on the floor of the longest entry that names it
 * (a folder, `graph/`, or a file, `graph/build.ts`); a file may import files on its own
 * floor and the floors below.
 */
const FLOORS: ReadonlyArray<{why: string; holds: readonly string[]}> = [
  {why: 'mechanisms that know nothing of Kubernetes, and the two errors every floor throws', holds: ['util/', 'snapshot/errors.ts']},
  {
    why: 'the input as read and checked, and the Kubernetes versions it names',
    holds: ['snapshot/', 'version/kubernetes.ts', 'version/support.ts'],
  },
  {why: 'the model: its ids, and what rules read of pod specs, tokens, images and vulnerabilities', holds: ['graph/']},
  {
    why: 'what reads the model before any rule (the engines, vulnerability reports matched to its pods, its versions judged), and the live collector, which marks token Secrets as graph/pod-tokens reads them',
    holds: ['engines/', 'vulns/', 'version/cluster.ts', 'collect/'],
  },
  {why: 'the rules: one file per technique or check', holds: ['edges/', 'posture/']},
  {
    why: "what runs the rules: the graph with every rule's edges, path search, containment plans",
    holds: ['graph/build.ts', 'paths/', 'contain/'],
  },
  {why: 'what is written: outputs and exports', holds: ['output/', 'export/']},
  {
    why: 'entry points: the commands and what they share, and the scripts (cluster generator, local Neo4j)',
    holds: ['cli/', 'commands/', 'generate/', 'neo4j/'],
  },
  {why: 'the benchmark, which drives all of the above', holds: ['bench/']},
];

/** Cycles kept on purpose, each the exact set of files of one, with why; none may pass through src/graph/. */
const ALLOWED_CYCLES: ReadonlyArray<{why: string; files: readonly string[]}> = [
  {
    why: 'the RBAC engine builds itself once without escalations, which read that engine to find them (type imports back)',
    files: ['src/engines/rbac/engine.ts', 'src/engines/rbac/escalation.ts', 'src/engines/rbac/roles.ts'],
  },
  {
    why: "a list budget's failures are API errors, and the client spends a budget (type imports back)",
    files: ['src/collect/api-client.ts', 'src/collect/bounds.ts', 'src/collect/list-reader.ts'],
  },
];

interface Import {
  from: string;
  to: string;
  /** Only types cross it: gone at run time. */
  typeOnly: boolean;
  reExport: boolean;
}

/** Every relative import of every src/**\/*.ts file, as repository paths. */
function readImports(): {files: string[]; imports: Import[]} {
  const files = readdirSync(join(ROOT, 'src'), {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join('src', name).split('\\').join('/'))
    .sort();
  const imports: Import[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
    const add = (specifier: ts.Expression | undefined, typeOnly: boolean, reExport: boolean): void => {
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return;
      const to = relative(ROOT, join(ROOT, dirname(file), specifier.text))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts');
      imports.push({from: file, to, typeOnly, reExport});
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        const bindings = clause?.namedBindings;
        const allTypes =
          !!clause &&
          (clause.isTypeOnly ||
            (!clause.name &&
              !!bindings &&
              ts.isNamedImports(bindings) &&
              bindings.elements.length > 0 &&
              bindings.elements.every((element) => element.isTypeOnly)));
        add(node.moduleSpecifier, allTypes, false);
      } else if (ts.isExportDeclaration(node)) {
        const clause = node.exportClause;
        add(
          node.moduleSpecifier,
          node.isTypeOnly ||
            (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly)),
          true,
        );
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        add(node.arguments[0], false, false);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        add(node.argument.literal, true, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return {files, imports};
}

/** The floor of a file: that of the longest entry naming it. */
function floorOf(file: string): number | undefined {
  let best: {floor: number; length: number} | undefined;
  FLOORS.forEach(({holds}, floor) => {
    for (const entry of holds) {
      const path = `src/${entry}`;
      const names = entry.endsWith('/') ? file.startsWith(path) : file === path;
      if (names && (!best || path.length > best.length)) best = {floor, length: path.length};
    }
  });
  return best?.floor;
}

/** The strongly connected components of more than one file, or of one importing itself (Tarjan), each sorted. */
function cycles(files: readonly string[], imports: readonly Import[]): string[][] {
  const next = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const {from, to} of imports) next.get(from)!.push(to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || next.get(file)!.includes(file)) found.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) connect(file);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A component's files, and its shortest cycle through `start`. */
function describeCycle(component: readonly string[], imports: readonly Import[], start = component[0]!): string {
  return `${component.length} files (${component.join(', ')}), such as ${cycleThrough(start, component, imports)}`;
}

/** The shortest cycle through `start` inside its component (breadth-first), as `a → b → … → a`. */
function cycleThrough(start: string, component: readonly string[], imports: readonly Import[]): string {
  const inside = new Set(component);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const file = queue[at]!;
    for (const {to} of imports.filter((item) => item.from === file && inside.has(item.to))) {
      if (to === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start].join(' → ');
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  return component.join(', ');
}

describe('imports', () => {
  const {files, imports} = readImports();

  it('reads the imports of every file of src/, type imports included', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.some((item) => item.typeOnly)).toBe(true);
    expect(
      imports.filter((item) => !files.includes(item.to)).map((item) => `${item.from} imports ${item.to}, which is not a file of src/`),
    ).toEqual([]);
  });

  it('places every file of src/ on a floor', () => {
    expect(files.filter((file) => floorOf(file) === undefined).map((file) => `${file} is on no floor: add its folder to FLOORS`)).toEqual(
      [],
    );
  });

  it('never imports from a higher floor', () => {
    const upward = imports
      .filter((item) => floorOf(item.to)! > floorOf(item.from)!)
      .map((item) => `${item.from} (floor ${floorOf(item.from)}) imports ${item.to} (floor ${floorOf(item.to)})`);
    expect(upward).toEqual([]);
  });

  it('has no import cycle through src/graph/, and elsewhere only the cycles kept on purpose', () => {
    const found = cycles(files, imports);
    const throughGraph = found.flatMap((component) => {
      const start = component.find((file) => file.startsWith('src/graph/'));
      return start ? [describeCycle(component, imports, start)] : [];
    });
    expect(throughGraph).toEqual([]);
    const key = (component: readonly string[]): string => [...component].sort().join(' ');
    const allowed = new Set(ALLOWED_CYCLES.map(({files: kept}) => key(kept)));
    const unexpected = found.filter((component) => !allowed.has(key(component))).map((component) => describeCycle(component, imports));
    expect(unexpected).toEqual([]);
    // A cycle that is gone leaves the list, so the list stays the truth.
    const present = new Set(found.map(key));
    expect(
      ALLOWED_CYCLES.filter(({files: kept}) => !present.has(key(kept))).map(({files: kept}) => `no longer a cycle: ${key(kept)}`),
    ).toEqual([]);
  });

  it('has no cycle at all at run time (type imports left out)', () => {
    const runtime = imports.filter((item) => !item.typeOnly);
    expect(cycles(files, runtime).map((component) => describeCycle(component, runtime))).toEqual([]);
  });

  it('re-exports nothing: each name is imported from the file that defines it', () => {
    expect(imports.filter((item) => item.reExport).map((item) => `${item.from} re-exports from ${item.to}`)).toEqual([]);
  });
});
