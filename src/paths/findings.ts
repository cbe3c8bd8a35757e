/**
 * kubepath findings
 * =================
 *
 * What `analyze` concludes: attack paths from entry points (the Internet, and pods the
 * user assumes breached) to crown jewels (cluster-admin, nodes, secrets, kube-system,
 * and what the user marks), one finding per root cause, ranked by severity then cost.
 * The rules are in docs/findings.md; the paths come from search.ts.
 */
import {gapsOnPaths, type GapNote} from './coverage.js';
import type {Ownership} from '../posture/evaluate.js';
import {CLUSTER_ADMIN, INTERNET} from '../graph/ids.js';
import type {KubeGraph, NodeAttributes} from '../graph/types.js';
import {compareStrings} from '../util/order.js';
import {rankFixes, type RankedFix} from './fixes.js';
import type {AttackMoves} from './moves.js';
import {cheapestPaths, distancesTo, type AttackPath, type PathStep, type SearchOptions} from './search.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The exit code (docs/interface.md) for findings at or above `--fail-on`. */
export const FINDINGS_EXIT_CODE = 3;

/** Whether some finding is at or above the severity. */
export function atOrAbove(findings: readonly Finding[], severity: Severity): boolean {
  return findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= SEVERITIES.indexOf(severity));
}

/** What a crown jewel gives its holder, most to least. */
export const JEWEL_CATEGORIES = ['cluster-admin', 'node', 'secret', 'kube-system', 'marked'] as const;
export type JewelCategory = (typeof JEWEL_CATEGORIES)[number];

/** The label (on a pod, secret's namespace or namespace) that makes an object a crown jewel. */
export const CROWN_JEWEL_LABEL = 'kubepath.io/crown-jewel';

/** The entry point `--assume-breach all` stands for. */
export const ANY_POD = 'any pod';

export interface Finding {
  /** Stable across runs of the same input: the category and the root cause. */
  id: string;
  severity: Severity;
  category: JewelCategory;
  title: string;
  /** Every entry point that reaches the jewel through this root cause, sorted. */
  entryPoints: string[];
  /** The cheapest path of the finding. */
  path: AttackPath;
  /** How many of the paths found share this root cause. */
  paths: number;
  /** Every path found through this root cause. */
  allPaths: AttackPath[];
  /** The changes that cut the most of them (fixes.ts). */
  fixes: RankedFix[];
  /** The first move that gains the attacker something new (see rootCause below). */
  rootCause: PathStep;
  /** Whether every step after the entry hop is definite. */
  certainty: 'definite' | 'conditional';
  /** Coverage gaps that may make a step of its paths untrue (coverage.ts). */
  coverageGaps: GapNote[];
  /** The team to route it to (src/posture/evaluate.ts pathOwner), set by the analysis. */
  owner?: Ownership;
}

export interface FindingsOptions {
  /** Pods (graph ids) the user assumes breached, besides the Internet, each an entry point. */
  assumeBreach: readonly string[];
  /** Every pod breached at once (`--assume-breach all`): one entry point, the cheapest paths from any pod. */
  anyPod?: boolean;
  /** Extra crown jewels the user names (graph ids). */
  crownJewels: readonly string[];
  /** Paths searched per entry point and category (their root causes become findings). */
  pathsPerEntry: number;
  search: Omit<SearchOptions, 'maxPaths'>;
}

/** The crown jewels of each category present in the graph. */
export function crownJewels(graph: KubeGraph, marked: readonly string[] = []): Map<JewelCategory, Set<string>> {
  const jewels = new Map<JewelCategory, Set<string>>(JEWEL_CATEGORIES.map((category) => [category, new Set<string>()]));
  const markedNamespaces = new Set<string>();
  graph.forEachNode((id, attributes) => {
    if (attributes.kind === 'Namespace' && labelOf(attributes) === 'true') markedNamespaces.add(attributes.name);
  });
  const named = new Set(marked);
  graph.forEachNode((id, attributes) => {
    const category = categoryOf(
      id,
      attributes,
      named.has(id) || labelOf(attributes) === 'true' || markedNamespaces.has(attributes.namespace ?? '\u0000'),
    );
    if (category) jewels.get(category)!.add(id);
  });
  return jewels;
}

const labelOf = (attributes: NodeAttributes): string | undefined =>
  (attributes.labels as Record<string, string> | undefined)?.[CROWN_JEWEL_LABEL];

function categoryOf(id: string, attributes: NodeAttributes, marked: boolean): JewelCategory | undefined {
  if (id === CLUSTER_ADMIN) return 'cluster-admin';
  if (attributes.kind === 'Node') return 'node';
  if (attributes.kind === 'Secret') return 'secret';
  if (attributes.namespace === 'kube-system' && (attributes.kind === 'Pod' || attributes.kind === 'ServiceAccount')) return 'kube-system';
  if (marked && attributes.kind !== 'Namespace') return 'marked';
  return undefined;
}

/**
 * The move a finding is about: the first step that gains more than a network position
 * or a group membership. Paths sharing it (and the category) are one finding: fixing
 * that move cuts them all.
 */
function rootCause(path: AttackPath): PathStep {
  return (
    path.steps.find((step) => step.attributes.type !== 'CAN_REACH' && step.attributes.type !== 'MEMBER_OF') ??
    path.steps[path.steps.length - 1]!
  );
}

/** docs/findings.md: what is reached, from where. */
export function severityOf(category: JewelCategory, fromInternet: boolean): Severity {
  const rank: Record<JewelCategory, number> = {'cluster-admin': 0, node: 1, secret: 1, 'kube-system': 2, marked: 2};
  return SEVERITIES[Math.min(rank[category] + (fromInternet ? 0 : 1), SEVERITIES.length - 1)]!;
}

const stepKey = (step: PathStep): string => `${step.from} ${step.attributes.technique} ${step.to}`;

function titleOf(category: JewelCategory, path: AttackPath, cause: PathStep): string {
  const what = {
    'cluster-admin': 'cluster-admin',
    node: `root on ${path.target}`,
    secret: `Secret ${path.target}`,
    'kube-system': `${path.target} in kube-system`,
    marked: `crown jewel ${path.target}`,
  }[category];
  return `${path.source} reaches ${what}: ${cause.from} ${cause.attributes.type} ${cause.to}`;
}

/** Per category, then entry point: the cheapest paths, grouped by root cause, ranked. */
export function findings(moves: AttackMoves, options: FindingsOptions): Finding[] {
  const jewels = crownJewels(moves.graph, options.crownJewels);
  const entries = [...(moves.graph.hasNode(INTERNET) ? [INTERNET] : []), ...[...options.assumeBreach].sort(compareStrings)].map(
    (entry) => ({entry, sources: [entry]}),
  );
  if (options.anyPod) entries.push({entry: ANY_POD, sources: moves.context.model.pods.map((pod) => pod.id).sort(compareStrings)});
  const byKey = new Map<string, Finding>();
  // A finding's id names its category, so categories are independent: one at a time, its bounds
  // towards every jewel of the category serving each entry (a lower bound for fewer targets too).
  for (const category of JEWEL_CATEGORIES) {
    const all = jewels.get(category)!;
    if (all.size === 0) continue;
    const distances = distancesTo(moves, all, options.search.definiteOnly);
    for (const {entry, sources} of entries) {
      // A breached jewel is not a finding of its own; every pod at once keeps them (a path still takes a step).
      const targets = all.has(entry) ? new Set([...all].filter((id) => id !== entry)) : all;
      if (targets.size === 0) continue;
      for (const path of cheapestPaths(moves, sources, targets, {...options.search, maxPaths: options.pathsPerEntry}, distances)) {
        const cause = rootCause(path);
        const id = `${category}:${stepKey(cause)}`;
        const severity = severityOf(category, path.source === INTERNET);
        const certainty = path.steps.slice(1).every((step) => step.attributes.certainty === 'definite') ? 'definite' : 'conditional';
        const known = byKey.get(id);
        if (!known) {
          byKey.set(id, {
            id,
            severity,
            category,
            title: titleOf(category, path, cause),
            entryPoints: [path.source],
            path,
            paths: 1,
            allPaths: [path],
            fixes: [],
            rootCause: cause,
            certainty,
            coverageGaps: [],
          });
          continue;
        }
        known.paths++;
        known.allPaths.push(path);
        if (!known.entryPoints.includes(path.source)) known.entryPoints.push(path.source);
        // The finding keeps its gravest entry, then its cheapest path.
        if (
          SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(known.severity) ||
          (severity === known.severity && path.cost < known.path.cost)
        ) {
          Object.assign(known, {severity, path, certainty, title: titleOf(category, path, cause)});
        }
      }
    }
  }
  return [...byKey.values()]
    .map((finding) => ({
      ...finding,
      entryPoints: [...finding.entryPoints].sort(compareStrings),
      fixes: rankFixes(finding.allPaths, 3),
      coverageGaps: gapsOnPaths(finding.allPaths, moves.context.model.snapshot.coverage.gaps),
    }))
    .sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.path.cost - b.path.cost || compareStrings(a.id, b.id),
    );
}

/** The changes that cut the most paths of all findings: the cluster's choke points. */
export function chokePoints(found: readonly Finding[], limit = 10): RankedFix[] {
  return rankFixes(
    found.flatMap((finding) => finding.allPaths),
    limit,
  );
}
