/**
 * kubepath load summary
 * =====================
 *
 * What `analyze` reports until it grows into the findings command: what was read,
 * what manifest mode filled in, the graph's size, and what was skipped or missing.
 */
import type {ClusterModel} from '../graph/model.js';
import type {KubeGraph} from '../graph/types.js';
import {KINDS} from '../snapshot/kinds.js';
import type {CoverageGap, SkippedKind, SnapshotSource} from '../snapshot/snapshot.js';
import {safe} from './escape.js';
import {describeGap, gapNote} from '../paths/coverage.js';
import {compareStrings} from '../util/order.js';

export interface LoadSummary {
  source: SnapshotSource;
  objects: Record<string, number>;
  model: {
    namespaces: {total: number; implicit: number};
    nodes: {total: number; implicit: number};
    workloads: {total: number; implicit: number};
    pods: {total: number; representative: number};
    serviceAccounts: {total: number; implicit: number};
  };
  graph: {nodes: number; edges: number; attackEdges: number; nodesByKind: Record<string, number>; edgesByType: Record<string, number>};
  skipped: SkippedKind[];
  /** Each gap with what it may change (paths/coverage.ts). */
  coverageGaps: Array<CoverageGap & {effect: string}>;
  warnings: string[];
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** `listed`: how many edges of each type rules are asked for per source, which the graph does not hold; counted with its own. */
export function summarize(
  model: ClusterModel,
  graph: KubeGraph,
  warnings: readonly string[],
  listed: ReadonlyMap<string, number> = new Map(),
): LoadSummary {
  const {snapshot} = model;
  const objects: Record<string, number> = {};
  for (const spec of KINDS) {
    const count = snapshot.objects[spec.key].length;
    if (count > 0) objects[spec.kind] = count;
  }
  const implicit = <T extends {declared: boolean}>(items: Iterable<T>): number => [...items].filter((i) => !i.declared).length;
  let attackEdges = 0;
  const types = new Map<string, number>();
  const count = (type: string, by = 1): void => {
    types.set(type, (types.get(type) ?? 0) + by);
  };
  graph.forEachEdge((_key, attributes) => {
    if (attributes.attack) attackEdges++;
    count(attributes.type);
  });
  let listedCount = 0;
  for (const [type, edges] of listed) {
    listedCount += edges;
    count(type, edges);
  }
  attackEdges += listedCount;
  return {
    source: snapshot.source,
    objects,
    model: {
      namespaces: {total: model.namespaces.size, implicit: implicit(model.namespaces.values())},
      nodes: {total: model.nodes.size, implicit: implicit(model.nodes.values())},
      workloads: {total: model.workloads.length, implicit: implicit(model.workloads)},
      pods: {total: model.pods.length, representative: model.pods.filter((p) => p.representative).length},
      serviceAccounts: {total: model.serviceAccounts.size, implicit: implicit(model.serviceAccounts.values())},
    },
    graph: {
      nodes: graph.order,
      edges: graph.size + listedCount,
      attackEdges,
      nodesByKind: countBy(graph.nodes(), (id) => graph.getNodeAttribute(id, 'kind')),
      edgesByType: Object.fromEntries([...types].sort(([a], [b]) => compareStrings(a, b))),
    },
    skipped: snapshot.coverage.skipped,
    coverageGaps: snapshot.coverage.gaps.map((gap) => ({...gap, effect: gapNote(gap).effect})),
    warnings: [...warnings],
  };
}

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length));

function table(rows: Array<[string, string]>): string[] {
  const width = rows.reduce((widest, [label]) => Math.max(widest, label.length), 0);
  return rows.map(([label, value]) => `  ${pad(label, width)}  ${value}`);
}

/** Plain-text summary for terminals; names from the cluster are printed as data, with control characters escaped. */
export function renderSummaryText(summary: LoadSummary, verbose: boolean): string {
  const m = summary.model;
  const lines: string[] = [];
  const inputs = summary.source.inputs;
  const source = summary.source;
  if (source.mode === 'live') {
    const version = source.serverVersion ? `, ${safe(source.serverVersion)}` : '';
    lines.push(
      `kubepath: live snapshot of ${safe(source.server ?? '?')} (context ${safe(source.context ?? '?')}${version}) taken ${source.collectedAt === undefined ? 'at an unknown time' : safe(source.collectedAt)}`,
    );
  } else {
    lines.push(`kubepath: ${source.mode} snapshot from ${inputs.length} input file${inputs.length === 1 ? '' : 's'}`);
  }
  if (verbose) for (const input of inputs) lines.push(`  ${safe(input.path)}: ${input.objects} objects`);
  lines.push('', 'Objects read:');
  lines.push(...table(Object.entries(summary.objects).map(([kind, count]) => [kind, String(count)])));
  lines.push('', 'Cluster model:');
  lines.push(
    ...table([
      ['namespaces', `${m.namespaces.total} (${m.namespaces.implicit} implicit)`],
      ['nodes', `${m.nodes.total} (${m.nodes.implicit} implicit)`],
      ['workloads', `${m.workloads.total} (${m.workloads.implicit} known only from owner references)`],
      ['pods', `${m.pods.total} (${m.pods.representative} representative, from workload templates)`],
      ['service accounts', `${m.serviceAccounts.total} (${m.serviceAccounts.implicit} implicit)`],
    ]),
  );
  lines.push('', `Graph: ${summary.graph.nodes} nodes, ${summary.graph.edges} edges (${summary.graph.attackEdges} attack edges)`);
  lines.push(...table(Object.entries(summary.graph.edgesByType).map(([type, count]) => [type, String(count)])));
  const skippedTotal = summary.skipped.reduce((sum, s) => sum + s.count, 0);
  if (skippedTotal > 0) {
    lines.push(
      '',
      `Skipped ${skippedTotal} object${skippedTotal === 1 ? '' : 's'} of kinds kubepath does not read${verbose ? ':' : ' (--verbose names them)'}`,
    );
    // Appended one by one: a file can name more kinds than a call takes arguments.
    if (verbose)
      for (const line of table(summary.skipped.map((s) => [`${safe(s.apiVersion)} ${safe(s.kind)}`, String(s.count)]))) lines.push(line);
  }
  if (summary.coverageGaps.length > 0) {
    lines.push('', 'Coverage gaps (kinds kubepath could not read, and what that may change):');
    for (const gap of summary.coverageGaps) {
      lines.push(`  ${describeGap(gap, safe)}`);
      lines.push(`    ${safe(gap.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
