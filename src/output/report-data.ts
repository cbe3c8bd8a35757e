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
 * - `evidence`: each distinct evidence list once (one grant explains many edges).
 *
 * Deterministic: sorted, and the time is SOURCE_DATE_EPOCH's when set.
 */
import {parseId} from '../graph/ids.js';
import {RULES} from '../edges/index.js';
import type {EdgeFamily} from '../edges/rule.js';
import type {AttackEdgeAttributes, Evidence} from '../graph/types.js';
import {analysisTime} from '../util/source-date.js';
import {POSTURE_RULES} from '../posture/index.js';
import {POSTURE_LEVELS, type PostureLevel} from '../posture/rule.js';
import {groupedPosture} from './posture.js';
import type {ClusterVersions} from '../version/cluster.js';
import type {LoadSummary} from './summary.js';
import type {GapNote} from '../paths/coverage.js';
import type {Ownership} from '../posture/evaluate.js';
import type {Analysis} from '../paths/analysis.js';
import {ANY_POD, SEVERITIES, type Severity} from '../paths/findings.js';
import {fixesFor} from '../paths/fixes.js';
import type {PathStep} from '../paths/search.js';
import {compareStrings} from '../util/order.js';

/** Each edge type's family, its rules' (test/edges.test.ts checks they agree), for colour in the drawing. */
const FAMILIES = new Map<string, EdgeFamily>(RULES.map((rule) => [rule.type, rule.family]));
export function familyOf(type: string): EdgeFamily {
  const family = FAMILIES.get(type);
  if (!family) throw new Error(`no rule draws ${type} edges`);
  return family;
}

/** How many undrawn attack edges in and out of a node the report keeps for expanding it. */
export const NEIGHBOURS_SHOWN = 25;

/** Node attributes worth showing beside id, kind, name and namespace. */
const NODE_DETAILS = ['workloadKind', 'serviceAccount', 'nodeName', 'images', 'vulnerabilities', 'exploitableVulnerabilities', 'secretType', 'serviceType', 'labels', 'declared'] as const;

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
  coverageGaps: GapNote[];
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
    coverageGaps: LoadSummary['coverageGaps'];
    skipped: unknown[];
    warnings: string[];
    graph: {nodes: number; edges: number};
    version: string;
  };
  /** The control plane's and kubelets' versions against upstream support (src/version). */
  versions: ClusterVersions;
  counts: Record<Severity, number>;
  entryPoints: string[];
  chokePoints: Array<{action: string; object: string; paths: number}>;
  findings: ReportFinding[];
  nodes: ReportNode[];
  edges: ReportEdge[];
  /** Per drawn node, the edge ids (into `edges`) of undrawn neighbours, and how many more there are. */
  neighbours: Record<string, {edges: string[]; more: number}>;
  evidence: Evidence[][];
  /** Pod security posture by team, each check with the workloads that break it (src/posture). */
  posture: ReportPostureTeam[];
}

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
      [...rules.values()].map((list) => ({rule: list[0]!.rule, title: list[0]!.title, level: list[0]!.level, why: why.get(list[0]!.rule) ?? '', fix: list[0]!.fixes[0] ?? '', subjects: list.map((f) => f.subject)})),
    );
    const counts = Object.fromEntries(POSTURE_LEVELS.map((level) => [level, checks.filter((c) => c.level === level).reduce((sum, c) => sum + c.subjects.length, 0)])) as Record<PostureLevel, number>;
    return {team, counts, checks};
  });
}

/** The header's time: SOURCE_DATE_EPOCH's, else the snapshot's collection time, else now. */
function reportTime(summary: LoadSummary): string {
  return analysisTime(summary.source.collectedAt);
}

/** Builds the report's data from an analysis: findings, their paths' subgraph, neighbours to expand. */
export function reportData(analysis: Analysis, options: ReportOptions): ReportData {
  const {graph, findings, chokePoints, moves, context} = analysis;
  const evidenceIndex = new Map<string, number>();
  const evidence: Evidence[][] = [];
  const evidenceOf = (items: readonly Evidence[]): number => {
    const key = JSON.stringify(items);
    let index = evidenceIndex.get(key);
    if (index === undefined) {
      evidenceIndex.set(key, (index = evidence.length));
      evidence.push([...items]);
    }
    return index;
  };
  const edgeKey = (from: string, to: string, attributes: AttackEdgeAttributes): string =>
    [from, to, attributes.type, attributes.technique, String((attributes as {escape?: unknown}).escape ?? '')].join('\u0000');

  // Every step of every path, once; ids are given after sorting, so they do not depend on the order found.
  const steps = new Map<string, PathStep>();
  for (const finding of findings) for (const path of finding.allPaths) for (const step of path.steps) steps.set(edgeKey(step.from, step.to, step.attributes), step);
  const drawnKeys = [...steps.keys()].sort(compareStrings);
  const idOf = new Map(drawnKeys.map((key, i) => [key, `e${i}`]));
  const drawnNodes = new Set<string>();
  for (const step of steps.values()) drawnNodes.add(step.from).add(step.to);

  const edgeOf = (id: string, from: string, to: string, attributes: AttackEdgeAttributes): ReportEdge => {
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
      evidence: evidenceOf(items),
      details,
      fixes: fixesFor({from, to, attributes}).map((fix) => fix.action),
    };
  };
  const edges = drawnKeys.map((key) => {
    const step = steps.get(key)!;
    return edgeOf(idOf.get(key)!, step.from, step.to, step.attributes);
  });

  // Undrawn neighbours of drawn nodes, for expanding on demand: the cheapest few of each.
  const neighbours: ReportData['neighbours'] = {};
  const extraKeys = new Map<string, ReportEdge>();
  for (const node of [...drawnNodes].sort(compareStrings)) {
    if (!graph.hasNode(node)) continue;
    const around = [...neighbourCandidates(node).values()].filter((candidate) => !steps.has(candidate.key));
    around.sort((a, b) => a.cost - b.cost || compareStrings(a.key, b.key));
    const shown: string[] = [];
    for (const candidate of around.slice(0, NEIGHBOURS_SHOWN)) {
      let edge = extraKeys.get(candidate.key);
      if (!edge) {
        const step = candidate.step();
        extraKeys.set(candidate.key, (edge = edgeOf(`n${extraKeys.size}`, step.from, step.to, step.attributes)));
      }
      shown.push(edge.id);
    }
    neighbours[node] = {edges: shown, more: around.length - shown.length};
  }
  edges.push(...extraKeys.values());
  const allNodes = new Set(drawnNodes);
  for (const edge of extraKeys.values()) allNodes.add(edge.source).add(edge.target);

  const nodes = [...allNodes].sort(compareStrings).map((id): ReportNode => {
    if (!graph.hasNode(id)) return {id, kind: id === ANY_POD ? 'EntryPoint' : 'Unknown', name: id, details: {}};
    const attributes = graph.getNodeAttributes(id) as Record<string, unknown>;
    const details: Record<string, unknown> = {};
    for (const name of NODE_DETAILS) if (attributes[name] !== undefined) details[name] = attributes[name];
    if (typeof attributes.workload === 'string') details.workload = attributes.workload;
    const node: ReportNode = {id, kind: String(attributes.kind), name: String(attributes.name ?? id), details};
    if (typeof attributes.namespace === 'string') node.namespace = attributes.namespace;
    return node;
  });

  const replicas = aggregateReplicas(nodes, edges, drawnNodes, evidence, evidenceOf);
  // Every neighbour list in the ids left after merging: a merged pod's lists join its node's, nothing drawn or listed twice, the cheapest first as before.
  const pathEdgeIds = new Set(idOf.values());
  const merged: ReportData['neighbours'] = {};
  for (const [node, around] of Object.entries(neighbours).sort(([a], [b]) => compareStrings(a, b))) {
    const into = replicas.nodeAlias.get(node) ?? node;
    const known = (merged[into] ??= {edges: [], more: 0});
    for (const id of around.edges.map((edge) => replicas.edgeAlias.get(edge) ?? edge)) {
      if (!pathEdgeIds.has(id) && !known.edges.includes(id)) known.edges.push(id);
    }
    // Of a workload's pods, the most any one has unlisted: at least that many more.
    known.more = Math.max(known.more, around.more);
  }
  for (const around of Object.values(merged)) {
    around.more += Math.max(0, around.edges.length - NEIGHBOURS_SHOWN);
    around.edges = around.edges.slice(0, NEIGHBOURS_SHOWN);
  }
  const listed = new Set(Object.values(merged).flatMap((around) => around.edges));
  const keptEdges = replicas.edges.filter((edge) => pathEdgeIds.has(edge.id) || listed.has(edge.id));
  const keptNodes = new Set(keptEdges.flatMap((edge) => [edge.source, edge.target]));
  // Only the evidence lists kept edges use, renumbered in their order (edges merged or cut from lists leave theirs).
  const keptEvidence: Evidence[][] = [];
  const renumbered = new Map<number, number>();
  for (const edge of keptEdges) {
    let index = renumbered.get(edge.evidence);
    if (index === undefined) {
      renumbered.set(edge.evidence, (index = keptEvidence.length));
      keptEvidence.push(evidence[edge.evidence]!);
    }
    edge.evidence = index;
  }

  const reportFindings = findings.map((finding): ReportFinding => {
    const pathIds = (path: {steps: PathStep[]}) =>
      path.steps.map((step) => {
        const id = idOf.get(edgeKey(step.from, step.to, step.attributes))!;
        return replicas.edgeAlias.get(id) ?? id;
      });
    const cheapest = pathIds(finding.path);
    const others = finding.allPaths.map(pathIds).filter((ids) => ids.join() !== cheapest.join());
    const cause = finding.rootCause;
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
      coverageGaps: finding.coverageGaps,
      ...(finding.owner ? {owner: finding.owner} : {}),
      rootCause: ((id) => replicas.edgeAlias.get(id) ?? id)(idOf.get(edgeKey(cause.from, cause.to, cause.attributes)) ?? ''),
      paths: [cheapest, ...others],
    };
  });

  const {summary} = options;
  return {
    meta: {
      cluster: options.cluster,
      time: reportTime(summary),
      mode: summary.source.mode,
      inputs: summary.source.inputs,
      coverageGaps: summary.coverageGaps,
      skipped: summary.skipped,
      warnings: summary.warnings,
      graph: {nodes: summary.graph.nodes, edges: summary.graph.edges},
      version: options.version,
    },
    versions: analysis.versions,
    counts: Object.fromEntries(SEVERITIES.map((severity) => [severity, findings.filter((f) => f.severity === severity).length])) as Record<Severity, number>,
    entryPoints: analysis.entryPoints,
    chokePoints: chokePoints.map((fix) => ({action: fix.action, object: fix.object, paths: fix.paths})),
    findings: reportFindings,
    nodes: replicas.nodes.filter((node) => keptNodes.has(node.id)),
    edges: keptEdges,
    neighbours: Object.fromEntries(Object.entries(merged).filter(([, around]) => around.edges.length > 0 || around.more > 0)),
    evidence: keptEvidence,
    posture: postureByTeam(analysis.posture),
  };

  /**
   * The attack edges in and out of a node, by key, each with its cost and a way to build
   * it: the graph's, and those rules are asked for per identity (a cluster-wide grant
   * reaches every pod: counted, and only the edges shown are built).
   */
  function neighbourCandidates(node: string): Map<string, {key: string; cost: number; step: () => PathStep}> {
    const found = new Map<string, {key: string; cost: number; step: () => PathStep}>();
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
        // The key as edgeKey makes it: these rules' edges have no escape technique.
        const key = [from, to, rule.type, rule.id, ''].join('\u0000');
        const known = found.get(key);
        if (known) known.cost = Math.min(known.cost, cost);
        else if (from !== to) found.set(key, {key, cost, step: () => ({from, to, attributes: between(context, from, to)!.attributes as AttackEdgeAttributes})});
      };
      for (const move of rule.groupsFrom(context, node)) for (const target of move.group.targets) lazy(node, target, move.cost);
      for (const group of rule.groupsTo(context, node)) for (const {source, cost} of group.sources) lazy(source, node, cost);
    }
    return found;
  }
}

/**
 * Pods of one workload on the drawn paths become one node, `replicas:<workload id>` (as
 * in a Deployment's many pods reached the same way); their edges are redirected to it and
 * those that then coincide (same ends, type, technique) drawn once. Returns the new nodes
 * and edges and what became what.
 */
function aggregateReplicas(nodes: ReportNode[], edges: ReportEdge[], drawn: ReadonlySet<string>, evidence: readonly Evidence[][], evidenceOf: (items: readonly Evidence[]) => number) {
  const byWorkload = new Map<string, ReportNode[]>();
  for (const node of nodes) {
    const workload = node.details.workload;
    if (node.kind !== 'Pod' || typeof workload !== 'string' || !drawn.has(node.id)) continue;
    const pods = byWorkload.get(workload);
    if (pods) pods.push(node);
    else byWorkload.set(workload, [node]);
  }
  const nodeAlias = new Map<string, string>();
  const merged = new Map<string, ReportNode>();
  for (const [workload, pods] of byWorkload) {
    if (pods.length < 2) continue;
    const id = `replicas:${workload}`;
    for (const pod of pods) nodeAlias.set(pod.id, id);
    const [first] = pods;
    // The facts the pods share (service account, images, ...) stay; those that differ are left to each pod's id.
    const shared: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(first!.details)) if (pods.every((pod) => JSON.stringify(pod.details[name]) === JSON.stringify(value))) shared[name] = value;
    merged.set(id, {id, kind: 'Pod', name: `${parseId(workload)?.components.at(-1) ?? workload} (${pods.length} pods)`, namespace: first!.namespace, details: {...shared, workload}, replicas: pods.map((pod) => pod.id)});
  }
  const edgeAlias = new Map<string, string>();
  const kept = new Map<string, ReportEdge>();
  for (const edge of edges) {
    const source = nodeAlias.get(edge.source) ?? edge.source;
    const target = nodeAlias.get(edge.target) ?? edge.target;
    const key = [source, target, edge.type, edge.technique, String(edge.details.escape ?? '')].join('\u0000');
    const known = kept.get(key);
    if (!known) {
      kept.set(key, {...edge, source, target});
      continue;
    }
    // One edge for every pod's: each pod's evidence and fixes are kept (any one pod left open keeps the path).
    edgeAlias.set(edge.id, known.id);
    if (known.evidence !== edge.evidence) known.evidence = evidenceOf([...evidence[known.evidence]!, ...evidence[edge.evidence]!]);
    known.fixes = [...new Set([...known.fixes, ...edge.fixes])];
    if (edge.certainty === 'definite') known.certainty = 'definite';
    known.cost = Math.min(known.cost, edge.cost);
  }
  const remaining = nodes.filter((node) => !nodeAlias.has(node.id));
  return {
    nodes: [...remaining, ...merged.values()].sort((a, b) => compareStrings(a.id, b.id)),
    edges: [...kept.values()],
    nodeAlias,
    edgeAlias,
  };
}
