/**
 * kubepath paths output
 * =====================
 *
 * `paths -o json`: the shape of docs/interface.md, `{"paths":[{"source","target","cost","steps":[{"from",
 * "to","type","technique","certainty","cost",...,"evidence"}]}]}`, cheapest first; with
 * no path, `"reached"` says how far the sources get. `-o text`: the same, readable.
 */
import type {KubeGraph} from '../graph/types.js';
import type {AttackPath, PathStep} from '../paths/search.js';
import {compareStrings} from '../util/order.js';
import {PLAIN, type Palette} from './colour.js';
import {safe} from './escape.js';

/** How far the sources get when no path reaches a target: counts by kind, and the cheapest nodes of the kinds that matter most. */
export interface Reached {
  nodes: number;
  byKind: Record<string, number>;
  /** Up to 10 reached nodes of the privileged kinds (cluster-admin, nodes, identities, secrets), cheapest first. */
  notable: Array<{node: string; cost: number}>;
}

export interface PathsJson {
  paths: Array<{source: string; target: string; cost: number; steps: Array<Record<string, unknown>>}>;
  reached?: Reached;
}

const NOTABLE_KINDS = new Set(['ClusterAdmin', 'Node', 'User', 'Group', 'ServiceAccount', 'Secret']);

export function reachedSummary(graph: KubeGraph, reached: ReadonlyArray<{node: string; cost: number}>): Reached {
  const kindOf = (node: string): string => (graph.hasNode(node) ? String(graph.getNodeAttribute(node, 'kind')) : 'unknown');
  const byKind = new Map<string, number>();
  for (const {node} of reached) byKind.set(kindOf(node), (byKind.get(kindOf(node)) ?? 0) + 1);
  return {
    nodes: reached.length,
    byKind: Object.fromEntries([...byKind].sort(([a], [b]) => compareStrings(a, b))),
    notable: reached.filter(({node}) => NOTABLE_KINDS.has(kindOf(node))).slice(0, 10),
  };
}

/** One step as JSON: the documented keys first, then the edge's own attributes (ports, escape, way), evidence last. */
export function stepToJson({from, to, attributes}: PathStep): Record<string, unknown> {
  const {type, technique, certainty, cost, evidence, attack: _attack, mitre, ...extra} = attributes;
  return {from, to, type, technique, certainty, cost, mitre, ...extra, evidence};
}

export function pathToJson({source, target, cost, steps}: AttackPath): PathsJson['paths'][number] {
  return {source, target, cost, steps: steps.map(stepToJson)};
}

export function pathsToJson(paths: readonly AttackPath[], reached?: Reached): PathsJson {
  const json: PathsJson = {paths: paths.map(pathToJson)};
  if (reached) json.reached = reached;
  return json;
}

export function formatPathsTable(json: PathsJson, from: readonly string[], to: readonly string[], palette: Palette = PLAIN): string {
  const lines: string[] = [];
  if (json.paths.length === 0) {
    lines.push(`No attack path from ${from.map(safe).join(', ')} to ${to.map(safe).join(', ')}.`);
    const reached = json.reached;
    if (reached) {
      const kinds = Object.entries(reached.byKind).map(([kind, count]) => `${count} ${kind}`);
      lines.push(
        reached.nodes === 0
          ? 'The sources reach nothing: no attack edge leaves them.'
          : `The sources reach ${reached.nodes} nodes: ${kinds.join(', ')}.`,
      );
      if (reached.notable.length > 0)
        lines.push('Among them, cheapest first:', ...reached.notable.map(({node, cost}) => `  ${safe(node)} (cost ${cost})`));
    }
    return `${lines.join('\n')}\n`;
  }
  json.paths.forEach((path, index) => {
    if (index > 0) lines.push('');
    lines.push(
      `${palette.heading(`Path ${index + 1} of ${json.paths.length}, cost ${path.cost}:`)} ${[path.source, ...path.steps.map((s) => String(s.to))].map(safe).join(' -> ')}`,
    );
    lines.push(...stepLines(path.steps, '  ', palette));
  });
  return `${lines.join('\n')}\n`;
}

/** Each step of a path, then its evidence (object, field, value, note), indented. */
export function stepLines(steps: ReadonlyArray<Record<string, unknown>>, indent: string, palette: Palette = PLAIN): string[] {
  const lines: string[] = [];
  steps.forEach((step, i) => {
    lines.push(
      `${indent}${i + 1}. ${safe(String(step.from))} -> ${safe(String(step.to))}  ${step.type} (${step.technique}), ${step.certainty}, cost ${step.cost}`,
    );
    for (const item of step.evidence as Array<{object: string; field?: string; value?: unknown; note?: string}>) {
      const where = [item.object, item.field].filter(Boolean).join(' ');
      const value = item.value === undefined ? '' : ` = ${JSON.stringify(item.value)}`;
      lines.push(`${indent}     ${palette.dim(`${safe(where)}${safe(value)}${item.note ? `: ${safe(item.note)}` : ''}`)}`);
    }
  });
  return lines;
}
