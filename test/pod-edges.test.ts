/**
 * What the fixture test cannot say: which escape technique and certainty each
 * ESCAPES_TO edge carries, the certainty of the other pod and node rules where it
 * varies, and that the whole graph builds (Secret nodes for secrets the input lacks).
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {AttackEdgeAttributes} from '../src/graph/types.js';
import {ROOT} from './helpers/cli.js';
import {loadAll, loadYaml} from './helpers/load.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'edges');

async function attackEdges(rule: string, file: string) {
  const {graph} = await loadAll([join(FIXTURES, rule, file)]);
  const edges: Array<AttackEdgeAttributes & {source: string; target: string}> = [];
  graph.forEachEdge((_edge, attributes, source, target) => {
    if (attributes.attack && attributes.technique === rule) edges.push({...attributes, source, target});
  });
  return edges;
}

/** `pod escape certainty cost`, sorted. */
async function escapes(file: string): Promise<string[]> {
  return (await attackEdges('ESCAPES_TO', file)).map((e) => `${e.source} ${String(e.escape)} ${e.certainty} ${e.cost}`).sort();
}

describe('ESCAPES_TO techniques', () => {
  it.each([
    ['positive.privileged.yaml', ['pod:default/priv privileged definite 2']],
    ['positive.nsenter.yaml', ['pod:default/nsenter nsenter definite 2', 'pod:default/nsenter privileged definite 2']],
    ['positive.ephemeral-container.yaml', ['pod:shop/web-0 privileged definite 2']],
    ['positive.privileged-init-container.yaml', ['pod:kube-system/node-setup privileged definite 2']],
    [
      'positive.sys-module.yaml',
      [
        'pod:default/all-caps dac-read-search conditional 3',
        'pod:default/all-caps sys-admin conditional 3',
        'pod:default/all-caps sys-module definite 2',
        'pod:default/modload sys-module definite 2',
        'pod:default/modload-prefixed sys-module definite 2',
      ],
    ],
    ['positive.sys-admin-and-dac-read-search.yaml', ['pod:default/shocker dac-read-search conditional 3', 'pod:default/sysadmin sys-admin conditional 3']],
    ['positive.sys-ptrace.yaml', ['pod:default/ptrace sys-admin conditional 3', 'pod:default/ptrace sys-ptrace definite 2']],
    ['positive.host-process.yaml', ['pod:kube-system/win-agent host-process definite 2']],
    [
      'positive.host-path-write.yaml',
      [
        'pod:default/cron host-path-write definite 2',
        'pod:default/hostroot host-path-write definite 2',
        'pod:default/manifests host-path-write definite 2',
        'pod:default/var host-path-write definite 2',
      ],
    ],
    ['positive.core-pattern.yaml', ['pod:default/umh core-pattern definite 2']],
    [
      'positive.runtime-socket.yaml',
      ['pod:default/containerd runtime-socket definite 2', 'pod:default/docker runtime-socket definite 2', 'pod:default/readonly-root runtime-socket definite 2'],
    ],
    [
      'positive.conditional-host-paths.yaml',
      [
        'pod:default/boot host-path-write conditional 3',
        'pod:default/devices host-device conditional 3',
        'pod:default/homes host-path-write conditional 3',
        'pod:default/kubelet kubelet-dir conditional 3',
        'pod:default/sysfs sysfs-write conditional 3',
      ],
    ],
    ['positive.non-root-may-regain-root.yaml', ['pod:default/nonroot privileged conditional 3']],
  ])('%s', async (file, expected) => {
    expect(await escapes(file)).toEqual(expected);
  });

  it('sys-ptrace is definite only with AppArmor turned off', async () => {
    const pod = (extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ptrace, namespace: default${extra}}
spec:
  hostPID: true
  containers: [{name: app, image: app, securityContext: {capabilities: {add: [SYS_ADMIN, SYS_PTRACE]}}}]
`;
    const certainty = async (text: string) => {
      const {graph} = await loadYaml(text);
      return graph.filterEdges((_e, a) => a.escape === 'sys-ptrace').map((e) => graph.getEdgeAttribute(e, 'certainty'));
    };
    expect(await certainty(pod(''))).toEqual(['conditional']);
    expect(await certainty(pod(', annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}'))).toEqual(['definite']);
  });
});

describe('certainty of the token, secret and node rules', () => {
  it('a projected token for another audience is conditional; automount is definite', async () => {
    expect((await attackEdges('USES_TOKEN', 'positive.projected-other-audience.yaml')).map((e) => e.certainty)).toEqual(['conditional']);
    expect((await attackEdges('USES_TOKEN', 'positive.defaults.yaml')).map((e) => e.certainty)).toEqual(['definite', 'definite']);
  });

  it('secrets the input lacks get undeclared nodes; only an optional one is conditional', async () => {
    const {graph} = await loadAll([join(FIXTURES, 'MOUNTS_SECRET', 'positive.optional-secret-not-in-input.yaml')]);
    expect(graph.getNodeAttributes('secret:shop/extra')).toMatchObject({kind: 'Secret', declared: false});
    expect((await attackEdges('MOUNTS_SECRET', 'positive.optional-secret-not-in-input.yaml')).map((e) => e.certainty)).toEqual(['conditional']);
    expect((await attackEdges('MOUNTS_SECRET', 'positive.required-secret-not-in-input.yaml')).map((e) => e.certainty)).toEqual(['definite']);
    const other = await loadAll([join(FIXTURES, 'MOUNTS_SECRET', 'positive.same-namespace-only.yaml')]);
    expect(other.graph.getNodeAttributes('secret:other/db')).toMatchObject({declared: true});
    expect(other.graph.inDegree('secret:other/db')).toBe(0);
  });

  it('a token mounted by a legacy secret is MOUNTS_SECRET then HOLDS_TOKEN', async () => {
    const {graph} = await loadAll([join(FIXTURES, 'USES_TOKEN', 'negative.legacy-secret-volume.yaml')]);
    const types = (source: string) => graph.outEdges(source).map((e) => `${graph.getEdgeAttribute(e, 'type')} ${graph.target(e)}`);
    expect(types('pod:ci/job')).toContain('MOUNTS_SECRET secret:ci/deployer-token');
    expect(types('secret:ci/deployer-token')).toContain('HOLDS_TOKEN sa:ci/deployer');
  });

  it('nodes host their pods definitely, the unscheduled placeholder conditionally', async () => {
    const edges = await attackEdges('HOSTS', 'positive.scheduled-and-unscheduled.yaml');
    expect(edges.map((e) => `${e.source} ${e.target} ${e.certainty}`).sort()).toEqual([
      'node:<unscheduled> pod:shop/api conditional',
      'node:worker-1 pod:shop/web-0 definite',
    ]);
  });

  it('token theft on a known node is definite, by co-scheduling conditional', async () => {
    expect((await attackEdges('STEALS_TOKENS', 'positive.kubelet-pods-read-only.yaml')).map((e) => e.certainty)).toEqual(['definite', 'definite']);
    expect((await attackEdges('STEALS_TOKENS', 'positive.unscheduled.yaml')).map((e) => e.certainty)).toEqual(['conditional']);
  });
});
