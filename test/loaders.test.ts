/**
 * The loaders: every input form becomes the same snapshot; kinds kubepath does not
 * read are skipped and counted; manifests are normalised as the API server would.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {serializeSnapshot} from '../src/snapshot/snapshot.js';
import {runCli, tempDir} from './helpers/cli.js';
import {loadAll, loadYaml, writeFiles} from './helpers/load.js';

const pod = (name: string, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: namespace ? {name, namespace} : {name},
  spec: {containers: [{name: 'app', image: 'nginx:1.27'}]},
});

describe('input forms', () => {
  it('reads a kubectl List whose items carry kinds, and a typed list whose items do not', async () => {
    const dir = writeFiles({
      'list.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [pod('a', 'x'), {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'x'}}],
      }),
      'pods.yaml': 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: b, namespace: why}\n  spec: {containers: [{name: c}]}\n',
    });
    const {snapshot} = await loadAll([dir]);
    expect(snapshot.objects.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['why/b', 'x/a']);
    expect(snapshot.objects.pods[0]!.kind).toBe('Pod');
    expect(snapshot.objects.namespaces.map((n) => n.metadata.name)).toEqual(['x']);
    expect(snapshot.locations['Pod/why/b']).toEqual({file: join(dir, 'pods.yaml'), line: 4});
  });

  it('reads multi-document YAML with empty documents, concatenated JSON and JSON arrays', async () => {
    const dir = writeFiles({
      'multi.yaml':
        '---\n# just a comment\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: []}\n',
      'stream.json': `${JSON.stringify(pod('c'), null, 2)}\n${JSON.stringify(pod('d'))}`,
      'array.json': JSON.stringify([pod('e'), pod('f')]),
    });
    const {snapshot} = await loadAll([dir]);
    expect(snapshot.objects.pods.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(snapshot.locations['Pod/default/b']).toEqual({file: join(dir, 'multi.yaml'), line: 10});
    expect(snapshot.locations['Pod/default/d']).toEqual({file: join(dir, 'stream.json'), line: 16});
  });

  it('reads folders recursively, in name order, skipping other files and hidden folders', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b', 'deeper'), {recursive: true});
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'b', 'deeper', 'pod.yml'), JSON.stringify(pod('deep')));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(pod('top')));
    writeFileSync(join(dir, '.git', 'config.yaml'), 'not: kubernetes');
    writeFileSync(join(dir, 'notes.txt'), 'kind: Pod');
    writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 3\nimage: {tag: latest}\n');
    const {snapshot, warnings} = await loadAll([dir]);
    expect(snapshot.source.inputs.map((i) => i.path)).toEqual([join(dir, 'a.json'), join(dir, 'b', 'deeper', 'pod.yml')]);
    expect(snapshot.objects.pods.map((p) => p.metadata.name)).toEqual(['deep', 'top']);
    expect(warnings).toEqual([`${join(dir, 'values.yaml')}: skipped, it holds no Kubernetes objects (no apiVersion and kind)`]);
  });

  it('reads stdin (helm template | kubepath analyze -)', async () => {
    const {snapshot} = await loadAll(
      ['-'],
      'apiVersion: v1\nkind: Pod\nmetadata: {name: from-helm, namespace: web}\nspec: {containers: []}\n',
    );
    expect(snapshot.objects.pods[0]!.metadata.name).toBe('from-helm');
    expect(snapshot.source.inputs).toEqual([{path: '<stdin>', objects: 1}]);
  });

  it('re-reads a saved snapshot into the same snapshot', async () => {
    const first = await loadYaml(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: []}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
    );
    const saved = [...serializeSnapshot(first.snapshot)].join('');
    const dir = writeFiles({'snapshot.json': saved});
    const again = await loadAll([join(dir, 'snapshot.json')]);
    expect(again.snapshot.objects).toEqual(first.snapshot.objects);
    expect(again.snapshot.locations).toEqual(first.snapshot.locations);
    expect(again.snapshot.coverage).toEqual(first.snapshot.coverage);
    expect(again.snapshot.source).toEqual(first.snapshot.source);
  });
});

describe('what is kept, normalised or skipped', () => {
  it('skips and counts unknown kinds, CRDs and same-named kinds of other API groups', async () => {
    const {snapshot} = await loadYaml(
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}',
        'apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata: {name: calico}\nspec: {selector: all()}',
        'apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: old}\nspec: {podSelector: {}}',
        'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}',
      ].join('\n---\n'),
    );
    expect(snapshot.coverage.skipped).toEqual([
      {apiVersion: 'v1', kind: 'ConfigMap', count: 2},
      {apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', count: 1},
      {apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', count: 1},
    ]);
    expect(snapshot.objects.networkPolicies.map((p) => p.metadata.name)).toEqual(['old']);
  });

  it('puts namespaced objects without a namespace in default, and drops it from cluster-scoped ones', async () => {
    const {snapshot} = await loadYaml(
      'apiVersion: v1\nkind: Service\nmetadata: {name: api}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: oops}\n',
    );
    expect(snapshot.objects.services[0]!.metadata.namespace).toBe('default');
    expect(snapshot.objects.clusterRoles[0]!.metadata).toEqual({name: 'r'});
  });

  it('reads YAML as the API server does (YAML 1.1: yes is true, 0644 is octal)', async () => {
    const {snapshot} = await loadYaml(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  hostPID: yes\n  containers: []\n  volumes:\n  - name: s\n    secret: {secretName: s, defaultMode: 0644}\n',
    );
    expect(snapshot.objects.pods[0]!.spec.hostPID).toBe(true);
    expect((snapshot.objects.pods[0]!.spec.volumes![0]!.secret as {defaultMode: number}).defaultMode).toBe(420);
  });

  it('warns when an object appears twice and keeps the later one', async () => {
    const {snapshot, warnings} = await loadYaml(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {v: one}}\nspec: {containers: []}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {v: two}}\nspec: {containers: []}\n',
    );
    expect(snapshot.objects.pods.map((p) => p.metadata.labels)).toEqual([{v: 'two'}]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/input\.yaml:6: Pod default\/a appears again \(first in .*input\.yaml:1\); the later one is used$/);
  });

  it('names skipped kinds with --verbose', () => {
    const dir = writeFiles({
      'm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
    });
    const quiet = runCli(['analyze', join(dir, 'm.yaml')]);
    expect(quiet.stdout).toContain('Skipped 2 objects of kinds kubepath does not read (--verbose names them)');
    expect(quiet.stdout).not.toContain('Widget');
    const verbose = runCli(['analyze', join(dir, 'm.yaml'), '--verbose']);
    expect(verbose.stdout).toMatch(/v1 +ConfigMap +1/);
    expect(verbose.stdout).toMatch(/example\.com\/v1 +Widget +1/);
  });
});
