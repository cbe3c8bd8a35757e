/**
 * Outside truth: every netpol-analyzer case folder and every badPods manifest loads,
 * and the graph holds the pods, workloads and namespaces that netpol-analyzer's own
 * expected connectivity lists name.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CORPUS} from './helpers/cli.js';
import {loadAll} from './helpers/load.js';

const NETPOL = join(CORPUS, 'netpol-analyzer');
const cases = readdirSync(join(NETPOL, 'cases')).sort();
const BADPODS = join(CORPUS, 'badpods');
const badPodFiles = readdirSync(BADPODS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The workload and pod peers (`ns/name[Kind]`) of an expected connectivity list. */
function expectedPeers(caseName: string): Array<{namespace: string; name: string; kind: string}> {
  const peers = new Map<string, {namespace: string; name: string; kind: string}>();
  const text = readFileSync(join(NETPOL, 'expected', `${caseName}.txt`), 'utf8');
  for (const line of text.split('\n')) {
    const match = /^(.*) => (.*) : /.exec(line);
    if (!match) continue;
    for (const peer of [match[1]!, match[2]!]) {
      const parts = /^([^/\s]+)\/([^[\s]+)\[(\w+)\]$/.exec(peer);
      if (parts && parts[3] !== 'External') peers.set(peer, {namespace: parts[1]!, name: parts[2]!, kind: parts[3]!});
    }
  }
  return [...peers.values()];
}

describe('netpol-analyzer corpus', () => {
  it('has the 66 cases the corpus README promises', () => {
    expect(cases.length).toBe(66);
  });

  it.each(cases)('loads %s and holds every peer its expected output names', async (caseName) => {
    const {graph, model} = await loadAll([join(NETPOL, 'cases', caseName)]);
    expect(model.pods.length).toBeGreaterThan(0);
    const peers = expectedPeers(caseName);
    expect(peers.length).toBeGreaterThan(0);
    for (const peer of peers) {
      expect(graph.hasNode(`ns:${peer.namespace}`), `namespace of ${peer.namespace}/${peer.name}`).toBe(true);
      if (peer.kind === 'Pod') {
        // A bare pod, or pods whose owner reference names no kind (netpol-analyzer prints those as [Pod]).
        const pods = model.pods.filter(
          (p) =>
            p.namespace === peer.namespace &&
            (p.name === peer.name || p.object?.metadata.ownerReferences?.some((o) => o.name === peer.name)),
        );
        expect(pods.length, `pod ${peer.namespace}/${peer.name}`).toBeGreaterThan(0);
      } else {
        const id = `workload:${peer.namespace}/${peer.kind}/${peer.name}`;
        expect(graph.hasNode(id), id).toBe(true);
        expect(
          graph.outNeighbors(id).some((n) => graph.getNodeAttribute(n, 'kind') === 'Pod'),
          `${id} controls a pod`,
        ).toBe(true);
      }
    }
  });

  it('keeps pods grouped under their top controller: a Deployment, not its ReplicaSet', async () => {
    const {graph} = await loadAll([join(NETPOL, 'cases', 'minimal_test_in_ns')]);
    const workloads = graph.filterNodes((_id, a) => a.kind === 'Workload');
    expect(workloads.length).toBeGreaterThan(0);
    for (const id of workloads) expect(graph.getNodeAttribute(id, 'workloadKind')).not.toBe('ReplicaSet');
  });
});

describe('badPods corpus', () => {
  it('has the eight manifests', () => {
    expect(badPodFiles.length).toBe(8);
  });

  it.each(badPodFiles)('loads %s as one bare pod in default, on the unscheduled node', async (file) => {
    const {graph, model} = await loadAll([join(BADPODS, file)]);
    const name = file.replace(/\.yaml$/, '');
    expect(model.pods.map((p) => p.id)).toEqual([`pod:default/${name}`]);
    expect(model.pods[0]!.representative).toBe(false);
    const runsOn = graph.outEdges(`pod:default/${name}`).filter((e) => graph.getEdgeAttribute(e, 'type') === 'RUNS_ON');
    expect(runsOn.map((e) => graph.target(e))).toEqual(['node:<unscheduled>']);
    expect(graph.hasNode('sa:default/default')).toBe(true);
  });

  it('keeps the host-access fields the escape rules will read', async () => {
    const {model} = await loadAll([join(BADPODS, 'everything-allowed-exec-pod.yaml')]);
    const spec = model.pods[0]!.spec;
    expect(spec.hostPID && spec.hostNetwork && spec.hostIPC).toBe(true);
    expect(spec.containers[0]!.securityContext?.privileged).toBe(true);
    expect(spec.volumes?.some((v) => v.hostPath?.path === '/')).toBe(true);
  });
});
