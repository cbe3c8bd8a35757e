/**
 * The cluster version (docs/version.md): read from the API server's answer or
 * `--kube-version`, judged against the support table on a given day, and followed by
 * the edges whose truth depends on it.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseKubernetesVersion} from '../src/version/kubernetes.js';
import {RELEASES, supportOf} from '../src/version/support.js';
import {EXAMPLE, ROOT, runCli, tempDir} from './helpers/cli.js';
import {writeFiles} from './helpers/load.js';

const ON = (day: string): Date => new Date(`${day}T12:00:00Z`);
const EPOCH_2026_11_29 = String(Date.UTC(2026, 10, 29, 12) / 1000);

describe('versions and support', () => {
  it('reads distribution versions past their suffixes, and nothing that is not 1.x', () => {
    expect(parseKubernetesVersion('v1.31.2-eks-7f9249a', 'x')).toMatchObject({minor: 31, patch: 2});
    expect(parseKubernetesVersion('v1.30.4+k3s1', 'x')).toMatchObject({minor: 30, patch: 4});
    expect(parseKubernetesVersion('v1.29.8-gke.1031000', 'x')).toMatchObject({minor: 29, patch: 8});
    expect(parseKubernetesVersion('1.33', 'x')).toEqual({minor: 33, text: '1.33', from: 'x'});
    for (const bad of ['v2.0.0', 'banana', '1', '', 'v1.x']) expect(parseKubernetesVersion(bad, 'x'), bad).toBeUndefined();
  });

  it('judges a minor on a day: supported, maintenance in its last two months, end of life after, not judged past the table', () => {
    expect(supportOf(31, ON('2026-11-29'))).toMatchObject({
      status: 'end-of-life',
      endOfLife: '2025-10-28',
      supportedMinors: ['1.35', '1.36', '1.37'],
    });
    expect(supportOf(31, ON('2025-10-28')).status).toBe('maintenance');
    expect(supportOf(31, ON('2025-08-27')).status).toBe('supported');
    expect(supportOf(31, ON('2025-08-28')).status).toBe('maintenance');
    expect(supportOf(35, ON('2026-11-29'))).toMatchObject({status: 'supported', note: '1.35 is supported until 2027-02-28'});
    expect(supportOf(35, ON('2027-01-15')).status).toBe('maintenance');
    expect(supportOf(38, ON('2026-11-29')).status).toBe('unknown');
    expect(supportOf(16, ON('2026-11-29')).status).toBe('end-of-life');
    // docs/version.md shows the same table.
    const docs = readFileSync(join(ROOT, 'docs', 'version.md'), 'utf8');
    const rows = [...docs.matchAll(/\| 1\.(\d+) \| (\d{4}-\d\d-\d\d) \| (\d{4}-\d\d-\d\d) \|/g)].map((m) => ({
      minor: Number(m[1]),
      released: m[2],
      endOfLife: m[3],
    }));
    expect(rows.sort((a, b) => a.minor - b.minor)).toEqual([...RELEASES]);
    // The table is whole and in order: one row per minor, each ending about fourteen months after its release.
    RELEASES.forEach((release, index) => {
      if (index > 0) expect(release.minor).toBe(RELEASES[index - 1]!.minor + 1);
      const months = (Date.parse(release.endOfLife) - Date.parse(release.released)) / (30.44 * 86_400_000);
      expect(months, `1.${release.minor}`).toBeGreaterThan(13);
      expect(months, `1.${release.minor}`).toBeLessThan(15.5);
    });
  });
});

describe('analyze reports the versions', () => {
  /** The example as a live snapshot would record it: an API server's version, and nodes with kubelets. */
  function liveExample(serverVersion: string, kubelets: string[]): string {
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    expect(runCli(['collect', EXAMPLE, '--out', file]).status).toBe(0);
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {source: Record<string, unknown>; objects: {nodes: unknown[]}};
    snapshot.source.serverVersion = serverVersion;
    snapshot.objects.nodes = kubelets.map((version, index) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {name: `node-${index + 1}`},
      status: {nodeInfo: {kubeletVersion: version}},
    }));
    writeFileSync(file, JSON.stringify(snapshot));
    return file;
  }

  it('flags an out-of-support control plane and kubelets, in JSON, table and Markdown, on the SOURCE_DATE_EPOCH day', () => {
    const file = liveExample('v1.31.2-eks-7f9249a', ['v1.31.2-eks-7f9249a', 'v1.29.15', 'v1.31.2-eks-7f9249a', 'v1.35.1']);
    const env = {SOURCE_DATE_EPOCH: EPOCH_2026_11_29};
    const json = runCli(['analyze', file, '-o', 'json'], {env});
    expect(json.status, json.stderr).toBe(0);
    const {versions} = JSON.parse(json.stdout) as {
      versions: {
        controlPlane: {version: string; from: string; support: {status: string; asOf: string; endOfLife: string}};
        kubelets: Array<{version: string; nodes: number; examples: string[]; support: {status: string}}>;
      };
    };
    expect(versions.controlPlane).toMatchObject({
      version: 'v1.31.2-eks-7f9249a',
      from: 'the API server',
      support: {status: 'end-of-life', asOf: '2026-11-29', endOfLife: '2025-10-28'},
    });
    expect(versions.kubelets.map((k) => [k.version, k.nodes, k.examples, k.support.status])).toEqual([
      ['v1.29.15', 1, ['node-2'], 'end-of-life'],
      ['v1.31.2-eks-7f9249a', 2, ['node-1', 'node-3'], 'end-of-life'],
      ['v1.35.1', 1, ['node-4'], 'supported'],
    ]);
    const table = runCli(['analyze', file], {env}).stdout;
    expect(table).toContain('Cluster version: (upstream support as of 2026-11-29)');
    expect(table).toContain(
      '  control plane v1.31.2-eks-7f9249a (the API server): OUT OF SUPPORT: 1.31 reached end of life on 2025-10-28: no security fixes since; upgrade to a supported minor (1.35, 1.36, 1.37 on 2026-11-29)',
    );
    expect(table).toContain('  kubelet v1.29.15 (1 node: node-2): OUT OF SUPPORT: 1.29 reached end of life on 2025-02-28');
    const markdown = runCli(['analyze', file, '-o', 'markdown'], {env}).stdout;
    expect(markdown).toContain('## Cluster version\n\n- control plane `v1.31.2-eks-7f9249a` (the API server): OUT OF SUPPORT');
  });

  it('manifests: unknown without --kube-version; --kube-version gives it, overrides the API server with a warning, and refuses a non-version', () => {
    const env = {SOURCE_DATE_EPOCH: EPOCH_2026_11_29};
    expect(runCli(['analyze', EXAMPLE], {env}).stdout).toContain(
      '  control plane: version unknown (the input does not say; give --kube-version to judge its support and the version-dependent edges)',
    );
    const given = JSON.parse(runCli(['analyze', EXAMPLE, '-o', 'json', '--kube-version', '1.36'], {env}).stdout) as {
      versions: {controlPlane: {from: string; support: {status: string}}};
    };
    expect(given.versions.controlPlane).toMatchObject({from: '--kube-version', support: {status: 'supported'}});
    const overridden = runCli(['analyze', liveExample('v1.31.2', []), '-o', 'json', '--kube-version', 'v1.34.1'], {env});
    expect(overridden.stderr).toContain('kubepath: warning: --kube-version v1.34.1 overrides v1.31.2 (the API server)');
    const bad = runCli(['analyze', EXAMPLE, '--kube-version', '2.0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('kubepath: error: --kube-version must be a Kubernetes version such as 1.31 or v1.31.2, not "2.0"');
  });
});

describe('edges that follow the version', () => {
  const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ci\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n';
  const POD = (extra: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: ci\n${extra}spec:\n  nodeName: node-1\n  containers:\n  - name: app\n    image: busybox:1.36\n`;
  const ROLE = (rules: string) =>
    [
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: ci}\nrules:\n' + rules,
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: ci}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects:\n- {kind: ServiceAccount, name: runner, namespace: ci}\n',
    ].join('---\n');

  type Edge = {
    source: string;
    target: string;
    type: string;
    technique: string;
    certainty: string;
    escape?: string;
    evidence: Array<{object: string; field?: string; note?: string}>;
  };
  function edges(files: Record<string, string>, version?: string): Edge[] {
    const dir = writeFiles(files);
    const result = runCli(['graph', dir, '-o', 'json', ...(version ? ['--kube-version', version] : [])]);
    expect(result.status, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as {edges: Edge[]}).edges;
  }
  const execEdges = (all: Edge[]) =>
    all.filter((edge) => edge.type === 'CAN_EXEC' && edge.source === 'sa:ci/runner' && edge.target === 'pod:ci/app');

  it('get pods/exec: definite before 1.35, gone from 1.35, conditional when the version is unknown', () => {
    const files = {
      'ns.yaml': NAMESPACE,
      'pod.yaml': POD(''),
      'rbac.yaml': ROLE('- {apiGroups: [""], resources: [pods/exec], verbs: [get]}\n'),
    };
    expect(execEdges(edges(files)).map((edge) => edge.certainty)).toEqual(['conditional']);
    const before = execEdges(edges(files, '1.34'));
    expect(before.map((edge) => edge.certainty)).toEqual(['definite']);
    expect(before[0]!.evidence.map((e) => e.note).join(' ')).toContain(
      'a WebSocket upgrade is authorized as get before Kubernetes 1.35, and the cluster runs 1.34 (--kube-version)',
    );
    expect(execEdges(edges(files, '1.35'))).toEqual([]);
  });

  it('pods/ephemeralcontainers: no route before 1.23', () => {
    const files = {
      'ns.yaml': NAMESPACE,
      'pod.yaml': POD(''),
      'rbac.yaml': ROLE('- {apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [patch]}\n'),
    };
    expect(execEdges(edges(files, '1.23')).map((edge) => edge.certainty)).toEqual(['definite']);
    expect(execEdges(edges(files, '1.22'))).toEqual([]);
  });

  it('a baseline namespace admits no privileged pod from 1.23; before, Pod Security enforces nothing: conditional, naming the version', () => {
    const files = {
      'ns.yaml': NAMESPACE,
      'rbac.yaml': ROLE('- {apiGroups: [""], resources: [pods], verbs: [create]}\n'),
      'node.yaml': 'apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n',
    };
    const privileged = (all: Edge[]) => all.filter((edge) => edge.type === 'CAN_CREATE_PRIVILEGED_POD' && edge.source === 'sa:ci/runner');
    expect(privileged(edges(files))).toEqual([]);
    expect(privileged(edges(files, '1.23'))).toEqual([]);
    const old = privileged(edges(files, '1.22'));
    expect(old.map((edge) => [edge.target, edge.certainty])).toEqual([['node:node-1', 'conditional']]);
    expect(old[0]!.evidence.find((e) => e.object === 'Namespace/ci')!.note).toContain(
      'Pod Security admission enforces nothing before Kubernetes 1.23, and the cluster runs 1.22 (--kube-version)',
    );
  });

  it('AppArmor Unconfined by the field makes the SYS_ADMIN escape definite from 1.30 only; by the annotation, always', () => {
    const sysAdmin = (apparmor: string, annotation = '') =>
      POD(annotation).replace(
        '    image: busybox:1.36\n',
        `    image: busybox:1.36\n    securityContext:\n      capabilities: {add: [SYS_ADMIN]}\n${apparmor}`,
      );
    const escape = (all: Edge[]) =>
      all.filter((edge) => edge.type === 'ESCAPES_TO' && edge.escape === 'sys-admin').map((edge) => edge.certainty);
    const field = {'pod.yaml': sysAdmin('      appArmorProfile: {type: Unconfined}\n')};
    expect(escape(edges(field))).toEqual(['definite']);
    expect(escape(edges(field, '1.30'))).toEqual(['definite']);
    expect(escape(edges(field, '1.29'))).toEqual(['conditional']);
    const ignored = edges(field, '1.29').find((edge) => edge.escape === 'sys-admin')!;
    expect(ignored.evidence.map((e) => e.note ?? '').join(' ')).toContain(
      'appArmorProfile is dropped by API servers before Kubernetes 1.30, and the cluster runs 1.29 (--kube-version): AppArmor stays on',
    );
    const annotated = {'pod.yaml': sysAdmin('', '  annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}\n')};
    expect(escape(edges(annotated, '1.29'))).toEqual(['definite']);
  });

  it('the SYS_ADMIN release_agent escape stays conditional on a node whose kubelet is 1.35 or newer (cgroup v2), naming the node', () => {
    const pod = POD('').replace(
      '    image: busybox:1.36\n',
      '    image: busybox:1.36\n    securityContext:\n      capabilities: {add: [SYS_ADMIN]}\n      appArmorProfile: {type: Unconfined}\n',
    );
    const node = (version: string) =>
      `apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nstatus:\n  nodeInfo: {kubeletVersion: ${version}}\n`;
    const escape = (all: Edge[]) => all.filter((edge) => edge.type === 'ESCAPES_TO' && edge.escape === 'sys-admin');
    expect(escape(edges({'pod.yaml': pod, 'node.yaml': node('v1.34.3')})).map((edge) => edge.certainty)).toEqual(['definite']);
    const v2 = escape(edges({'pod.yaml': pod, 'node.yaml': node('v1.35.0')}));
    expect(v2.map((edge) => edge.certainty)).toEqual(['conditional']);
    expect(v2[0]!.evidence.find((e) => e.object === 'Node/node-1')).toMatchObject({
      field: 'status.nodeInfo.kubeletVersion',
      note: expect.stringContaining('kubelets from 1.35 refuse to run on cgroup v1'),
    });
  });
});
