/**
 * kubepath report data
 * ====================
 *
 * What `kubepath report` embeds in its HTML page (report.ts draws it with
 * viewer/report.js): the header facts, the findings ranked as `analyze` ranks them, and
 * the subgraph of their paths only, so that a 150,000-pod cluster's report still holds a
 * few hundred elements:
 *
 * - `edges`: every step of every path found (each finding's paths through its root
 *   cause), once, with its family (network, identity, RBAC, escape), evidence and fixes;
 * - `nodes`: their ends, pods of one workload drawn as one node (`replicas`);
 * - `neighbours`: per drawn node, up to NEIGHBOURS_SHOWN attack edges in and out that
 *   no path takes, for expanding it on demand (pod-to-pod network reach aside: that is
 *   `kubepath reach`);
 * - `evidence`: each distinct evidence list once (one grant explains many edges);
 * - `severities`, `familyNames`, `postureLevels`, `supportWords` and each coverage
 *   gap's `text`: the order, the names and the sentences kubepath shows them in, so
 *   that the viewer, which runs none of kubepath's code, copies none.
 *
 * Deterministic: sorted, and the time is SOURCE_DATE_EPOCH's when set.
 */
import {parseId} from '../graph/ids.js';
import {RULES} from '../edges/index.js';
import {EDGE_FAMILIES, type EdgeFamily} from '../edges/rule.js';
import type {AttackEdgeAttributes, AttackEdgeType, Evidence} from '../graph/types.js';
import {analysisTime} from '../util/source-date.js';
import {POSTURE_RULES} from '../posture/index.js';
import {POSTURE_LEVELS, type PostureLevel} from '../posture/rule.js';
import {groupedPosture, LEVEL_NAMES} from './posture.js';
import type {ClusterVersions} from '../version/cluster.js';
import type {SupportVerdict} from '../version/support.js';
import {SUPPORT_WORDS} from './versions.js';
import type {LoadSummary} from './summary.js';
import {describeGap, type GapNote} from '../paths/coverage.js';
import type {Ownership} from '../posture/evaluate.js';
import type {Analysis} from '../paths/analysis.js';
import {ANY_POD, SEVERITIES, type Severity} from '../paths/findings.js';
import {fixesFor} from '../paths/fixes.js';
import type {PathStep} from '../paths/search.js';
import {compareStrings} from '../util/order.js';
import {pushTo} from '../util/group.js';

/** Each edge type's family, its rules' (test/edges.test.ts checks every type has rules, and that they agree), for colour in the drawing. */
const FAMILIES = new Map<AttackEdgeType, EdgeFamily>(RULES.map((rule) => [rule.type, rule.family]));
function familyOf(type: AttackEdgeType): EdgeFamily {
  const family = FAMILIES.get(type);
  if (!family) throw new Error(`no rule draws ${type} edges`);
  return family;
}

/** How many undrawn attack edges in and out of a node the report keeps for expanding it. */
export const NEIGHBOURS_SHOWN = 25;

/** Node attributes worth showing beside id, kind, name and namespace. */
const NODE_DETAILS = [
  'workloadKind',
  'serviceAccount',
  'nodeName',
  'images',
  'vulnerabilities',
  'exploitableVulnerabilities',
  'secretType',
  'serviceType',
  'labels',
  'declared',
] as const;

export interface ReportNode {
  id: string;
  kind: string;
  name: string;
  namespace?: string;
  details: Record<string, unknown>;
  /** For a workload's pods drawn as one: their ids. */
  replicas?: string[];
}

export interface ReportEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  technique: string;
  family: EdgeFamily;
  certainty: string;
  cost: number;
  mitre?: string;
  /** Index into `evidence`. */
  evidence: number;
  /** Extra facts of the edge (escape technique, exposure way and ports, ...). */
  details: Record<string, unknown>;
  fixes: string[];
}

export interface ReportFinding {
  id: string;
  severity: Severity;
  category: string;
  title: string;
  certainty: string;
  cost: number;
  entryPoints: string[];
  /** How many paths were found through the root cause. */
  pathCount: number;
  fixes: Array<{action: string; paths: number}>;
  /** Coverage gaps that may make a step of its paths untrue (paths/coverage.ts). */
  coverageGaps: Array<Described<GapNote>>;
  /** The team to route it to, when one is named. */
  owner?: Ownership;
  rootCause: string;
  /** Each path as its edges' ids, the cheapest first. */
  paths: string[][];
}

export interface ReportData {
  meta: {
    cluster: string;
    time: string;
    mode: string;
    inputs: Array<{path: string; objects: number}>;
    coverageGaps: Array<Described<LoadSummary['coverageGaps'][number]>>;
    skipped: unknown[];
    warnings: string[];
    graph: {nodes: number; edges: number};
    version: string;
  };
  /** The control plane's and kubelets' versions against upstream support (src/version). */
  versions: ClusterVersions;
  /** What each edge family is called (the viewer holds only their colours). */
  familyNames: typeof EDGE_FAMILIES;
  /** What each support status is called, as the text output calls it. */
  supportWords: Record<SupportVerdict['status'], string>;
  /** The severities, gravest first: the order the page lists `counts` in. */
  severities: readonly Severity[];
  counts: Record<Severity, number>;
  entryPoints: string[];
  chokePoints: Array<{action: string; object: string; paths: number}>;
  findings: ReportFinding[];
  nodes: ReportNode[];
  edges: ReportEdge[];
  neighbours: Neighbours;
  evidence: Evidence[][];
  /** Pod security posture by team, each check with the workloads that break it (src/posture). */
  posture: ReportPostureTeam[];
  /** What each posture level is called, as the text and Markdown outputs call it. */
  postureLevels: Record<PostureLevel, string>;
}

/** Per drawn node, the edge ids (into `edges`) of undrawn neighbours, and how many more there are. */
type Neighbours = Record<string, {edges: string[]; more: number}>;

/** A coverage gap with `text`, the sentence kubepath says it in (describeGap): the page shows it as is. */
type Described<T extends GapNote> = T & {text: string};

const described = <T extends GapNote>(gap: T): Described<T> => ({...gap, text: describeGap(gap)});

export interface ReportPostureTeam {
  team: string;
  counts: Record<PostureLevel, number>;
  checks: Array<{rule: string; title: string; level: PostureLevel; why: string; fix: string; subjects: string[]}>;
}

export interface ReportOptions {
  cluster: string;
  version: string;
  summary: LoadSummary;
}

/** The posture findings per team and check, compact: a check's fix is the same change in each workload. */
function postureByTeam(findings: Analysis['posture']): ReportPostureTeam[] {
  const why = new Map(POSTURE_RULES.map((rule) => [rule.id, rule.why]));
  return [...groupedPosture(findings)].map(([team, levels]) => {
    const checks = [...levels.values()].flatMap((rules) =>
      [...rules.values()].map((list) => ({
        rule: list[0]!.rule,
        title: list[0]!.title,
        level: list[0]!.level,
        why: why.get(list[0]!.rule) ?? '',
        fix: list[0]!.fixes[0] ?? '',
        subjects: list.map((f) => f.subject),
      })),
    );
    const counts = Object.fromEntries(
      POSTURE_LEVELS.map((level) => [level, checks.filter((c) => c.level === level).reduce((sum, c) => sum + c.subjects.length, 0)]),
    ) as Record<PostureLevel, number>;
    return {team, counts, checks};
  });
}

/** The header's time: SOURCE_DATE_EPOCH's, else the snapshot's collection time, else now. */
function reportTime(summary: LoadSummary): string {
  return analysisTime(summary.source.collectedAt);
}

/**
 * What makes edges one drawn edge: their ends, type and technique, and an escape's
 * technique. The same for a path's step, a rule's edge asked for, and an edge merged.
 */
function edgeKey(from: string, to: string, edge: {type: string; technique: string; escape?: unknown}): string {
  return [from, to, edge.type, edge.technique, String(edge.escape ?? '')].join('\u0000');
}

const stepKey = (step: PathStep): string => edgeKey(step.from, step.to, step.attributes);

/** Each distinct evidence list once, by index (one grant explains many edges). */
class EvidenceTable {
  private readonly lists: Evidence[][] = [];
  private readonly indexOf = new Map<string, number>();

  /** The list's index, the list added when new. */
  add(items: readonly Evidence[]): number {
    const key = JSON.stringify(items);
    let index = this.indexOf.get(key);
    if (index === undefined) {
      this.indexOf.set(key, (index = this.lists.length));
      this.lists.push([...items]);
    }
    return index;
  }

  get(index: number): Evidence[] {
    return this.lists[index]!;
  }

  /** Only the lists the edges use, renumbered in their order (edges merged or cut from lists leave theirs); the edges take the new numbers. */
  renumberKept(edges: readonly ReportEdge[]): Evidence[][] {
    const kept: Evidence[][] = [];
    const renumbered = new Map<number, number>();
    for (const edge of edges) {
      let index = renumbered.get(edge.evidence);
      if (index === undefined) {
        renumbered.set(edge.evidence, (index = kept.length));
        kept.push(this.get(edge.evidence));
      }
      edge.evidence = index;
    }
    return kept;
  }
}

/** The steps of the findings' paths, each once by key in key order with its edge id (`e0`, `e1`, ...), and their ends. */
interface DrawnSteps {
  byKey: Map<string, {id: string; step: PathStep}>;
  nodes: Set<string>;
}

/** Every step of every path, once; ids are given after sorting, so they do not depend on the order found. */
function drawnSteps(findings: Analysis['findings']): DrawnSteps {
  const steps = new Map<string, PathStep>();
  for (const finding of findings) for (const path of finding.allPaths) for (const step of path.steps) steps.set(stepKey(step), step);
  const byKey = new Map([...steps.keys()].sort(compareStrings).map((key, i) => [key, {id: `e${i}`, step: steps.get(key)!}]));
  const nodes = new Set<string>();
  for (const step of steps.values()) nodes.add(step.from).add(step.to);
  return {byKey, nodes};
}

function reportEdge(id: string, step: PathStep, evidence: EvidenceTable): ReportEdge {
  const {from, to, attributes} = step;
  const {type, technique, certainty, cost, mitre, evidence: items, attack: _attack, ...details} = attributes;
  return {
    id,
    source: from,
    target: to,
    type,
    technique,
    family: familyOf(type),
    certainty,
    cost,
    ...(mitre ? {mitre} : {}),
    evidence: evidence.add(items),
    details,
    fixes: fixesFor(step).map((fix) => fix.action),
  };
}

/** An attack edge in or out of a node, by key, with its cost and a way to build it. */
interface Candidate {
  key: string;
  cost: number;
  step: () => PathStep;
}

/**
 * Undrawn neighbours of drawn nodes, for expanding on demand: per node, the cheapest
 * NEIGHBOURS_SHOWN edges no path takes and how many more there are; and those edges,
 * each built once (`n0`, `n1`, ...).
 */
function undrawnNeighbours(analysis: Analysis, drawn: DrawnSteps, evidence: EvidenceTable): {neighbours: Neighbours; edges: ReportEdge[]} {
  const neighbours: Neighbours = {};
  const built = new Map<string, ReportEdge>();
  for (const node of [...drawn.nodes].sort(compareStrings)) {
    if (!analysis.graph.hasNode(node)) continue;
    const around = [...neighbourCandidates(analysis, node).values()].filter((candidate) => !drawn.byKey.has(candidate.key));
    around.sort((a, b) => a.cost - b.cost || compareStrings(a.key, b.key));
    const shown: string[] = [];
    for (const candidate of around.slice(0, NEIGHBOURS_SHOWN)) {
      let edge = built.get(candidate.key);
      if (!edge) built.set(candidate.key, (edge = reportEdge(`n${built.size}`, candidate.step(), evidence)));
      shown.push(edge.id);
    }
    neighbours[node] = {edges: shown, more: around.length - shown.length};
  }
  return {neighbours, edges: [...built.values()]};
}

/**
 * The attack edges in and out of a node: the graph's, and those rules are asked for per
 * identity (a cluster-wide grant reaches every pod: counted, and only the edges shown are
 * built).
 */
function neighbourCandidates({moves, context}: Analysis, node: string): Map<string, Candidate> {
  const found = new Map<string, Candidate>();
  const add = (from: string, to: string, attributes: AttackEdgeAttributes): void => {
    const key = edgeKey(from, to, attributes);
    found.set(key, {key, cost: attributes.cost, step: () => ({from, to, attributes})});
  };
  for (const step of moves.edgesOutOf(node)) add(node, step.node, step.attributes);
  for (const step of moves.edgesInto(node)) add(step.node, node, step.attributes);
  for (const rule of RULES) {
    if (!rule.groupsFrom || !rule.groupsTo || !rule.edgeBetween) continue;
    const between = rule.edgeBetween.bind(rule);
    const lazy = (from: string, to: string, cost: number): void => {
      const key = edgeKey(from, to, {type: rule.type, technique: rule.id});
      const known = found.get(key);
      if (known) known.cost = Math.min(known.cost, cost);
      else if (from !== to)
        found.set(key, {key, cost, step: () => ({from, to, attributes: between(context, from, to)!.attributes as AttackEdgeAttributes})});
    };
    for (const move of rule.groupsFrom(context, node)) for (const target of move.group.targets) lazy(node, target, move.cost);
    for (const group of rule.groupsTo(context, node)) for (const {source, cost} of group.sources) lazy(source, node, cost);
  }
  return found;
}

/** The nodes by id, sorted, with the facts worth showing; ids the graph lacks (the any-pod entry point) stand as themselves. */
function reportNodes(graph: Analysis['graph'], ids: Iterable<string>): ReportNode[] {
  return [...ids].sort(compareStrings).map((id): ReportNode => {
    if (!graph.hasNode(id)) return {id, kind: id === ANY_POD ? 'EntryPoint' : 'Unknown', name: id, details: {}};
    const attributes = graph.getNodeAttributes(id) as Record<string, unknown>;
    const details: Record<string, unknown> = {};
    for (const name of NODE_DETAILS) if (attributes[name] !== undefined) details[name] = attributes[name];
    if (typeof attributes.workload === 'string') details.workload = attributes.workload;
    const node: ReportNode = {id, kind: String(attributes.kind), name: String(attributes.name ?? id), details};
    if (typeof attributes.namespace === 'string') node.namespace = attributes.namespace;
    return node;
  });
}

/** Nodes and edges after mergeReplicas, and what became what. */
interface Merged {
  nodes: ReportNode[];
  edges: ReportEdge[];
  nodeAlias: Map<string, string>;
  edgeAlias: Map<string, string>;
}

/**
 * Pods of one workload on the drawn paths become one node, `replicas:<workload id>` (as
 * in a Deployment's many pods reached the same way); their edges are redirected to it and
 * those that then coincide (same ends, type, technique) drawn once.
 */
function mergeReplicas(
  nodes: readonly ReportNode[],
  edges: readonly ReportEdge[],
  drawn: ReadonlySet<string>,
  evidence: EvidenceTable,
): Merged {
  const byWorkload = new Map<string, ReportNode[]>();
  for (const node of nodes) {
    const workload = node.details.workload;
    if (node.kind === 'Pod' && typeof workload === 'string' && drawn.has(node.id)) pushTo(byWorkload, workload, node);
  }
  const nodeAlias = new Map<string, string>();
  const replicas: ReportNode[] = [];
  for (const [workload, pods] of byWorkload) {
    if (pods.length < 2) continue;
    const node = replicaNode(workload, pods);
    for (const pod of pods) nodeAlias.set(pod.id, node.id);
    replicas.push(node);
  }
  const edgeAlias = new Map<string, string>();
  const kept = new Map<string, ReportEdge>();
  for (const edge of edges) {
    const source = nodeAlias.get(edge.source) ?? edge.source;
    const target = nodeAlias.get(edge.target) ?? edge.target;
    const key = edgeKey(source, target, {type: edge.type, technique: edge.technique, escape: edge.details.escape});
    const known = kept.get(key);
    if (known) {
      edgeAlias.set(edge.id, known.id);
      mergeEdge(known, edge, evidence);
    } else kept.set(key, {...edge, source, target});
  }
  const remaining = nodes.filter((node) => !nodeAlias.has(node.id));
  return {nodes: [...remaining, ...replicas].sort((a, b) => compareStrings(a.id, b.id)), edges: [...kept.values()], nodeAlias, edgeAlias};
}

/** The node a workload's pods are drawn as: the facts they share (service account, images, ...) stay; those that differ are left to each pod's id. */
function replicaNode(workload: string, pods: readonly ReportNode[]): ReportNode {
  const [first] = pods;
  const shared: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(first!.details))
    if (pods.every((pod) => JSON.stringify(pod.details[name]) === JSON.stringify(value))) shared[name] = value;
  const name = `${parseId(workload)?.components.at(-1) ?? workload} (${pods.length} pods)`;
  return {
    id: `replicas:${workload}`,
    kind: 'Pod',
    name,
    namespace: first!.namespace,
    details: {...shared, workload},
    replicas: pods.map((pod) => pod.id),
  };
}

/** One edge for every pod's: each pod's evidence and fixes are kept (any one pod left open keeps the path). */
function mergeEdge(into: ReportEdge, edge: ReportEdge, evidence: EvidenceTable): void {
  if (into.evidence !== edge.evidence) into.evidence = evidence.add([...evidence.get(into.evidence), ...evidence.get(edge.evidence)]);
  into.fixes = [...new Set([...into.fixes, ...edge.fixes])];
  if (edge.certainty === 'definite') into.certainty = 'definite';
  into.cost = Math.min(into.cost, edge.cost);
}

/**
 * Every neighbour list in the ids left after merging: a merged pod's lists join its
 * node's, nothing drawn or listed twice, the cheapest first as before.
 */
function mergedNeighbours(neighbours: Neighbours, merged: Merged, pathEdgeIds: ReadonlySet<string>): Neighbours {
  const lists: Neighbours = {};
  for (const [node, around] of Object.entries(neighbours).sort(([a], [b]) => compareStrings(a, b))) {
    const known = (lists[merged.nodeAlias.get(node) ?? node] ??= {edges: [], more: 0});
    for (const id of around.edges.map((edge) => merged.edgeAlias.get(edge) ?? edge)) {
      if (!pathEdgeIds.has(id) && !known.edges.includes(id)) known.edges.push(id);
    }
    // Of a workload's pods, the most any one has unlisted: at least that many more.
    known.more = Math.max(known.more, around.more);
  }
  for (const around of Object.values(lists)) {
    around.more += Math.max(0, around.edges.length - NEIGHBOURS_SHOWN);
    around.edges = around.edges.slice(0, NEIGHBOURS_SHOWN);
  }
  return lists;
}

/** The findings with their paths as edge ids; `drawnId` gives a step's, after merging. */
function reportFindings(findings: Analysis['findings'], drawnId: (step: PathStep) => string | undefined): ReportFinding[] {
  return findings.map((finding): ReportFinding => {
    const pathIds = (path: {steps: PathStep[]}) => path.steps.map((step) => drawnId(step)!);
    const cheapest = pathIds(finding.path);
    const others = finding.allPaths.map(pathIds).filter((ids) => ids.join() !== cheapest.join());
    return {
      id: finding.id,
      severity: finding.severity,
      category: finding.category,
      title: finding.title,
      certainty: finding.certainty,
      cost: finding.path.cost,
      entryPoints: finding.entryPoints,
      pathCount: finding.paths,
      fixes: finding.fixes.map((fix) => ({action: fix.action, paths: fix.paths})),
      coverageGaps: finding.coverageGaps.map(described),
      ...(finding.owner ? {owner: finding.owner} : {}),
      rootCause: drawnId(finding.rootCause) ?? '',
      paths: [cheapest, ...others],
    };
  });
}

function reportMeta({cluster, version, summary}: ReportOptions): ReportData['meta'] {
  return {
    cluster,
    time: reportTime(summary),
    mode: summary.source.mode,
    inputs: summary.source.inputs,
    coverageGaps: summary.coverageGaps.map(described),
    skipped: summary.skipped,
    warnings: summary.warnings,
    graph: {nodes: summary.graph.nodes, edges: summary.graph.edges},
    version,
  };
}

/** Builds the report's data from an analysis: findings, their paths' subgraph, neighbours to expand. */
export function reportData(analysis: Analysis, options: ReportOptions): ReportData {
  const {graph, findings, chokePoints} = analysis;
  const evidence = new EvidenceTable();
  const drawn = drawnSteps(findings);
  const pathEdges = [...drawn.byKey.values()].map(({id, step}) => reportEdge(id, step, evidence));
  const around = undrawnNeighbours(analysis, drawn, evidence);
  const ends = new Set(drawn.nodes);
  for (const edge of around.edges) ends.add(edge.source).add(edge.target);
  const merged = mergeReplicas(reportNodes(graph, ends), [...pathEdges, ...around.edges], drawn.nodes, evidence);
  const pathEdgeIds = new Set(pathEdges.map((edge) => edge.id));
  const neighbours = mergedNeighbours(around.neighbours, merged, pathEdgeIds);
  const listed = new Set(Object.values(neighbours).flatMap((list) => list.edges));
  const edges = merged.edges.filter((edge) => pathEdgeIds.has(edge.id) || listed.has(edge.id));
  const keptNodes = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const drawnId = (step: PathStep): string | undefined => {
    const id = drawn.byKey.get(stepKey(step))?.id;
    return id && (merged.edgeAlias.get(id) ?? id);
  };
  const keptEvidence = evidence.renumberKept(edges);
  return {
    meta: reportMeta(options),
    versions: analysis.versions,
    familyNames: EDGE_FAMILIES,
    supportWords: SUPPORT_WORDS,
    severities: SEVERITIES,
    counts: Object.fromEntries(SEVERITIES.map((severity) => [severity, findings.filter((f) => f.severity === severity).length])) as Record<
      Severity,
      number
    >,
    entryPoints: analysis.entryPoints,
    chokePoints: chokePoints.map((fix) => ({action: fix.action, object: fix.object, paths: fix.paths})),
    findings: reportFindings(findings, drawnId),
    nodes: merged.nodes.filter((node) => keptNodes.has(node.id)),
    edges,
    neighbours: Object.fromEntries(Object.entries(neighbours).filter(([, list]) => list.edges.length > 0 || list.more > 0)),
    evidence: keptEvidence,
    posture: postureByTeam(analysis.posture),
    postureLevels: LEVEL_NAMES,
  };
}
