/**
 * The eight BishopFox badPods through the whole pipeline (load, model, graph with every
 * rule), against the conclusions ../shared/corpus/README.md states for them: which pods
 * take over their node, by which techniques, and which only expose it. The expectations
 * are read from that table's "grants" and "node takeover?" columns:
 * privileged → `privileged`; privileged + hostPID → `nsenter`; writable hostPath `/` →
 * `host-path-write`, and other pods' tokens (`STEALS_TOKENS`); host namespaces alone →
 * no takeover.
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {UNSCHEDULED, nodeId} from '../src/graph/ids.js';
import type {AttackEdgeAttributes, KubeGraph} from '../src/graph/types.js';
import {CORPUS} from './helpers/cli.js';
import {loadAll} from './helpers/load.js';

const BADPODS = join(CORPUS, 'badpods');
const NODE = nodeId(UNSCHEDULED); // the manifests leave nodeName commented out

/** Techniques by pod, from the README's table. */
const TAKEOVER: Record<string, string[]> = {
  'everything-allowed': ['host-path-write', 'nsenter', 'privileged'],
  'priv-and-hostpid': ['nsenter', 'privileged'],
  priv: ['privileged'],
  hostpath: ['host-path-write'],
};
const NO_TAKEOVER = ['hostpid', 'hostnetwork', 'hostipc', 'nothing-allowed'];
/** The README: hostPath `/` reads other pods' tokens. */
const READS_TOKENS = ['everything-allowed', 'hostpath'];

const podOf = (type: string): string => `pod:default/${type}-exec-pod`;

function attackEdgesFrom(graph: KubeGraph, source: string, type: string): Array<AttackEdgeAttributes & {target: string}> {
  const edges: Array<AttackEdgeAttributes & {target: string}> = [];
  for (const edge of graph.outEdges(source)) {
    const attributes = graph.getEdgeAttributes(edge);
    if (attributes.attack && attributes.type === type) edges.push({...attributes, target: graph.target(edge)});
  }
  return edges;
}

function escapes(graph: KubeGraph, pod: string): string[] {
  return attackEdgesFrom(graph, pod, 'ESCAPES_TO')
    .map((edge) => {
      expect(edge.target).toBe(NODE);
      expect(edge.certainty, `${pod} ${String(edge.escape)}`).toBe('definite');
      return String(edge.escape);
    })
    .sort();
}

describe('badPods, one manifest at a time', () => {
  it.each(Object.entries(TAKEOVER))('%s takes over its node', async (type, techniques) => {
    const {graph} = await loadAll([join(BADPODS, `${type}-exec-pod.yaml`)]);
    expect(escapes(graph, podOf(type))).toEqual(techniques);
  });

  it.each(NO_TAKEOVER)('%s does not take over its node', async (type) => {
    const {graph} = await loadAll([join(BADPODS, `${type}-exec-pod.yaml`)]);
    expect(graph.hasNode(podOf(type))).toBe(true);
    expect(escapes(graph, podOf(type))).toEqual([]);
    expect(attackEdgesFrom(graph, podOf(type), 'STEALS_TOKENS')).toEqual([]);
  });

  it('nothing-allowed yields only its default service account token', async () => {
    const pod = podOf('nothing-allowed');
    const {graph} = await loadAll([join(BADPODS, 'nothing-allowed-exec-pod.yaml')]);
    const moves = graph.outEdges(pod).filter((edge) => graph.getEdgeAttributes(edge).attack);
    expect(moves.map((edge) => `${graph.getEdgeAttribute(edge, 'type')} ${graph.target(edge)}`)).toEqual(['USES_TOKEN sa:default/default']);
  });
});

describe('badPods as one cluster', () => {
  it('the same pods escape, by the same techniques', async () => {
    const {graph} = await loadAll([BADPODS]);
    for (const type of [...Object.keys(TAKEOVER), ...NO_TAKEOVER]) {
      expect(escapes(graph, podOf(type)), type).toEqual(TAKEOVER[type] ?? []);
    }
  });

  it('the pods mounting / read the tokens of the pods that may share their node', async () => {
    const {graph} = await loadAll([BADPODS]);
    const readers = Object.keys(TAKEOVER)
      .concat(NO_TAKEOVER)
      .filter((type) => attackEdgesFrom(graph, podOf(type), 'STEALS_TOKENS').length > 0)
      .sort();
    expect(readers).toEqual([...READS_TOKENS].sort());
    for (const type of READS_TOKENS) {
      const stolen = attackEdgesFrom(graph, podOf(type), 'STEALS_TOKENS');
      expect(stolen.map((edge) => edge.target)).toEqual(['sa:default/default']);
      // No node is named in the manifests: the neighbours are assumed, so the edge is conditional.
      expect(stolen[0]!.certainty).toBe('conditional');
    }
  });

  it('escaping to the placeholder node reaches every other pod, conditionally', async () => {
    const {graph} = await loadAll([BADPODS]);
    const hosted = attackEdgesFrom(graph, NODE, 'HOSTS');
    expect(hosted.map((edge) => edge.target).sort()).toEqual([...Object.keys(TAKEOVER), ...NO_TAKEOVER].map(podOf).sort());
    expect(new Set(hosted.map((edge) => edge.certainty))).toEqual(new Set(['conditional']));
    expect(attackEdgesFrom(graph, NODE, 'CONTROL_PLANE')).toEqual([]);
  });
});
