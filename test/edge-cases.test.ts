/**
 * Odd but valid input, and hostile input: what a review of the loaders and the model
 * found, kept as regressions.
 */
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, tempDir} from './helpers/cli.js';
import {loadAll, loadYaml, writeFiles} from './helpers/load.js';

describe('secret values stay out of everything', () => {
  it.each([
    ['a block scalar header', 'stringData:\n  password: >hunter2-SECRET\n'],
    ['an alias to nowhere', 'stringData:\n  password: *hunter2-SECRET\n'],
    ['a stray bracket', 'stringData:\n  password: hunter2-SECRET\n}\n'],
  ])('YAML errors never quote the input: %s', (_name, body) => {
    const dir = writeFiles({'s.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n${body}`});
    const result = runCli(['analyze', join(dir, 's.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/s\.yaml:\d+: invalid YAML: /);
    expect(result.stderr).not.toContain('hunter2');
  });

  it("keeps a Secret's annotation keys but only the service-account values", async () => {
    const {snapshot} = await loadYaml(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kapp.k14s.io/original: \'{"stringData":{"password":"hunter2-SECRET"}}\'\n    kubernetes.io/service-account.name: deployer\ntype: kubernetes.io/service-account-token\n',
    );
    expect(snapshot.objects.secrets[0]!.metadata.annotations).toEqual({
      'kapp.k14s.io/original': '<redacted>',
      'kubernetes.io/service-account.name': 'deployer',
    });
  });
});

describe('controllers missing from the input', () => {
  const deployment =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}\n---\n';

  it('`kubectl get pods,deploy`: pods reach their Deployment through the ReplicaSet name', async () => {
    const {model} = await loadYaml(
      `${deployment}apiVersion: v1\nkind: Pod\nmetadata: {name: web-5d8f9-x, namespace: shop, labels: {app: web, pod-template-hash: 5d8f9}, ownerReferences: [{kind: ReplicaSet, name: web-5d8f9, controller: true}]}\nspec: {containers: [{name: c}]}\n`,
    );
    expect(model.workloads.map((w) => w.id)).toEqual(['workload:shop/Deployment/web']);
    expect(model.pods.map((p) => [p.id, p.representative])).toEqual([['pod:shop/web-5d8f9-x', false]]);
  });

  it('a ReplicaSet whose Deployment is absent stands in for it; so does a Job for its CronJob', async () => {
    const {model} = await loadYaml(
      'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-5d8f9, namespace: shop, ownerReferences: [{kind: Deployment, name: web, controller: true}]}\nspec: {template: {spec: {containers: [{name: c, securityContext: {privileged: true}}]}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: report-1, namespace: ops, ownerReferences: [{kind: CronJob, name: report, controller: true}]}\nspec: {template: {spec: {containers: [{name: r}]}}}\n',
    );
    expect(model.workloads.map((w) => [w.id, w.declared])).toEqual([
      ['workload:ops/CronJob/report', false],
      ['workload:shop/Deployment/web', false],
    ]);
    expect(model.pods.map((p) => [p.id, p.source.object])).toEqual([
      ['pod:ops/report', 'Job/ops/report-1'],
      ['pod:shop/web', 'ReplicaSet/shop/web-5d8f9'],
    ]);
  });

  it('keeps stand-in ids unique even against real pods named like them', async () => {
    const sts =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: shop}\nspec: {template: {spec: {containers: [{name: c}]}}}\n---\n';
    const bare = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: c}]}\n---\n`;
    const {model, graph} = await loadYaml(deployment + sts + bare('web.statefulset'));
    expect(model.pods.map((p) => p.id).sort()).toEqual(['pod:shop/web', 'pod:shop/web.statefulset', 'pod:shop/web.statefulset.2']);
    expect(graph.filterNodes((_id, a) => a.kind === 'Pod')).toHaveLength(3);
  });

  it('survives an owner-reference cycle', async () => {
    const rs = (name: string, owner: string) =>
      `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: ${name}, namespace: x, ownerReferences: [{kind: ReplicaSet, name: ${owner}, controller: true}]}\nspec: {template: {spec: {containers: [{name: c}]}}}\n---\n`;
    const {model} = await loadYaml(rs('a', 'b') + rs('b', 'a'));
    expect(model.workloads).toHaveLength(1);
  });
});

describe('input the API server accepts', () => {
  it('reads nulls, timestamps, times of day, a spec-less NetworkPolicy and a generateName', async () => {
    const {snapshot, graph} = await loadYaml(
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {released: 2024-01-01, window: 12:30}}\nspec:\n  hostNetwork: null\n  containers: [{name: c, volumeMounts: [{name: 2024-01-01, mountPath: /data}], env: [{name: FOO, value: }]}]',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}',
        'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\nspec: {template: {spec: {containers: [{name: m}]}}}',
      ].join('\n---\n'),
    );
    expect(snapshot.objects.pods[0]!.metadata.annotations).toEqual({released: '2024-01-01', window: '12:30'});
    expect(snapshot.objects.pods[0]!.spec.containers[0]!.volumeMounts).toEqual([{name: '2024-01-01', mountPath: '/data'}]);
    expect(graph.edges('netpol:default/deny', 'pod:default/p')).toHaveLength(1);
    expect(snapshot.objects.jobs[0]!.metadata.name).toBe('migrate-');
  });

  it('skips a CRD whose kind ends in List, and reads a List inside a List', async () => {
    const {snapshot} = await loadYaml(
      'apiVersion: example.com/v1\nkind: IPAllowList\nmetadata: {name: a}\nitems: ["10.0.0.0/8"]\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: [{apiVersion: v1, kind: Namespace, metadata: {name: inner}}]\n',
    );
    expect(snapshot.coverage.skipped).toEqual([{apiVersion: 'example.com/v1', kind: 'IPAllowList', count: 1}]);
    expect(snapshot.objects.namespaces.map((n) => n.metadata.name)).toEqual(['inner']);
  });

  it('reads a JSON file with a byte order mark, and flow-style YAML on stdin', async () => {
    const dir = writeFiles({'bom.json': `\ufeff${JSON.stringify({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'bom'}})}`});
    expect((await loadAll([join(dir, 'bom.json')])).snapshot.objects.namespaces).toHaveLength(1);
    const {snapshot} = await loadAll(['-'], '{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\n');
    expect(snapshot.objects.namespaces[0]!.metadata.name).toBe('flow');
  });

  it('follows symlinked files and folders, each real folder once', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '..data'));
    writeFileSync(join(dir, '..data', 'app.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: linked}\n');
    symlinkSync(join(dir, '..data', 'app.yaml'), join(dir, 'app.yaml'));
    symlinkSync(dir, join(dir, 'loop'));
    const {snapshot} = await loadAll([dir]);
    expect(snapshot.objects.namespaces.map((n) => n.metadata.name)).toEqual(['linked']);
    expect(snapshot.source.inputs).toHaveLength(1);
  });
});

describe('hostile input', () => {
  it('refuses an alias that contains itself, and lists nested without end', () => {
    const dir = writeFiles({
      'cycle.yaml': '&a {kind: List, apiVersion: v1, items: [*a]}\n',
      'deep.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'self.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: &s {containers: [], extra: *s}\n',
    });
    for (const file of ['cycle.yaml', 'deep.json', 'self.yaml']) {
      const result = runCli(['collect', join(dir, file)]);
      expect(result.status, `${file}: ${result.stderr}`).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('refuses names with a slash, which would make two objects one', () => {
    const dir = writeFiles({'slash.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: "b/c", namespace: a}\nspec: {containers: []}\n'});
    const result = runCli(['analyze', join(dir, 'slash.yaml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/slash\.yaml:3: Pod a\/b\/c: metadata\.name: a name must be non-empty, without \/ or %/);
  });

  it('says so when the output folder does not exist (exit 2)', () => {
    const dir = writeFiles({'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n'});
    const result = runCli(['graph', join(dir, 'ns.yaml'), '--output-file', '/nonexistent-folder/graph.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'kubepath: error: cannot write /nonexistent-folder/graph.json: the folder /nonexistent-folder does not exist\n',
    );
  });
});

describe('graph details', () => {
  it('maps a User named system:serviceaccount:<ns>:<name> to that service account, and adds one IN_NAMESPACE per role', async () => {
    const {graph} = await loadYaml(
      [1, 2, 3]
        .map(
          (i) =>
            `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b${i}, namespace: shop}\nroleRef: {kind: Role, name: reader}\nsubjects: [{kind: User, name: "system:serviceaccount:ci:deployer"}]`,
        )
        .join('\n---\n'),
    );
    expect(graph.hasNode('user:system:serviceaccount:ci:deployer')).toBe(false);
    expect(graph.edges('sa:ci/deployer', 'role:shop/reader')).toHaveLength(3);
    expect(graph.edges('role:shop/reader', 'ns:shop')).toHaveLength(1);
  });

  it('draws no SELECTS from an ExternalName Service', async () => {
    const {graph} = await loadYaml(
      'apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com, selector: {app: web}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec: {containers: []}\n',
    );
    expect(graph.outEdges('svc:default/ext').map((e) => graph.getEdgeAttribute(e, 'type'))).toEqual(['IN_NAMESPACE']);
  });
});
