/**
 * The repository's Markdown stands on its own: no page cites a file a reader of the
 * repository does not have (the design brief kubepath started from, research notes
 * beside the checkout, a path on someone's machine), every relative link and anchor
 * leads to a file and heading of the repository, and every repository path or `.md`
 * file a page names exists.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, isAbsolute, join, relative, resolve, sep} from 'node:path';

/** Folders that hold no documentation of the repository: dependencies, build output, hidden ones. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);
/** The top-level folders a page names files in, as `docs/graph.md` or `src/graph/ids.ts`. */
const REPOSITORY_PATH = /(?<![\w./-])((?:bin|docs|examples|queries|src|test|viewer)\/[\w./-]*[\w-])/g;
/** A Markdown file named in the text: `docs/network.md`, `BENCHMARKS.md`. */
const MARKDOWN_NAME = /(?<![\w./-])([\w./-]*[\w-]\.md)\b/g;
/** `[text](target)` and `![alt](target "title")`; the text may run over lines. */
const INLINE_LINK = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
/** `[label]: target` */
const REFERENCE_LINK = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** What only someone with files outside the repository could follow, with what to say of it. */
const OUTSIDE_CITATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bDESIGN\b/, 'cites DESIGN, the design brief, which is not in the repository: cite docs/interface.md'],
  [/\.\.\/shared\b|\bshared\/(?:research|corpus)\b/, 'cites ../shared, which is not in the repository'],
  [/(?<![\w.-])research\/[\w.-]+/, 'cites research notes, which are not in the repository'],
  [/(?<![\w.-])\/(?:work|tmp)\//, 'cites a path on one machine, not in the repository'],
];

/** Every Markdown file of the repository, relative to its root, sorted. */
export function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

/** The text outside fenced code blocks (their lines blanked to spaces, so positions stay). */
function prose(text: string): string {
  let fence: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
        fence = fence === undefined ? marker : undefined;
        return ' '.repeat(line.length);
      }
      return fence === undefined ? line : ' '.repeat(line.length);
    })
    .join('\n');
}

const withoutCodeSpans = (text: string): string => text.replace(/(`+)[^`]*?\1/g, (span) => span.replace(/[^\n]/g, ' '));

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
export function headingAnchor(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file's headings give, duplicates numbered as GitHub numbers them. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(text).split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const anchor = headingAnchor(heading);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

const inside = (root: string, path: string): boolean => path === root || path.startsWith(root + sep);

/** Every problem of the repository's Markdown files, as `file:line: what`. */
export function markdownProblems(root: string): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (path: string): Set<string> => {
    let anchors = anchorCache.get(path);
    if (!anchors) anchorCache.set(path, (anchors = anchorsOf(readFileSync(path, 'utf8'))));
    return anchors;
  };
  for (const file of markdownFiles(root)) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const say = (index: number, what: string): void => {
      problems.push(`${file.split(sep).join('/')}:${lineAt(text, index)}: ${what}`);
    };

    for (const [pattern, what] of OUTSIDE_CITATIONS) {
      for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) say(match.index, `${what} (${match[0]})`);
    }

    const body = withoutCodeSpans(prose(text));
    const targets = [...body.matchAll(INLINE_LINK)].map((match) => ({target: match[2]!, index: match.index}));
    for (const match of body.matchAll(REFERENCE_LINK)) targets.push({target: match[1]!, index: match.index});
    for (const {target, index} of targets) {
      if (SCHEME.test(target)) continue;
      const [file_, anchor] = target.split('#', 2) as [string, string | undefined];
      const linked = file_ === '' ? path : isAbsolute(file_) ? file_ : resolve(dirname(path), decodeURI(file_));
      if (!inside(root, linked)) say(index, `links outside the repository: ${target}`);
      else if (!existsSync(linked)) say(index, `links to a file the repository does not have: ${target}`);
      else if (anchor !== undefined && linked.endsWith('.md') && !anchorsIn(linked).has(anchor))
        say(index, `links to a heading ${relative(root, linked)} does not have: ${target}`);
    }

    // Named files: links are checked above, so only the text around them counts here.
    const named = prose(text).replace(INLINE_LINK, (link) => link.replace(/[^\n]/g, ' '));
    for (const match of named.matchAll(REPOSITORY_PATH)) {
      if (!existsSync(join(root, match[1]!))) say(match.index, `names a path the repository does not have: ${match[1]}`);
    }
    for (const match of named.matchAll(MARKDOWN_NAME)) {
      const name = match[1]!;
      const found = [resolve(dirname(path), name), resolve(root, name)].some(
        (candidate) => inside(root, candidate) && existsSync(candidate) && statSync(candidate).isFile(),
      );
      if (!found) say(match.index, `names a Markdown file the repository does not have: ${name}`);
    }
  }
  return problems;
}
