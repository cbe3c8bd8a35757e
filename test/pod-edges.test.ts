/**
 * What the fixture test cannot say: which escape technique and certainty each
 * ESCAPES_TO edge carries, the certainty of the other pod and node rules where it
 * varies, and that the whole graph builds (Secret nodes for secrets the input lacks).
 */
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {AttackEdgeAttributes} from '../src/graph/types.js';
import {ROOT, runCli} from './helpers/cli.js';
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
    [
      'positive.sys-admin-and-dac-read-search.yaml',
      ['pod:default/shocker dac-read-search conditional 3', 'pod:default/sysadmin sys-admin conditional 3'],
    ],
    ['positive.sys-ptrace.yaml', ['pod:default/ptrace sys-admin definite 2', 'pod:default/ptrace sys-ptrace definite 2']],
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
      [
        'pod:default/containerd runtime-socket definite 2',
        'pod:default/docker runtime-socket definite 2',
        'pod:default/readonly-root runtime-socket definite 2',
      ],
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
    expect((await attackEdges('MOUNTS_SECRET', 'positive.optional-secret-not-in-input.yaml')).map((e) => e.certainty)).toEqual([
      'conditional',
    ]);
    expect((await attackEdges('MOUNTS_SECRET', 'positive.required-secret-not-in-input.yaml')).map((e) => e.certainty)).toEqual([
      'definite',
    ]);
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
    expect((await attackEdges('STEALS_TOKENS', 'positive.kubelet-pods-read-only.yaml')).map((e) => e.certainty)).toEqual([
      'definite',
      'definite',
    ]);
    expect((await attackEdges('STEALS_TOKENS', 'positive.unscheduled.yaml')).map((e) => e.certainty)).toEqual(['conditional']);
  });
});

describe('ESCAPES_TO and pod security posture', () => {
  const pod = (name: string, securityContext: string, podSecurityContext = '{}') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop}
spec:
  securityContext: ${podSecurityContext}
  containers: [{name: app, image: app, securityContext: ${securityContext}}]
`;
  const escapeEdges = async (yaml: string) => {
    const {graph} = await loadYaml(yaml);
    const edges: Array<AttackEdgeAttributes & {source: string}> = [];
    graph.forEachEdge((_edge, attributes, source) => {
      if (attributes.attack && attributes.technique === 'ESCAPES_TO') edges.push({...attributes, source});
    });
    return edges;
  };

  it('says which posture it relies on: root by default, privilege escalation not off; certainty and cost follow', async () => {
    const edges = await escapeEdges(
      [
        pod('root', '{capabilities: {add: [SYS_MODULE]}}'),
        pod('nonroot', '{capabilities: {add: [SYS_MODULE]}}', '{runAsNonRoot: true}'),
        pod('hardened', '{allowPrivilegeEscalation: false, capabilities: {add: [SYS_MODULE]}}', '{runAsNonRoot: true}'),
        pod('privileged', '{privileged: true}'),
      ].join('---'),
    );
    const bySource = new Map(edges.map((e) => [e.source, e]));
    const root = bySource.get('pod:shop/root')!;
    expect([root.certainty, root.cost, root.reliesOn]).toEqual(['definite', 2, ['run-as-root', 'privilege-escalation']]);
    expect(root.evidence.at(-1)).toMatchObject({
      object: 'Pod/shop/root',
      field: 'spec.securityContext.runAsNonRoot',
      value: 'unset',
      note: expect.stringMatching(/runs as root .* the technique needs root/),
    });
    const nonRoot = bySource.get('pod:shop/nonroot')!;
    expect([nonRoot.certainty, nonRoot.cost, nonRoot.reliesOn]).toEqual(['conditional', 3, ['privilege-escalation']]);
    // Non-root and no privilege escalation: the capability alone does not make root.
    expect(bySource.has('pod:shop/hardened')).toBe(false);
    // A privileged container escapes whoever it runs as: no posture but privileged itself cuts it.
    expect(bySource.get('pod:shop/privileged')!.reliesOn).toBeUndefined();
  });

  it('offers hardening as a fix, and counts the paths it cuts', () => {
    const yaml = [pod('root', '{capabilities: {add: [SYS_MODULE]}}'), pod('privileged', '{privileged: true}')].join('---');
    const analyzed = runCli(['analyze', '-', '-o', 'json', '--assume-breach', 'pod:shop/root', '--assume-breach', 'pod:shop/privileged'], {
      input: yaml,
    });
    expect(analyzed.status, analyzed.stderr).toBe(0);
    const {findings} = JSON.parse(analyzed.stdout) as {
      findings: Array<{path: {source: string}; fixes: Array<{id: string; action: string; paths: number}>}>;
    };
    const fromRoot = findings.filter((f) => f.path.source === 'pod:shop/root');
    expect(fromRoot.length).toBeGreaterThan(0);
    for (const finding of fromRoot) {
      expect(finding.fixes).toContainEqual(
        expect.objectContaining({
          id: 'harden:Pod/shop/root',
          action: expect.stringMatching(/runAsNonRoot: true, allowPrivilegeEscalation: false/),
        }),
      );
    }
    const fromPrivileged = findings.filter((f) => f.path.source === 'pod:shop/privileged');
    expect(fromPrivileged.length).toBeGreaterThan(0);
    for (const finding of fromPrivileged) expect(finding.fixes.map((f) => f.id)).not.toContain('harden:Pod/shop/privileged');
  });
});
