/**
 * kubepath analysis
 * =================
 *
 * One cluster model, analysed end to end: the rule context, the graph, the moves
 * path search follows, and the findings from the entry points to the crown jewels
 * (findings.ts). Shared by `analyze` and `diff`, so both conclude the same from the same
 * input.
 */
import {createRuleContext, type RuleContext} from '../engines/context.js';
import {RULES} from '../edges/index.js';
import type {CniProfile} from '../engines/network/profile.js';
import {buildGraph} from '../graph/build.js';
import {INTERNET} from '../graph/ids.js';
import type {ClusterModel} from '../graph/model.js';
import {selectNodes} from '../graph/selector.js';
import type {KubeGraph} from '../graph/types.js';
import {ANY_POD, chokePoints, findings, type Finding} from './findings.js';
import {DEFAULT_TEAM_KEYS, pathOwner, postureFindings, type PostureFinding} from '../posture/evaluate.js';
import {clusterVersions, type ClusterVersions} from '../version/cluster.js';
import {analysisTime} from '../util/source-date.js';

/** `--assume-breach all`: every pod breached at once. */
export const ALL_PODS = 'all';
import type {RankedFix} from './fixes.js';
import {AttackMoves} from './moves.js';

export interface AnalysisOptions {
  cni: CniProfile;
  /** Selectors (`--assume-breach`, `--crown-jewel`); one that matches nothing is a usage error. `--assume-breach all` is every pod at once. */
  assumeBreach?: readonly string[];
  crownJewels?: readonly string[];
  maxDepth: number;
  /** Labels or annotations naming a workload's owning team (`--team-key`). */
  teamKeys?: readonly string[];
  /** Registries images may come from (`--trusted-registries`). */
  trustedRegistries?: readonly string[];
  /** The day the versions' support is judged on; by default the analysis time (SOURCE_DATE_EPOCH, else the collection time, else now). */
  asOf?: Date;
}

export interface Analysis {
  model: ClusterModel;
  context: RuleContext;
  graph: KubeGraph;
  moves: AttackMoves;
  entryPoints: string[];
  findings: Finding[];
  /** Pod security posture, per workload (src/posture). */
  posture: PostureFinding[];
  /** The control plane's and kubelets' versions against upstream support (src/version). */
  versions: ClusterVersions;
  chokePoints: RankedFix[];
}

export function analyze(model: ClusterModel, options: AnalysisOptions): Analysis {
  const context = createRuleContext(model, {cni: options.cni});
  const graph = buildGraph(model, RULES, context);
  const anyPod = options.assumeBreach?.includes(ALL_PODS) ?? false;
  const selected = options.assumeBreach?.filter((text) => text !== ALL_PODS) ?? [];
  const assumeBreach = selected.length > 0 ? selectNodes(graph, selected, '--assume-breach') : [];
  const crownJewels = options.crownJewels?.length ? selectNodes(graph, options.crownJewels, '--crown-jewel') : [];
  const moves = new AttackMoves(graph, context, RULES);
  const found = findings(moves, {
    assumeBreach,
    anyPod,
    crownJewels,
    pathsPerEntry: 5,
    search: {maxDepth: options.maxDepth, definiteOnly: false},
  });
  const entryPoints = [...(graph.hasNode(INTERNET) ? [INTERNET] : []), ...assumeBreach, ...(anyPod ? [ANY_POD] : [])];
  const posture = postureFindings(context, {teamKeys: options.teamKeys, trustedRegistries: options.trustedRegistries});
  const teamKeys = options.teamKeys ?? DEFAULT_TEAM_KEYS;
  const namespaceOf = (id: string): string | undefined => (graph.hasNode(id) ? graph.getNodeAttribute(id, 'namespace') : undefined);
  for (const finding of found) {
    const owner = pathOwner(model, [finding.path.source, ...finding.path.steps.map((step) => step.to)], namespaceOf, teamKeys);
    if (owner) finding.owner = owner;
  }
  const versions = clusterVersions(model, options.asOf ?? new Date(analysisTime(model.snapshot.source.collectedAt)));
  return {model, context, graph, moves, entryPoints, findings: found, posture, versions, chokePoints: chokePoints(found)};
}
